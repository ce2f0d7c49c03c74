"""Run a tensor_parallel_mlp under torchrun and compare it with the single-process MLP.

    torchrun --nproc-per-node=2 tp_mlp.py [solution.py]                 # one machine, 2 processes
    torchrun --nnodes=2 --nproc-per-node=1 --node-rank=R \\
             --master-addr=HOST --master-port=29500 tp_mlp.py [solution.py]   # R = 0 and 1, two machines

torchrun sets RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT; gloo on CPUs, NCCL when every rank has a GPU.
Every rank builds the same full weights from one seed, keeps its shards, runs forward and backward,
and checks y, dL/dx and its shard gradients against the full MLP. Needs only torch.
"""

import importlib.util
import os
import sys
from pathlib import Path

import torch
import torch.distributed as dist
import torch.nn.functional as F


def load(path):
    spec = importlib.util.spec_from_file_location("solution", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.tensor_parallel_mlp


def main():
    solution = sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).with_name("reference.py"))
    use_nccl = torch.cuda.is_available() and torch.cuda.device_count() >= int(os.environ.get("LOCAL_WORLD_SIZE", 1))
    dist.init_process_group("nccl" if use_nccl else "gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    device = torch.device(f"cuda:{os.environ.get('LOCAL_RANK', 0)}") if use_nccl else torch.device("cpu")
    if use_nccl:
        torch.cuda.set_device(device)
    gen = torch.Generator().manual_seed(0)
    n, d, d_ff = 8, 16, 16 * world
    x, c = torch.randn(n, d, generator=gen), torch.randn(n, d, generator=gen)
    w1, b1 = torch.randn(d_ff, d, generator=gen) / d**0.5, torch.randn(d_ff, generator=gen) * 0.1
    w2, b2 = torch.randn(d, d_ff, generator=gen) / d_ff**0.5, torch.randn(d, generator=gen) * 0.1

    full = [t.clone().requires_grad_(True) for t in (x, w1, b1, w2, b2)]
    (F.gelu(full[0] @ full[1].T + full[2]) @ full[3].T + full[4]).mul(c).sum().backward()

    shards = [x, w1.chunk(world, 0)[rank], b1.chunk(world)[rank], w2.chunk(world, 1)[rank], b2]
    shards = [t.to(device).clone().requires_grad_(True) for t in shards]
    y = load(solution)(*shards)
    (y * c.to(device)).sum().backward()

    expected = [full[0].grad, full[1].grad.chunk(world, 0)[rank], full[2].grad.chunk(world)[rank],
                full[3].grad.chunk(world, 1)[rank], full[4].grad]
    worst = max(float((got.grad.cpu() - want).abs().max()) for got, want in zip(shards, expected, strict=True))
    y_full = F.gelu(x @ w1.T + b1) @ w2.T + b2
    worst = max(worst, float((y.detach().cpu() - y_full).abs().max()))
    print(f"rank {rank}/{world} ({'nccl' if use_nccl else 'gloo'}): largest difference from the single-process "
          f"MLP {worst:.2e} -> {'OK' if worst < 1e-4 else 'WRONG'}", flush=True)
    dist.destroy_process_group()
    sys.exit(0 if worst < 1e-4 else 1)


if __name__ == "__main__":
    main()
