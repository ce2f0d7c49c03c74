"""Making only the bench sizes that will be timed.

`spec.bench_sizes()` builds every size at once, and the largest ones cost seconds each (a
8192×50304 logits tensor is 1.6 GB). The bench runs it on the meta device (shapes only, no data)
while recording how each tensor was made, then replays the recipes on the CPU for the cases it
picks. Random values come out different from a real call, which does not matter for timing.
When anything about the replay fails, the caller falls back to calling bench_sizes() for real.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any


def _recorder_class():
    from torch.overrides import TorchFunctionMode

    class Recipes(TorchFunctionMode):
        """Records, per tensor made under it, the call that made it and the in-place edits after."""

        def __init__(self):
            super().__init__()
            self.made: dict[int, tuple] = {}
            self.edits: dict[int, list[tuple]] = {}
            self.alive: list[Any] = []  # keeps every recorded tensor alive, so ids stay unique

        def __torch_function__(self, func, types, args=(), kwargs=None):
            import torch

            kwargs = kwargs or {}
            out = func(*args, **kwargs)
            name = getattr(func, "__name__", "")
            target = args[0] if args and isinstance(args[0], torch.Tensor) else None
            in_place = name == "__setitem__" or (name.endswith("_") and not name.endswith("__"))
            if target is not None and in_place:
                self.edits.setdefault(id(target), []).append((func, args, kwargs))
                self.alive.append(target)
                return out
            for path, tensor in _leaves(out):
                if id(tensor) not in self.made:
                    self.made[id(tensor)] = (func, args, kwargs, path)
                    self.alive.append(tensor)
            return out

    return Recipes


def _leaves(value: Any, path: tuple = ()) -> list[tuple[tuple, Any]]:
    import torch

    if isinstance(value, torch.Tensor):
        return [(path, value)]
    if isinstance(value, (list, tuple)):
        return [leaf for i, item in enumerate(value) for leaf in _leaves(item, (*path, i))]
    return []


def _pick(value: Any, path: tuple) -> Any:
    for index in path:
        value = value[index]
    return value


class _Replay:
    def __init__(self, recipes):
        self.recipes = recipes
        self.done: dict[int, Any] = {}

    def real(self, value: Any) -> Any:
        import torch

        if isinstance(value, torch.Tensor):
            return self._tensor(value)
        if isinstance(value, torch.device) and value.type == "meta":
            return torch.device("cpu")
        if isinstance(value, (list, tuple)):
            return type(value)(self.real(v) for v in value)
        if isinstance(value, dict):
            return {k: self.real(v) for k, v in value.items()}
        return value

    def _tensor(self, tensor):
        key = id(tensor)
        if key in self.done:
            return self.done[key]
        recipe = self.recipes.made.get(key)
        if recipe is None:
            if tensor.device.type == "meta":
                raise LookupError("a meta tensor without a recipe")
            real = tensor
        else:
            func, args, kwargs, path = recipe
            real = _pick(func(*self.real(args), **self.real(kwargs)), path)
        self.done[key] = real
        for func, args, kwargs in self.recipes.edits.get(key, []):
            func(real, *self.real(args[1:]), **self.real(kwargs))
        return real


def shapes_only(bench_sizes) -> tuple[list, Any]:
    """(the cases with meta tensors, the recipes to make them real)."""
    import torch

    recipes = _recorder_class()()
    with torch.device("meta"), recipes:
        cases = list(bench_sizes())
    return cases, recipes


def make_real(case: Any, recipes: Any) -> Any:
    """The case with every meta tensor replayed on the CPU; raises when one cannot be."""
    replay = _Replay(recipes)
    real = replace(case, args=tuple(replay.real(tuple(case.args))), kwargs=replay.real(dict(case.kwargs)),
                   init=replay.real(dict(case.init)), expected=None)
    for _, tensor in _leaves(list(real.args) + list(real.kwargs.values()) + list(real.init.values())):
        if tensor.device.type == "meta":
            raise LookupError("a tensor stayed on the meta device")
    return real
