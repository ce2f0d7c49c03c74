
def softmax(x, dim=-1):
    # log-sum-exp in float64, cast back at the end
    x64 = x.double()
    m = x64.max(dim=dim, keepdim=True).values
    lse = m + (x64 - m).exp().sum(dim=dim, keepdim=True).log()
    return (x64 - lse).exp().to(x.dtype)
