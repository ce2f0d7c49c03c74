"""Classic wrong BERT maskings, each with the diagnosis it earns."""

import torch

from llmprep.exercise_api import Mistake


def _mask(input_ids, mask_id, vocab_size, special_ids, generator, mlm_probability, *, all_mask=False,
          select_specials=False, label_everything=False, use_global_rng=False):
    rng = None if use_global_rng else generator
    device = input_ids.device
    special = torch.isin(input_ids, torch.tensor(special_ids, dtype=input_ids.dtype, device=device))
    selected = torch.rand(input_ids.shape, generator=rng, device=device) < mlm_probability
    if not select_specials:
        selected &= ~special
    labels = input_ids.clone() if label_everything else input_ids.masked_fill(~selected, -100)
    action = torch.rand(input_ids.shape, generator=rng, device=device)
    if all_mask:
        action = torch.zeros_like(action)
    random_ids = torch.randint(vocab_size, input_ids.shape, generator=rng, device=device)
    masked_ids = input_ids.masked_fill(selected & (action < 0.8), mask_id)
    use_random = selected & (action >= 0.8) & (action < 0.9)
    return torch.where(use_random, random_ids, masked_ids), labels


def all_mask(input_ids, mask_id, vocab_size, special_ids, generator, mlm_probability=0.15):
    return _mask(input_ids, mask_id, vocab_size, special_ids, generator, mlm_probability, all_mask=True)


def selects_specials(input_ids, mask_id, vocab_size, special_ids, generator, mlm_probability=0.15):
    return _mask(input_ids, mask_id, vocab_size, special_ids, generator, mlm_probability, select_specials=True)


def labels_everywhere(input_ids, mask_id, vocab_size, special_ids, generator, mlm_probability=0.15):
    return _mask(input_ids, mask_id, vocab_size, special_ids, generator, mlm_probability, label_everything=True)


def ignores_generator(input_ids, mask_id, vocab_size, special_ids, generator, mlm_probability=0.15):
    return _mask(input_ids, mask_id, vocab_size, special_ids, generator, mlm_probability, use_global_rng=True)


MISTAKES = [
    Mistake(id="all-mask", implementation=all_mask,
            en="Looks like every selected token becomes [MASK]: BERT replaces 80% of them with [MASK], 10% with a random "
                  "token and leaves 10% unchanged, so the model must predict (and keep a good representation of) every "
                  "token, not only where [MASK] appears: [MASK] never occurs at fine-tuning.",
            zh="看起来所有被选中的词都变成了 [MASK]：BERT 把其中 80% 换成 [MASK]，10% 换成随机词，10% 保持不变，"
                  "这样模型必须对每个词都做出预测（并保持良好的表示），而不只是在出现 [MASK] 的地方：微调时从不出现 [MASK]。"),
    Mistake(id="selects-specials", implementation=selects_specials,
            en="Looks like special tokens ([CLS], [SEP], [PAD], ...) can be selected: leave every id in special_ids out "
                  "of the selection (and give it the label -100).",
            zh="看起来特殊词（[CLS]、[SEP]、[PAD] 等）也可能被选中：special_ids 中的词都不能被选中（它们的标签是 -100）。"),
    Mistake(id="labels-everywhere", implementation=labels_everywhere,
            en="Looks like your labels keep the original token at every position: set them to -100 wherever the token "
                  "was not selected, so the loss is computed only on the selected tokens.",
            zh="看起来你的标签在每个位置都保留了原词：未被选中的位置要设为 -100，使损失只在被选中的词上计算。"),
    Mistake(id="ignores-generator", implementation=ignores_generator,
            en="Looks like you draw from the global random number generator: pass `generator` to every torch.rand / "
                  "torch.bernoulli / torch.randint call, so the same generator seed gives the same masking.",
            zh="看起来你用的是全局随机数生成器：每次调用 torch.rand / torch.bernoulli / torch.randint 都要传入 "
                  "`generator`，这样相同的生成器种子会得到相同的遮盖结果。"),
]
