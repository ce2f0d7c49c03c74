"""Classic wrong training steps, each with the diagnosis it earns."""

import torch
import torch.nn.functional as F

from llmprep.exercise_api import Mistake


def _next_token_loss(model, input_ids):
    logits = model(input_ids)
    return F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), input_ids[:, 1:].reshape(-1))


def _clip(model, max_grad_norm):
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_grad_norm)


def no_zero_grad(model, optimizer, input_ids, max_grad_norm=1.0):
    loss = _next_token_loss(model, input_ids)
    loss.backward()  # adds to whatever the previous call left in .grad
    _clip(model, max_grad_norm)
    optimizer.step()
    return loss.item()


def unshifted_targets(model, optimizer, input_ids, max_grad_norm=1.0):
    optimizer.zero_grad()
    logits = model(input_ids)
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), input_ids.reshape(-1))  # predicts itself
    loss.backward()
    _clip(model, max_grad_norm)
    optimizer.step()
    return loss.item()


def clip_after_step(model, optimizer, input_ids, max_grad_norm=1.0):
    optimizer.zero_grad()
    loss = _next_token_loss(model, input_ids)
    loss.backward()
    optimizer.step()  # stepped with the unclipped gradients
    _clip(model, max_grad_norm)
    return loss.item()


def loss_after_step(model, optimizer, input_ids, max_grad_norm=1.0):
    optimizer.zero_grad()
    _next_token_loss(model, input_ids).backward()
    _clip(model, max_grad_norm)
    optimizer.step()
    with torch.no_grad():
        return _next_token_loss(model, input_ids).item()  # the updated model's loss


def no_clipping(model, optimizer, input_ids, max_grad_norm=1.0):
    optimizer.zero_grad()
    loss = _next_token_loss(model, input_ids)
    loss.backward()
    optimizer.step()
    return loss.item()


MISTAKES = [
    Mistake(id="no-zero-grad", implementation=no_zero_grad,
            en="Looks like you never zero the gradients: backward() adds to .grad, so the second step used the sum "
                  "of both steps' gradients. Call optimizer.zero_grad() at the start of every step.",
            zh="看起来你没有清零梯度：backward() 会累加到 .grad 上，第二步用的是两步梯度之和。"
                  "每一步开始时调用 optimizer.zero_grad()。"),
    Mistake(id="unshifted-targets", implementation=unshifted_targets,
            en="Looks like the targets are not shifted: position t must predict token t+1, so compare "
                  "logits[:, :-1] with input_ids[:, 1:], not logits with input_ids (that asks each position to "
                  "predict the token it already sees).",
            zh="看起来目标没有错开一位：位置 t 要预测第 t+1 个 token，应比较 logits[:, :-1] 与 input_ids[:, 1:]，"
                  "而不是 logits 与 input_ids（那是让每个位置预测它已经看到的 token）。"),
    Mistake(id="clip-after-step", implementation=clip_after_step,
            en="Looks like you clip after optimizer.step(): the step already used the unclipped gradients. Clip "
                  "between backward() and step().",
            zh="看起来你在 optimizer.step() 之后才裁剪：这一步已经用了未裁剪的梯度。应在 backward() 和 step() 之间裁剪。"),
    Mistake(id="loss-after-step", implementation=loss_after_step,
            en="Looks like you return the loss of the updated model: return the loss computed before "
                  "optimizer.step() (the one you called backward() on), as loss.item().",
            zh="看起来你返回的是更新后模型的损失：应返回 optimizer.step() 之前算出的损失（即你调用 backward() "
                  "的那个），用 loss.item()。"),
    Mistake(id="no-clipping", implementation=no_clipping,
            en="Looks like you never clip the gradients: scale them so that their global L2 norm (over all "
                  "parameters together) is at most max_grad_norm, e.g. torch.nn.utils.clip_grad_norm_, before step().",
            zh="看起来你没有裁剪梯度：在 step() 之前把所有参数梯度的整体 L2 范数缩放到不超过 max_grad_norm，"
                  "例如用 torch.nn.utils.clip_grad_norm_。"),
]
