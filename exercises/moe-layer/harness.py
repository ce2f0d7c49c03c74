"""Builds the submitted MoELayer, loads this case's weights, runs forward and backward.

The router weight comes with the case (so the spec can keep every token clear of a near-tie in
its top-k); the experts' weights are drawn here from the case's `expert_seed`, on a 1/4096 grid
so that float32 holds them exactly and the reference (float64) and the submission see the same
values. The output is the layer's output, the auxiliary loss, and the gradients of
(output · cotangent).sum() + aux_weight · aux_loss with respect to x and every parameter (a
parameter that gets no gradient counts as 0). Runs in the worker: torch only.
"""

import torch

# What this harness raises, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "not-a-pair": ("MoELayer.forward returned {type}: return (out, aux_loss)",
                   "MoELayer.forward 返回了 {type}：请返回 (out, aux_loss)"),
    "names": ("the parameters must be named {expected} ... (router, experts.<i>.w1/w2/w3); yours are {yours}",
              "参数必须命名为 {expected} ……（router、experts.<i>.w1/w2/w3）；你的是 {yours}"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)

GRID = 4096


def _grid(generator, shape, scale, dtype):
    values = torch.randn(shape, generator=generator, dtype=torch.float64) * scale
    return (torch.round(values * GRID) / GRID).to(dtype)


def _weights(model, router_weight, expert_seed, dtype):
    generator = torch.Generator().manual_seed(int(expert_seed))
    state = {}
    for name, parameter in model.state_dict().items():
        if name == "router.weight":
            state[name] = router_weight.to(dtype)
        else:
            state[name] = _grid(generator, parameter.shape, parameter.shape[1] ** -0.5, dtype)
    return state


def _pair(output):
    if not isinstance(output, (tuple, list)) or len(output) != 2:
        raise TypeError(_say("not-a-pair", type=type(output).__name__))
    return output


def run(entry, inputs):
    dtype = getattr(torch, inputs["dtype"] or "float64")
    device = inputs["device"]
    kwargs = inputs["kwargs"]
    model = entry(**inputs["init"]).to(dtype=dtype, device=device)
    expected = ["router.weight"] + [f"experts.{e}.{w}.weight" for e in range(inputs["init"]["n_experts"])
                                    for w in ("w1", "w2", "w3")]
    if sorted(model.state_dict()) != sorted(expected):
        raise KeyError(_say("names", expected=expected[:4], yours=sorted(model.state_dict())[:6]))
    # Expert weights are drawn in the reference's parameter order: router first, then each expert's w1, w3, w2.
    model.load_state_dict({k: v.to(device) for k, v in _weights(_Order(inputs["init"]), kwargs["router_weight"],
                                                                  kwargs["expert_seed"], dtype).items()})
    x = inputs["args"][0].detach().clone().requires_grad_(True)
    out, aux_loss = _pair(model(x))
    generator = torch.Generator().manual_seed(int(inputs["seed"]))
    cotangent = _grid(generator, tuple(out.shape), 1.0, dtype).to(device)
    aux_weight = 0.25 + float(torch.rand((), generator=generator))
    ((out * cotangent).sum() + aux_weight * aux_loss.reshape(())).backward()
    result = {"out": out.detach(), "aux_loss": aux_loss.detach().reshape(()), "grad_x": x.grad}
    for name, parameter in model.named_parameters():
        result[f"grad {name}"] = parameter.grad if parameter.grad is not None else torch.zeros_like(parameter)
    return result


class _Order:
    """Stands in for a model: the parameter names and shapes in a fixed order, whatever order the
    submission registers them in."""

    def __init__(self, init):
        d, d_ff, E = init["d_model"], init["d_ff"], init["n_experts"]
        self.shapes = {"router.weight": (E, d)}
        for e in range(E):
            self.shapes.update({f"experts.{e}.w1.weight": (d_ff, d), f"experts.{e}.w3.weight": (d_ff, d),
                                f"experts.{e}.w2.weight": (d, d_ff)})

    def state_dict(self):
        return {name: torch.empty(shape) for name, shape in self.shapes.items()}
