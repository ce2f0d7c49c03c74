"""Classic wrong data-parallel steps, each with the diagnosis it earns."""

import torch
import torch.distributed as dist
import torch.nn.functional as F

from llmprep.exercise_api import Mistake


def _local_backward(model, optimizer, inputs, targets):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(inputs), targets)
    loss.backward()
    return loss


def sums_gradients(model, optimizer, inputs, targets):
    loss = _local_backward(model, optimizer, inputs, targets)
    for p in model.parameters():
        dist.all_reduce(p.grad)  # the sum over ranks, never divided by the world size
    optimizer.step()
    return loss.item()


def no_all_reduce(model, optimizer, inputs, targets):
    loss = _local_backward(model, optimizer, inputs, targets)
    optimizer.step()  # each replica follows its own shard and drifts away from the others
    return loss.item()


def averages_parameters_after_step(model, optimizer, inputs, targets):
    loss = _local_backward(model, optimizer, inputs, targets)
    optimizer.step()
    with torch.no_grad():
        for p in model.parameters():
            dist.all_reduce(p)
            p /= dist.get_world_size()
    return loss.item()


MISTAKES = [
    Mistake(id="sums-gradients", implementation=sums_gradients,
            en="Looks like you all-reduce the gradients but never divide by the world size: every rank steps with the sum over ranks, world_size times the full-batch gradient (with SGD, a world_size-times larger learning rate).",
            zh="看起来你对梯度做了 all-reduce，却没有除以 world size：每个 rank 用的是各 rank 梯度之和，是全批量梯度的 world_size 倍（对 SGD 相当于学习率放大 world_size 倍）。"),
    Mistake(id="no-all-reduce", implementation=no_all_reduce,
            en="Looks like the gradients are never all-reduced: each rank steps on its own shard only, and the replicas drift apart after the first step. All-reduce (sum, then divide by the world size) every gradient between backward and step.",
            zh="看起来梯度从未做 all-reduce：每个 rank 只按自己的分片更新，第一步之后各副本就不再一致。应在 backward 与 step 之间对每个梯度做 all-reduce（求和后除以 world size）。"),
    Mistake(id="averages-parameters-after-step", implementation=averages_parameters_after_step,
            en="Looks like you average the parameters after each rank's own step instead of the gradients before it. With plain SGD that happens to match; with AdamW each rank's update is a nonlinear function of its own gradient (and its optimizer state drifts), so the average of the updates is not the full-batch update. All-reduce the gradients between backward and step.",
            zh="看起来你在各 rank 各自 step 之后平均参数，而不是在 step 之前平均梯度。对普通 SGD 两者恰好相同；但 AdamW 的更新是梯度的非线性函数（优化器状态也各自漂移），更新量的平均不等于全批量的更新。应在 backward 与 step 之间对梯度做 all-reduce。"),
]
