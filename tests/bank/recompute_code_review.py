"""Recompute the numeric answers of questions/code-review.yaml by building or replaying the code."""

from __future__ import annotations

import math
import warnings
from functools import lru_cache

import torch
from torch import nn


@lru_cache(maxsize=1)
def _documents_transformer() -> nn.Transformer:
    # Exactly the documents' call: the third positional argument is num_encoder_layers.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the nested-tensor hint about batch_first
        return nn.Transformer(512, 8, 2)


def nn_transformer_decoder_layers() -> int:
    return len(_documents_transformer().decoder.layers)


def nn_transformer_param_count() -> int:
    d, d_ff = 512, 2048
    attention = 4 * d * d + 4 * d
    ffn = d * d_ff + d_ff + d_ff * d + d
    layer_norm = 2 * d
    encoder_layer = attention + ffn + 2 * layer_norm
    decoder_layer = 2 * attention + ffn + 3 * layer_norm
    by_formula = 2 * encoder_layer + layer_norm + 6 * decoder_layer + layer_norm
    by_torch = sum(p.numel() for p in _documents_transformer().parameters())
    assert by_formula == by_torch, (by_formula, by_torch)
    return by_formula


def initial_loss_uniform() -> float:
    vocab = 10_000
    logits = torch.zeros(4, vocab, dtype=torch.float64)  # equal logits: the uniform prediction
    targets = torch.tensor([0, 17, 4242, vocab - 1])
    return nn.functional.cross_entropy(logits, targets).item()


def label_field_classes() -> int:
    # Legacy torchtext: Field(sequential=False) drops the pad token but keeps unk_token='<unk>';
    # the vocabulary is the specials followed by the distinct labels.
    unk_token, pad_token = "<unk>", None
    specials = [token for token in (unk_token, pad_token) if token is not None]
    labels = ["pos", "neg"] * 12_500
    return len(specials + sorted(set(labels)))


def scheduler_lr_at_step_200() -> float:
    base_lr, epochs = 2e-5, 3
    total = math.ceil(25_000 / 64) * epochs
    warmup = total * 0.1

    def linear_with_warmup(step: int) -> float:  # transformers' get_linear_schedule_with_warmup
        if step < warmup:
            return step / max(1, warmup)
        return max(0.0, (total - step) / max(1, total - warmup))

    weight = nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([weight], lr=base_lr)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, linear_with_warmup)
    for _ in range(199):  # optimizer.step() then scheduler.step(), 199 times
        optimizer.step()
        scheduler.step()
    return optimizer.param_groups[0]["lr"] / 1e-5  # the lr the 200th step uses, in units of 1e-5


def _keras_lstm_params(inputs: int, hidden: int) -> int:
    # PyTorch keeps two bias vectors per gate (bias_ih and bias_hh); Keras keeps one.
    lstm = nn.LSTM(inputs, hidden)
    return sum(p.numel() for name, p in lstm.named_parameters() if not name.startswith("bias_hh"))


def lstm_param_count() -> int:
    embedding = nn.Embedding(10_000, 16).weight.numel()
    dense = sum(p.numel() for p in nn.Linear(64, 1).parameters())
    return embedding + _keras_lstm_params(16, 128) + _keras_lstm_params(128, 64) + dense


def keras_mha_param_count() -> int:
    heads, key_dim, features = 2, 16, 16
    projections = [nn.Linear(features, heads * key_dim) for _ in range(3)]  # query, key, value
    output = nn.Linear(heads * key_dim, features)
    return sum(p.numel() for layer in [*projections, output] for p in layer.parameters())


RECOMPUTE = {
    "code-review-nn-transformer-decoder-layers": nn_transformer_decoder_layers,
    "code-review-nn-transformer-param-count": nn_transformer_param_count,
    "code-review-initial-loss-uniform": initial_loss_uniform,
    "code-review-002-label-field-classes": label_field_classes,
    "code-review-002-scheduler-lr": scheduler_lr_at_step_200,
    "code-review-003-lstm-param-count": lstm_param_count,
    "code-review-004-keras-mha-param-count": keras_mha_param_count,
}
