"""Runs tensor_parallel_mlp on two real processes joined by torch.distributed (gloo).

For each case two ranks are forked from this process (so they run exactly the function object
given to `run`), join a process group on a free local port, take their shards of the case's
full weights (W1 by rows, b1 likewise, W2 by columns), call the entry, and back-propagate
(y · c).sum() for the case's cotangent c (in its kwargs). Each returns y, the gradients of x and of its shards
and b2, and how many collectives it made in the forward and the backward (all_reduce counted
apart from the others). A rank that raises, or waits more than COLLECTIVE_TIMEOUT_S in a
collective its peer never joins, ends the case; both processes are always reaped. Trusted code:
it runs in the grading worker and, for the reference and the mistakes, in llmprep; it imports
only torch and the standard library.
"""

import io
import multiprocessing
import multiprocessing.connection
import socket
import time
import traceback
from datetime import timedelta

import torch
import torch.distributed as dist
import torch.distributed.distributed_c10d as c10d

WORLD_SIZE = 2
COLLECTIVE_TIMEOUT_S = 10.0
CASE_TIMEOUT_S = 30.0
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


def _rank_main(entry, rank, port, conn, job):
    torch.set_num_threads(1)
    counts = {"forward": {"all_reduce": 0, "other": 0}, "backward": {"all_reduce": 0, "other": 0}}
    phase = ["forward"]
    try:
        timeout = timedelta(seconds=COLLECTIVE_TIMEOUT_S)
        store = dist.TCPStore("127.0.0.1", port, WORLD_SIZE, is_master=rank == 0, timeout=timeout)
        dist.init_process_group("gloo", store=store, rank=rank, world_size=WORLD_SIZE, timeout=timeout)
    except Exception as exc:
        conn.send_bytes(_dump({"error": f"rank {rank}: could not join the process group: {exc}", "setup": True}))
        return
    _count_collectives(counts, phase)
    try:
        leaves = _shards(job, rank)
        y = entry(*leaves)
        if not isinstance(y, torch.Tensor) or y.shape != job["x"].shape[:-1] + job["b2"].shape:
            raise TypeError(f"rank {rank}: return the full y of shape {tuple(job['x'].shape[:-1] + job['b2'].shape)}, "
                            f"not {tuple(getattr(y, 'shape', ())) or type(y).__name__}")
        phase[0] = "backward"
        (y * job["cotangent"]).sum().backward()
        grads = [leaf.grad if leaf.grad is not None else torch.zeros_like(leaf) for leaf in leaves]
        reply = {"y": y.detach(), "grads": [g.detach() for g in grads],
                 "counts": torch.tensor([counts["forward"]["all_reduce"], counts["backward"]["all_reduce"],
                                         counts["forward"]["other"] + counts["backward"]["other"]],
                                        dtype=torch.float64)}
    except BaseException as exc:  # reported to the parent, never raised here
        if "fork-based multiprocessing" in str(exc):
            conn.send_bytes(_dump({"error": f"rank {rank}: {exc}", "forked_after_backward": True}))
            return
        source = getattr(getattr(entry, "__code__", None), "co_filename", None)
        lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == source]
        where = f" (line {lines[-1]})" if lines else ""
        reply = {"error": f"rank {rank}: {type(exc).__name__}: {exc}{where}"}
    conn.send_bytes(_dump(reply))
    if "error" not in reply:
        dist.destroy_process_group()


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run_ranks(entry, job):
    context = multiprocessing.get_context("fork")
    port = _free_port()
    connections, processes = [], []
    for rank in range(WORLD_SIZE):
        ours, theirs = context.Pipe()
        process = context.Process(target=_rank_main, args=(entry, rank, port, theirs, job), daemon=True,
                                  name=f"llmprep-tp-rank-{rank}")
        process.start()
        theirs.close()
        connections.append(ours)
        processes.append(process)
    try:
        results = [None] * WORLD_SIZE
        pending = dict(zip(connections, range(WORLD_SIZE), strict=True))
        deadline = time.monotonic() + CASE_TIMEOUT_S
        while pending:
            ready = multiprocessing.connection.wait(list(pending), timeout=max(0.0, deadline - time.monotonic()))
            if not ready:
                ranks = ", ".join(str(r) for r in sorted(pending.values()))
                raise TimeoutError(f"rank {ranks} did not finish within {CASE_TIMEOUT_S:g} s: is one rank waiting in "
                                   "a collective (all_reduce) that the other never calls?")
            for connection in ready:
                rank = pending.pop(connection)
                try:
                    reply = _load(connection.recv_bytes())
                except (EOFError, OSError):
                    raise RuntimeError(f"rank {rank} exited without a result (did it call sys.exit or crash?)") from None
                if reply.get("forked_after_backward"):
                    raise RuntimeError(reply["error"] + " (this process ran a backward pass before the ranks were "
                                       "forked, on a machine with a GPU: check this exercise in a fresh process)")
                if "error" in reply:
                    if "Timed out" in reply["error"] or "timed out" in reply["error"]:
                        raise TimeoutError(reply["error"] + f": rank {rank} waited {COLLECTIVE_TIMEOUT_S:g} s in a "
                                           "collective its peer never joined; every rank must call the same "
                                           "collectives in the same order")
                    raise (ConnectionError if reply.get("setup") else RuntimeError)(reply["error"])
                results[rank] = reply
        return results
    finally:
        for connection in connections:
            connection.close()
        for process in processes:
            process.join(timeout=2)
            if process.is_alive():
                process.kill()
                process.join(timeout=5)


def run(entry, inputs):
    """{"rank0": {...}, "rank1": {...}}: y, the gradients and the collectives of each rank."""
    job = {k: v.detach().cpu() for k, v in inputs["kwargs"].items()}  # w1, b1, w2, b2 and the cotangent
    job["x"] = inputs["args"][0].detach().cpu()
    for attempt in range(2):
        try:
            results = _run_ranks(entry, job)
            break
        except ConnectionError:  # the port was taken between probing and binding: once more on another
            if attempt:
                raise
    device = inputs["device"]
    output = {}
    for rank, result in enumerate(results):
        names = ("x", "w1_shard", "b1_shard", "w2_shard", "b2")
        output[f"rank{rank}"] = {"y": result["y"].to(device),
                                 **{f"grad {n}": g.to(device) for n, g in zip(names, result["grads"], strict=True)},
                                 "collectives [forward all_reduce, backward all_reduce, other]":
                                     result["counts"].to(device=device, dtype=job["x"].dtype)}
    return output
