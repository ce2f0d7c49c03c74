"""Evaluates the two schedules of the submission at a list of steps, directly or through LambdaLR.

inputs["args"] = (steps,) an int64 tensor; inputs["kwargs"]: "schedule" ("warmup-cosine" or
"noam"), "driver" ("direct", the default, or "LambdaLR": consecutive steps from 0, read back from
an optimizer whose base lr is 1), and the schedule's own keyword arguments. The entry is
warmup_cosine_lr; noam_lr is looked up beside it in the same file. Returns a float64 tensor of
learning rates; an exception (a ZeroDivisionError at step 0) propagates, so the report shows it
with its line. Imports only torch and the standard library (it runs inside the grading worker too).
"""

import sys
import warnings

import torch

# What this harness raises, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "no-noam": ("define noam_lr(step, d_model, warmup_steps) in the same file as warmup_cosine_lr",
                "请在 warmup_cosine_lr 所在的文件中定义 noam_lr(step, d_model, warmup_steps)"),
    "not-float": ("the schedule returned {type} at step {step}: return a float",
                  "学习率调度在第 {step} 步返回了 {type}：请返回 float"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)


def _schedule(entry, name):
    if name == "warmup-cosine":
        return getattr(entry, "warmup_cosine_lr", entry)
    noam = getattr(entry, "noam_lr", None) or getattr(sys.modules.get(getattr(entry, "__module__", "")), "noam_lr", None)
    if noam is None:
        raise NameError(_say("no-noam"))
    return noam


def _as_float(value, step):
    if isinstance(value, bool) or not isinstance(value, (int, float, torch.Tensor)):
        raise TypeError(_say("not-float", type=type(value).__name__, step=step))
    return float(value)


def run(entry, inputs):
    """The learning rate at each requested step, float64."""
    (steps,) = inputs["args"]
    config = dict(inputs["kwargs"])
    schedule = _schedule(entry, config.pop("schedule"))
    driver = config.pop("driver", "direct")

    def lr_at(step):
        return _as_float(schedule(step, **config), step)

    if driver == "direct":
        rates = [lr_at(int(step)) for step in steps]
    else:  # as a LambdaLR multiplier: base lr 1, so the optimizer's lr is the schedule itself
        optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lr_at)
        rates = []
        with warnings.catch_warnings():
            # No optimizer.step() between scheduler steps (nothing is trained here): silence
            # LambdaLR's warning about that order.
            warnings.simplefilter("ignore", UserWarning)
            for _ in steps:
                rates.append(optimizer.param_groups[0]["lr"])
                scheduler.step()
    return torch.tensor(rates, dtype=torch.float64, device=inputs["device"])
