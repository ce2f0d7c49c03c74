# llmprep: rms-norm
# A correct RMSNorm with a different formula: RMS = ‖x‖ / √D, one row at a time.

import torch


def rms_norm(x, weight, eps=1e-6):
    D = x.shape[-1]
    rows = x.reshape(-1, D)
    out = torch.empty_like(rows)
    for r in range(rows.shape[0]):
        norm = torch.linalg.vector_norm(rows[r])
        out[r] = rows[r] / torch.sqrt(norm * norm / D + eps)
    return out.reshape(x.shape) * weight
