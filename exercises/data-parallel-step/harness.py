"""Runs data_parallel_step on two real processes joined by torch.distributed (gloo).

For each case both ranks build the same small classifier from the case's weights, each gets
its half of the batch, and each calls the entry twice with SGD and twice with AdamW. The
parameters every rank ends with (and the losses it returned) are the output; spec.properties
compares them with a single-process full-batch step.

The two ranks are forked from this process, so they run exactly the function object given to
`run` (no re-import) and start in milliseconds; they stay up for the next case with the same
entry. A rank that raises, hangs (a collective its peer never joins) or dies ends its pool:
both processes are killed and the next case starts a fresh one. Trusted code: it runs in the
grading worker and, for the reference and the mistakes, in llmprep; it imports only torch and
the standard library.
"""

import atexit
import io
import multiprocessing
import multiprocessing.connection
import os
import socket
import time
import traceback
from datetime import timedelta

import torch
import torch.distributed as dist
from torch import nn

# What this harness raises, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "rank": ("rank {rank}: {error}", "进程 rank {rank}：{error}"),
    "join": ("rank {rank}: could not join the process group: {error}", "进程 rank {rank}：无法加入进程组：{error}"),
    "exited": ("a rank had already exited: {error}", "有一个 rank 进程已经退出：{error}"),
    "unfinished": ("rank {ranks} did not finish within {seconds} s: is one rank waiting in a collective "
                   "(all_reduce) that the other never calls?",
                   "进程 rank {ranks} 在 {seconds} 秒内没有完成：是否有一个 rank 在等待另一个从不调用的集合通信（all_reduce）？"),
    "no-result": ("rank {rank} exited without a result (did it call sys.exit or crash?)",
                  "进程 rank {rank} 没有返回结果就退出了（它调用了 sys.exit 或崩溃了？）"),
    "collective-timeout": ("{error}: rank {rank} waited {seconds} s in a collective its peer never joined; every rank "
                           "must call the same collectives in the same order",
                           "{error}：进程 rank {rank} 在一个对方从未加入的集合通信中等了 {seconds} 秒；每个 rank "
                           "必须以相同的顺序调用相同的集合通信"),
    "hung-before": ("not run: an earlier case hung in a collective (see the first failure)",
                    "未运行：之前的用例卡在了集合通信中（见第一个失败）"),
    "no-ddp": ("DistributedDataParallel is not allowed here: all-reduce the gradients yourself with "
               "torch.distributed.all_reduce",
               "这里不允许使用 DistributedDataParallel：请自己用 torch.distributed.all_reduce 对梯度做 all-reduce"),
    "loss-not-float": ("data_parallel_step returned {type}: return the loss as a float",
                       "data_parallel_step 返回了 {type}：请把损失作为 float 返回"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)

WORLD_SIZE = 2
STEPS = 2
COLLECTIVE_TIMEOUT_S = 10.0   # a rank waiting in all_reduce for a peer that never comes
CASE_TIMEOUT_S = 20.0
IDLE_EXIT_S = 120.0           # an idle rank whose parent forgot it exits by itself
MAX_POOLS = 4
# Hyperparameters: AdamW's large eps keeps its first update a smooth function of the gradient
# (plain Adam's first step is sign(g), which float32 rounding can flip where g is near 0).
SGD = {"lr": 0.5}
ADAMW = {"lr": 0.05, "eps": 1e-3, "weight_decay": 0.1}


class TinyClassifier(nn.Module):
    """Linear -> tanh -> Linear, the model every rank holds a replica of."""

    def __init__(self, w1, b1, w2, b2):
        super().__init__()
        self.hidden = nn.Linear(w1.shape[1], w1.shape[0], dtype=w1.dtype)
        self.out = nn.Linear(w2.shape[1], w2.shape[0], dtype=w2.dtype)
        with torch.no_grad():
            for parameter, value in zip(self.parameters(), (w1, b1, w2, b2), strict=True):
                parameter.copy_(value)

    def forward(self, x):
        return self.out(torch.tanh(self.hidden(x)))


def make_optimizer(kind, parameters):
    """The optimizer a run uses: "sgd" or "adamw", with this exercise's fixed hyperparameters."""
    return torch.optim.SGD(parameters, **SGD) if kind == "sgd" else torch.optim.AdamW(parameters, **ADAMW)


# ---------------------------------------------------------------- inside a rank


def _dump(document):
    buffer = io.BytesIO()
    torch.save(document, buffer)
    return buffer.getvalue()


def _load(payload):
    return torch.load(io.BytesIO(payload), weights_only=True)


def _describe(exc, entry, rank):
    source = getattr(getattr(entry, "__code__", None), "co_filename", None)
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == source]
    where = f" (line {frames[-1].lineno})" if frames else ""
    return _say("rank", rank=rank, error=f"{type(exc).__name__}: {exc}{where}")


def _no_ddp(*args, **kwargs):
    raise RuntimeError(_say("no-ddp"))


def _run_job(entry, rank, job):
    """Both optimizers, STEPS calls each, on this rank's shard; the parameters and losses after."""
    weights = [job[k] for k in ("w1", "b1", "w2", "b2")]
    inputs = job["inputs"].chunk(WORLD_SIZE)[rank]  # (B / WORLD_SIZE, d): this rank's shard
    targets = job["targets"].chunk(WORLD_SIZE)[rank]
    result = {}
    for kind in ("sgd", "adamw"):
        model = TinyClassifier(*weights)
        optimizer = make_optimizer(kind, model.parameters())
        losses = []
        for _ in range(STEPS):
            loss = entry(model, optimizer, inputs.clone(), targets.clone())
            if isinstance(loss, torch.Tensor) and loss.numel() == 1:
                loss = loss.item()
            if not isinstance(loss, (int, float)):
                raise TypeError(_say("loss-not-float", type=type(loss).__name__))
            losses.append(float(loss))
        result[kind] = {"params": [p.detach().clone() for p in model.parameters()],
                        "losses": torch.tensor(losses, dtype=torch.float64)}
    return result


def _rank_main(entry, rank, port, conn, inherited):
    # Ranks compute on the CPU. Where the parent had started CUDA before forking (a check on a GPU),
    # CUDA fails in the child, and the optimizers' step asks torch.cuda.is_available() (seen on an H200).
    torch.cuda.is_available = lambda: False
    for other in inherited:  # other pools' pipe ends, copied by fork
        other.close()
    torch.set_num_threads(1)
    torch.nn.parallel.DistributedDataParallel.__init__ = _no_ddp
    timeout = timedelta(seconds=COLLECTIVE_TIMEOUT_S)
    try:
        store = dist.TCPStore("127.0.0.1", port, WORLD_SIZE, is_master=rank == 0, timeout=timeout)
        dist.init_process_group("gloo", store=store, rank=rank, world_size=WORLD_SIZE, timeout=timeout)
    except Exception as exc:
        conn.send_bytes(_dump({"error": _say("join", rank=rank, error=exc), "setup": True}))
        return
    parent, idle = os.getppid(), 0.0
    while True:
        if not conn.poll(1.0):
            idle += 1.0
            if os.getppid() != parent or idle > IDLE_EXIT_S:
                return
            continue
        idle = 0.0
        try:
            job = _load(conn.recv_bytes())
        except EOFError:
            return
        if job is None:
            dist.destroy_process_group()
            return
        try:
            reply = {"result": _run_job(entry, rank, job)}
        except BaseException as exc:  # the submission's exceptions are reported, never raised here
            reply = {"error": _describe(exc, entry, rank)}
        conn.send_bytes(_dump(reply))
        if "error" in reply:
            return  # its peer may be stuck in a collective: the parent ends the pool


# ---------------------------------------------------------------- in the calling process


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


_warmed_up = []


def _warm_up():
    """Take the optimizers' first-use imports (torch._dynamo, sympy: seconds) once, here, before
    forking, so that no rank pays for them again. The gradients are set by hand: a backward here
    would, on a machine with a GPU, start autograd's device threads, and forked ranks could then
    never run a backward of their own."""
    if not _warmed_up:
        model = nn.Linear(2, 2)
        for kind in ("sgd", "adamw"):
            optimizer = make_optimizer(kind, model.parameters())
            for parameter in model.parameters():
                parameter.grad = torch.zeros_like(parameter)
            optimizer.step()
        _warmed_up.append(True)


class RankPool:
    """WORLD_SIZE forked processes with a process group, running one entry case after case."""

    def __init__(self, entry):
        _warm_up()
        context = multiprocessing.get_context("fork")
        port = _free_port()
        inherited = [c for pool in _POOLS.values() for c in pool.connections]
        self.connections, self.processes = [], []
        for rank in range(WORLD_SIZE):
            ours, theirs = context.Pipe()
            process = context.Process(target=_rank_main, args=(entry, rank, port, theirs, inherited + [ours]),
                                      daemon=True, name=f"llmprep-rank-{rank}")
            process.start()
            theirs.close()
            self.connections.append(ours)
            self.processes.append(process)

    def run(self, job):
        """Every rank's result for one job; RuntimeError (after ending the pool) when a rank fails."""
        payload = _dump(job)
        try:
            for connection in self.connections:
                connection.send_bytes(payload)
        except OSError as exc:
            self.close()
            raise ConnectionError(_say("exited", error=exc)) from exc
        results = [None] * WORLD_SIZE
        pending = dict(zip(self.connections, range(WORLD_SIZE), strict=True))
        deadline = time.monotonic() + CASE_TIMEOUT_S
        while pending:
            ready = multiprocessing.connection.wait(list(pending), timeout=max(0.0, deadline - time.monotonic()))
            if not ready:
                self.close()
                ranks = ", ".join(str(r) for r in sorted(pending.values()))
                raise TimeoutError(_say("unfinished", ranks=ranks, seconds=f"{CASE_TIMEOUT_S:g}"))
            for connection in ready:
                rank = pending.pop(connection)
                try:
                    reply = _load(connection.recv_bytes())
                except (EOFError, OSError):
                    self.close()
                    raise RuntimeError(_say("no-result", rank=rank)) from None
                if "error" in reply:
                    self.close()
                    if reply.get("setup"):
                        raise ConnectionError(reply["error"])
                    if "Timed out" in reply["error"]:  # gloo's own collective timeout
                        raise TimeoutError(_say("collective-timeout", error=reply["error"], rank=rank,
                                                seconds=f"{COLLECTIVE_TIMEOUT_S:g}"))
                    raise RuntimeError(reply["error"])
                results[rank] = reply["result"]
        return results

    def close(self):
        """Ask the ranks to stop, then kill whatever is left."""
        for connection in self.connections:
            try:
                connection.close()
            except OSError:
                pass
        for process in self.processes:
            if process.is_alive():
                process.kill()
            process.join(timeout=5)
        for key in [k for k, pool in _POOLS.items() if pool is self]:
            del _POOLS[key]


_POOLS = {}  # id(entry) -> RankPool


def _close_all():
    for pool in list(_POOLS.values()):
        pool.close()


atexit.register(_close_all)


def _pool_for(entry):
    key = id(entry)
    pool = _POOLS.get(key)
    if pool is not None and pool.entry is entry and all(p.is_alive() for p in pool.processes):
        return pool
    if pool is not None:
        pool.close()
    while len(_POOLS) >= MAX_POOLS:
        next(iter(_POOLS.values())).close()
    pool = RankPool(entry)
    pool.entry = entry
    _POOLS[key] = pool
    return pool


_HUNG = {}  # id(entry) -> entry whose ranks hung once: later cases fail at once instead of waiting again


def run(entry, inputs):
    """{"sgd": {...}, "adamw": {...}}, each with every rank's parameters and returned losses."""
    if _HUNG.get(id(entry)) is entry:
        raise TimeoutError(_say("hung-before"))
    # args are (model, optimizer, inputs, targets) with None for the first two; kwargs the weights
    job = {k: v.detach().cpu() for k, v in inputs["kwargs"].items()}
    job["inputs"], job["targets"] = inputs["args"][2].cpu(), inputs["args"][3].cpu()
    for attempt in range(2):
        try:
            results = _pool_for(entry).run(job)
            break
        except TimeoutError:
            _HUNG[id(entry)] = entry
            raise
        except ConnectionError:  # the port was taken, or an idle pool had exited: start afresh once
            if attempt:
                raise
    device = inputs["device"]
    output = {}
    for kind in ("sgd", "adamw"):
        output[kind] = {f"rank{r}_params": [p.to(device) for p in results[r][kind]["params"]]
                        for r in range(WORLD_SIZE)}
        output[kind]["losses"] = torch.stack([results[r][kind]["losses"] for r in range(WORLD_SIZE)]).to(
            dtype=job["inputs"].dtype, device=device)
    return output
