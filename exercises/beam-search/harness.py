"""The tiny language model beam_search runs on, and how a submission's answer is returned.

TinyLM maps a batch of token sequences (N, T) to the logits of the next token (N, V): a
tanh layer over the last token's embedding plus the mean of all of them (so the whole
context matters), then an output layer; the EOS logit gets `eos_bias` so that hypotheses end
at different lengths. Its weights come from `weights_seed` alone (drawn in float64, then cast),
so the submission (in the worker) and the reference (in llmprep) get the same model.
The output is the hypotheses as a (beam_width, max_new_tokens) float64 tensor of token ids
padded with -1, and their scores. Runs in the worker: torch only.
"""

import torch
from torch import nn

# What this harness raises, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "not-a-pair": ("beam_search must return (sequences, scores)", "beam_search 必须返回 (sequences, scores)"),
    "count": ("return the best beam_width = {beam_width} hypotheses, not {got}",
              "请返回最好的 beam_width = {beam_width} 个假设，而不是 {got} 个"),
    "too-long": ("hypothesis {row} has {n} generated tokens, more than max_new_tokens = {max_new_tokens} "
                 "(return only the generated tokens, not the prompt)",
                 "假设 {row} 有 {n} 个生成的 token，超过了 max_new_tokens = {max_new_tokens}（只返回生成的 token，不要包含提示词）"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)


class TinyLM(nn.Module):
    """model(ids: (N, T) int64) -> (N, vocab_size) logits of the token after each sequence."""

    def __init__(self, vocab_size, d_model, weights_seed, eos_id, eos_bias):
        super().__init__()
        self.vocab_size = vocab_size
        generator = torch.Generator().manual_seed(int(weights_seed))

        def draw(*shape, scale=1.0):
            return nn.Parameter(torch.randn(*shape, generator=generator, dtype=torch.float64) * scale,
                                requires_grad=False)

        self.embedding = draw(vocab_size, d_model)
        self.hidden = draw(d_model, d_model, scale=d_model ** -0.5)
        self.output = draw(vocab_size, d_model, scale=2.5 * d_model ** -0.5)
        bias = torch.zeros(vocab_size, dtype=torch.float64)
        bias[eos_id] = eos_bias
        self.bias = nn.Parameter(bias, requires_grad=False)

    def forward(self, ids):
        e = self.embedding[ids]                                    # (N, T, d)
        h = torch.tanh((e[:, -1] + e.mean(dim=1)) @ self.hidden.T)  # (N, d)
        return h @ self.output.T + self.bias                       # (N, V)


def run(entry, inputs):
    _, prompt_ids, beam_width, max_new_tokens, eos_id = inputs["args"]
    dtype = getattr(torch, inputs["dtype"] or "float64")
    model = TinyLM(eos_id=eos_id, **inputs["init"]).to(dtype=dtype, device=inputs["device"]).eval()
    with torch.no_grad():
        answer = entry(model, prompt_ids.clone(), beam_width, max_new_tokens, eos_id, **inputs["kwargs"])
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise TypeError(_say("not-a-pair"))
    sequences, scores = answer
    if len(sequences) != beam_width:
        raise ValueError(_say("count", beam_width=beam_width, got=len(sequences)))
    tokens = torch.full((beam_width, max_new_tokens), -1.0, dtype=torch.float64)
    for row, sequence in enumerate(sequences):
        generated = torch.as_tensor(sequence).reshape(-1).to("cpu", torch.float64)
        if generated.numel() > max_new_tokens:
            raise ValueError(_say("too-long", row=row, n=generated.numel(), max_new_tokens=max_new_tokens))
        tokens[row, : generated.numel()] = generated
    return {"tokens": tokens, "scores": torch.as_tensor(scores).reshape(-1).to("cpu", torch.float64)}
