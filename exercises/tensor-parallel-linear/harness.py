"""Runs tensor_parallel_mlp on two real processes joined by torch.distributed (gloo).

Two ranks are forked from this process (so they run exactly the function object given to `run`)
and join a process group on a free local port; they stay up for the next case with the same
entry (forking and joining cost more than a case). For each case they take their shards of the
case's full weights (W1 by rows, b1 likewise, W2 by columns), call the entry, and back-propagate
(y · c).sum() for the case's cotangent c (in its kwargs). Each returns y, the gradients of x and of its shards
and b2, and how many collectives it made in the forward and the backward (all_reduce counted
apart from the others). A rank that raises, or waits more than COLLECTIVE_TIMEOUT_S in a
collective its peer never joins, ends the case; both processes are always reaped. Trusted code:
it runs in the grading worker and, for the reference and the mistakes, in llmprep; it imports
only torch and the standard library.
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
import torch.distributed.distributed_c10d as c10d

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
    "not-full-y": ("rank {rank}: return the full y of shape {shape}, not {got}",
                   "进程 rank {rank}：请返回形状为 {shape} 的完整 y，而不是 {got}"),
    "forked-after-backward": ("{error} (this process ran a backward pass before the ranks were forked, on a machine "
                              "with a GPU: check this exercise in a fresh process)",
                              "{error}（本进程在 fork 出各 rank 之前已做过一次反向传播，且机器上有 GPU：请在新进程中检查这个练习）"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)

WORLD_SIZE = 2
COLLECTIVE_TIMEOUT_S = 10.0
CASE_TIMEOUT_S = 30.0
IDLE_EXIT_S = 120.0  # an idle rank whose parent forgot it exits by itself
MAX_POOLS = 4
COUNTED = ("all_reduce", "all_gather", "all_gather_into_tensor", "reduce_scatter", "reduce_scatter_tensor",
           "broadcast", "reduce", "all_to_all", "all_to_all_single")


def _dump(document):
    buffer = io.BytesIO()
    torch.save(document, buffer)
    return buffer.getvalue()


def _load(payload):
    return torch.load(io.BytesIO(payload), weights_only=True)


def _count_collectives(counts, phase):
    """Wrap torch.distributed's collectives (both spellings) so each call is counted in the current phase."""
    for name in COUNTED:
        original = getattr(c10d, name, None)
        if original is None:
            continue

        def counting(*args, _original=original, _name=name, **kwargs):
            key = "all_reduce" if _name == "all_reduce" else "other"
            counts[phase[0]][key] += 1
            return _original(*args, **kwargs)

        setattr(c10d, name, counting)
        setattr(dist, name, counting)


def _shards(job, rank):
    w1, b1, w2 = job["w1"].chunk(WORLD_SIZE, dim=0)[rank], job["b1"].chunk(WORLD_SIZE)[rank], \
        job["w2"].chunk(WORLD_SIZE, dim=1)[rank]
    return [t.clone().requires_grad_(True) for t in (job["x"], w1, b1, w2, job["b2"])]


def _run_job(entry, rank, job, counts, phase):
    for key in counts:
        counts[key].update(all_reduce=0, other=0)
    phase[0] = "forward"
    leaves = _shards(job, rank)
    y = entry(*leaves)
    shape = job["x"].shape[:-1] + job["b2"].shape
    if not isinstance(y, torch.Tensor) or y.shape != shape:
        raise TypeError(_say("not-full-y", rank=rank, shape=tuple(shape),
                             got=tuple(getattr(y, "shape", ())) or type(y).__name__))
    phase[0] = "backward"
    (y * job["cotangent"]).sum().backward()
    grads = [leaf.grad if leaf.grad is not None else torch.zeros_like(leaf) for leaf in leaves]
    return {"y": y.detach(), "grads": [g.detach() for g in grads],
            "counts": torch.tensor([counts["forward"]["all_reduce"], counts["backward"]["all_reduce"],
                                    counts["forward"]["other"] + counts["backward"]["other"]], dtype=torch.float64)}


def _describe(exc, entry, rank):
    source = getattr(getattr(entry, "__code__", None), "co_filename", None)
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == source]
    where = f" (line {lines[-1]})" if lines else ""
    return _say("rank", rank=rank, error=f"{type(exc).__name__}: {exc}{where}")


def _rank_main(entry, rank, port, conn, inherited):
    for other in inherited:  # other pools' pipe ends, copied by fork
        other.close()
    torch.set_num_threads(1)
    counts = {"forward": {"all_reduce": 0, "other": 0}, "backward": {"all_reduce": 0, "other": 0}}
    phase = ["forward"]
    # c10d's warnings while joining ("hostname of the client socket cannot be retrieved") are not the user's
    # output: stderr goes into a pipe nobody reads for that time (a few hundred bytes; the sandbox has no /dev/null)
    saved_stderr, (sink_read, sink_write) = os.dup(2), os.pipe()
    try:
        os.dup2(sink_write, 2)
        timeout = timedelta(seconds=COLLECTIVE_TIMEOUT_S)
        store = dist.TCPStore("127.0.0.1", port, WORLD_SIZE, is_master=rank == 0, timeout=timeout)
        dist.init_process_group("gloo", store=store, rank=rank, world_size=WORLD_SIZE, timeout=timeout)
    except Exception as exc:
        conn.send_bytes(_dump({"error": _say("join", rank=rank, error=exc), "setup": True}))
        return
    finally:
        os.dup2(saved_stderr, 2)
        for fd in (saved_stderr, sink_read, sink_write):
            os.close(fd)
    _count_collectives(counts, phase)
    parent, idle = os.getppid(), 0.0
    while True:
        if not conn.poll(1.0):
            idle += 1.0
            if os.getppid() != parent or idle > IDLE_EXIT_S:
                break
            continue
        idle = 0.0
        try:
            job = _load(conn.recv_bytes())
        except EOFError:
            break
        try:
            reply = {"result": _run_job(entry, rank, job, counts, phase)}
        except BaseException as exc:  # reported to the parent, never raised here
            reply = {"error": _describe(exc, entry, rank)}
            if "fork-based multiprocessing" in str(exc):
                reply["forked_after_backward"] = True
        conn.send_bytes(_dump(reply))
        if "error" in reply:
            return  # its peer may be stuck in a collective: the parent ends the pool
    dist.destroy_process_group()  # a clean exit: no warnings from the store's sockets


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RankPool:
    """WORLD_SIZE forked processes with a process group, running one entry case after case."""

    def __init__(self, entry):
        context = multiprocessing.get_context("fork")
        port = _free_port()
        inherited = [c for pool in _POOLS.values() for c in pool.connections]
        self.entry, self.connections, self.processes = entry, [], []
        for rank in range(WORLD_SIZE):
            ours, theirs = context.Pipe()
            process = context.Process(target=_rank_main, args=(entry, rank, port, theirs, inherited + [ours]),
                                      daemon=True, name=f"llmprep-tp-rank-{rank}")
            process.start()
            theirs.close()
            self.connections.append(ours)
            self.processes.append(process)

    def run(self, job):
        """Every rank's result for one job; an exception (after ending the pool) when a rank fails."""
        payload = _dump(job)
        try:
            for connection in self.connections:
                connection.send_bytes(payload)
        except OSError as exc:
            self.close()
            raise ConnectionError(_say("exited", error=exc)) from exc
        try:
            return self._collect()
        except BaseException:
            self.close()
            raise

    def _collect(self):
        results = [None] * WORLD_SIZE
        pending = dict(zip(self.connections, range(WORLD_SIZE), strict=True))
        deadline = time.monotonic() + CASE_TIMEOUT_S
        while pending:
            ready = multiprocessing.connection.wait(list(pending), timeout=max(0.0, deadline - time.monotonic()))
            if not ready:
                ranks = ", ".join(str(r) for r in sorted(pending.values()))
                raise TimeoutError(_say("unfinished", ranks=ranks, seconds=f"{CASE_TIMEOUT_S:g}"))
            for connection in ready:
                rank = pending.pop(connection)
                try:
                    reply = _load(connection.recv_bytes())
                except (EOFError, OSError):
                    raise RuntimeError(_say("no-result", rank=rank)) from None
                if reply.get("forked_after_backward"):
                    raise RuntimeError(_say("forked-after-backward", error=reply["error"]))
                if "error" in reply:
                    if "Timed out" in reply["error"] or "timed out" in reply["error"]:
                        raise TimeoutError(_say("collective-timeout", error=reply["error"], rank=rank,
                                                seconds=f"{COLLECTIVE_TIMEOUT_S:g}"))
                    raise (ConnectionError if reply.get("setup") else RuntimeError)(reply["error"])
                results[rank] = reply["result"]
        return results

    def close(self):
        """Close the pipes (idle ranks exit), then kill whatever is left."""
        for connection in self.connections:
            connection.close()
        for process in self.processes:
            process.join(timeout=1)
            if process.is_alive():
                process.kill()
                process.join(timeout=5)
        for key in [k for k, pool in _POOLS.items() if pool is self]:
            del _POOLS[key]


_POOLS = {}  # id(entry) -> RankPool


@atexit.register
def _close_all():
    for pool in list(_POOLS.values()):
        pool.close()


def _pool_for(entry):
    pool = _POOLS.get(id(entry))
    if pool is not None and pool.entry is entry and all(p.is_alive() for p in pool.processes):
        return pool
    if pool is not None:
        pool.close()
    while len(_POOLS) >= MAX_POOLS:
        next(iter(_POOLS.values())).close()
    _POOLS[id(entry)] = RankPool(entry)
    return _POOLS[id(entry)]


_HUNG = {}  # id(entry) -> entry whose ranks hung once: later cases fail at once instead of waiting again


def run(entry, inputs):
    """{"rank0": {...}, "rank1": {...}}: y, the gradients and the collectives of each rank."""
    if _HUNG.get(id(entry)) is entry:
        raise TimeoutError(_say("hung-before"))
    job = {k: v.detach().cpu() for k, v in inputs["kwargs"].items()}  # w1, b1, w2, b2 and the cotangent
    job["x"] = inputs["args"][0].detach().cpu()
    for attempt in range(2):
        try:
            results = _pool_for(entry).run(job)
            break
        except TimeoutError:
            _HUNG[id(entry)] = entry
            raise
        except ConnectionError:  # the port was taken, or an idle pool had exited: once more with a fresh one
            if attempt:
                raise
    device = inputs["device"]
    output = {}
    for rank, result in enumerate(results):
        names = ("x", "w1_shard", "b1_shard", "w2_shard", "b2")
        output[f"rank{rank}"] = {"y": result["y"].to(device),
                                 **{f"grad {n}": g.to(device) for n, g in zip(names, result["grads"], strict=True)},
                                 "collectives [forward all_reduce, backward all_reduce, other]":  # data: a label
                                     result["counts"].to(device=device, dtype=job["x"].dtype)}
    return output
