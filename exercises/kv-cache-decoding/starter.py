import torch


def generate(model, prompt_ids: torch.Tensor, max_new_tokens: int) -> torch.Tensor:
    """Greedy decoding with a KV cache; returns the prompt followed by max_new_tokens tokens.

    model is the exercise's TinyDecoder (see README): model.wte, model.wpe, model.blocks
    (each with ln_1, attn.qkv, attn.split_heads, attn.merge_heads, attn.proj, ln_2, mlp),
    model.ln_f, model.lm_head. prompt_ids is (B, P) int64. Run the prompt through the model
    once, keep every block's keys and values, then feed only the newest token each step.
    The tokens must equal those of decoding without a cache (argmax of model(ids)[:, -1]).
    """
    raise NotImplementedError("write generate")
