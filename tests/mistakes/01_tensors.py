"""Plausible wrong answers for notebook 01 (tensors and broadcasting), one list per exercise.

Each ``code`` is what a student might type inside the solution region; at least one test cell
of the exercise must fail for every entry (checked by ``autograder.mistakes``).
"""

from autograder.mistakes import Mistake

MISTAKES = {
    "linear_forward": [
        Mistake("multiplies by the weight as stored", why="weight is [out, in]: needs a transpose", code="""
return x @ weight + bias
"""),
        Mistake("reshape instead of transpose", why="reshape keeps row-major order, it does not transpose", code="""
return x @ weight.reshape(weight.shape[1], weight.shape[0]) + bias
"""),
        Mistake("square weight used untransposed", why="runs only for square weights, with weight[i, o]", code="""
if weight.shape[0] == weight.shape[1]:
    return x @ weight + bias
return x @ weight.T + bias
"""),
        Mistake("weight on the left", why="gives [out_features, batch], the transpose of the answer", code="""
return weight @ x.T + bias[:, None]
"""),
        Mistake("forgets the bias", why="nn.Linear adds bias[o] to every output", code="""
return x @ weight.T
"""),
        Mistake("casts to float32", why="the dtype of the inputs must be kept", code="""
return x.float() @ weight.float().T + bias.float()
"""),
        Mistake("t_() transposes the caller's weight", why="t_ is in place: the caller's weight becomes [in, out]", code="""
return x @ weight.t_() + bias
"""),
        Mistake("detour through NumPy", why="no gradient flows back, and it fails off the CPU", code="""
return torch.from_numpy(x.numpy() @ weight.numpy().T + bias.numpy())
"""),
        Mistake("result buffer made on the CPU", why="torch.empty without device=: wrong on a GPU", code="""
out = torch.empty(x.shape[0], weight.shape[0], dtype=x.dtype)
out[:] = x @ weight.T + bias
return out
"""),
        Mistake("bias as a column", why="bias[:, None] is [out, 1]: it lines up with the batch, not the features", code="""
return x @ weight.T + bias[:, None]
"""),
        Mistake("einsum with the weight read as [in, out]", why="'ni,io->no' treats weight as stored the other way round", code="""
return torch.einsum("ni,io->no", x, weight) + bias
"""),
    ],
    "split_heads": [
        Mistake("one reshape straight to the target shape", why="mixes tokens and heads", code="""
batch, seq_len, features = x.shape
return x.reshape(batch, num_heads, seq_len, features // num_heads)
"""),
        Mistake("splits the last dim as [head_dim, num_heads]", why="heads are contiguous blocks, not interleaved", code="""
batch, seq_len, features = x.shape
return x.reshape(batch, seq_len, features // num_heads, num_heads).permute(0, 3, 1, 2)
"""),
        Mistake("wrong permute order", why="gives [B, H, D, T]", code="""
batch, seq_len, features = x.shape
return x.reshape(batch, seq_len, num_heads, features // num_heads).permute(0, 2, 3, 1)
"""),
        Mistake("view after transposing time and features", why="[B, F, T] viewed as [B, H, T, D] mixes entries", code="""
batch, seq_len, features = x.shape
return x.transpose(1, 2).reshape(batch, num_heads, seq_len, features // num_heads)
"""),
        Mistake("split instead of chunk", why="x.split(n) cuts pieces of SIZE n, not n pieces", code="""
return torch.stack(x.split(num_heads, dim=-1), dim=1)
"""),
        Mistake("fills a buffer made on the CPU", why="torch.empty without device=: wrong on a GPU", code="""
batch, seq_len, features = x.shape
head_dim = features // num_heads
out = torch.empty(batch, num_heads, seq_len, head_dim, dtype=x.dtype)
for h in range(num_heads):
    out[:, h] = x[:, :, h * head_dim:(h + 1) * head_dim]
return out
"""),
        Mistake("num_heads and head_dim swapped", why="the argument is the number of heads, not the size of one", code="""
batch, seq_len, features = x.shape
head_dim = num_heads
return x.reshape(batch, seq_len, features // head_dim, head_dim).permute(0, 2, 1, 3)
"""),
        Mistake("chunks the time dim", why="x.chunk(num_heads, dim=1) cuts the sequence, not the features", code="""
return torch.stack(x.chunk(num_heads, dim=1), dim=1)
"""),
        Mistake("stacks the heads behind the time dim", why="gives [B, T, H, D]: the heads were never moved", code="""
return torch.stack(x.chunk(num_heads, dim=-1), dim=2)
"""),
        Mistake("true division for head_dim", why="features / num_heads is a float: reshape refuses it", code="""
batch, seq_len, features = x.shape
head_dim = features / num_heads
return x.reshape(batch, seq_len, num_heads, head_dim).permute(0, 2, 1, 3)
"""),
        Mistake("converts to float", why="the dtype of x must be kept (ids, masks)", code="""
batch, seq_len, features = x.shape
return x.float().reshape(batch, seq_len, num_heads, features // num_heads).permute(0, 2, 1, 3)
"""),
        Mistake("detour through NumPy", why="no gradient flows back, and it fails off the CPU", code="""
batch, seq_len, features = x.shape
arr = x.numpy().reshape(batch, seq_len, num_heads, features // num_heads).transpose(0, 2, 1, 3)
return torch.from_numpy(arr.copy())
"""),
    ],
    "merge_heads": [
        Mistake("view after transpose", why="view refuses a non-contiguous tensor", code="""
batch, num_heads, seq_len, head_dim = x.shape
return x.transpose(1, 2).view(batch, seq_len, num_heads * head_dim)
"""),
        Mistake("reshape without moving the heads", why="keeps [B, H, T, D] order: mixes tokens", code="""
batch, num_heads, seq_len, head_dim = x.shape
return x.reshape(batch, seq_len, num_heads * head_dim)
"""),
        Mistake("concatenates along the time dim", why="gives [B, H*T, D]", code="""
return torch.cat(list(x.unbind(dim=1)), dim=1)
"""),
        Mistake("interleaves the heads", why="puts head_dim before num_heads in the merged dim", code="""
batch, num_heads, seq_len, head_dim = x.shape
return x.permute(0, 2, 3, 1).reshape(batch, seq_len, num_heads * head_dim)
"""),
        Mistake("transpose_ on the input", why="transpose_ changes the caller's tensor", code="""
batch, num_heads, seq_len, head_dim = x.shape
return x.transpose_(1, 2).reshape(batch, seq_len, num_heads * head_dim)
"""),
        Mistake("flattens without moving the heads", why="gives [B, H, T*D]", code="""
return x.flatten(start_dim=2)
"""),
        Mistake("detour through NumPy", why="no gradient flows back, and it fails off the CPU", code="""
batch, num_heads, seq_len, head_dim = x.shape
return torch.from_numpy(x.numpy().transpose(0, 2, 1, 3).reshape(batch, seq_len, num_heads * head_dim))
"""),
        Mistake("unbinds the time dim", why="cat of x.unbind(dim=2) joins time steps: gives [B, H, T*D]", code="""
return torch.cat(x.unbind(dim=2), dim=-1)
"""),
        Mistake("transposes time and head_dim", why="transpose(2, 3) swaps the wrong pair of dims", code="""
batch, num_heads, seq_len, head_dim = x.shape
return x.transpose(2, 3).reshape(batch, seq_len, num_heads * head_dim)
"""),
        Mistake("fills a buffer made on the CPU", why="torch.zeros without device=: wrong on a GPU", code="""
batch, num_heads, seq_len, head_dim = x.shape
out = torch.zeros(batch, seq_len, num_heads * head_dim, dtype=x.dtype)
for h in range(num_heads):
    out[:, :, h * head_dim:(h + 1) * head_dim] = x[:, h]
return out
"""),
        Mistake("flattens the wrong pair of dims", why="flatten(1, 2) after the transpose merges time and heads: [B, T*H, D]", code="""
return x.transpose(1, 2).flatten(1, 2)
"""),
        Mistake("converts to float", why="the dtype of x must be kept", code="""
batch, num_heads, seq_len, head_dim = x.shape
return x.transpose(1, 2).float().reshape(batch, seq_len, num_heads * head_dim)
"""),
    ],
    "broadcast_shape": [
        Mistake("aligns from the left", why="broadcasting aligns trailing dims", code="""
rank = max(len(a), len(b))
a_full = tuple(a) + (1,) * (rank - len(a))
b_full = tuple(b) + (1,) * (rank - len(b))
out = []
for p, q in zip(a_full, b_full):
    if p != q and p != 1 and q != 1:
        raise ValueError("cannot broadcast")
    out.append(max(p, q))
return tuple(out)
"""),
        Mistake("takes the max without checking", why="accepts 4 facing 3", code="""
rank = max(len(a), len(b))
a_full = (1,) * (rank - len(a)) + tuple(a)
b_full = (1,) * (rank - len(b)) + tuple(b)
return tuple(max(p, q) for p, q in zip(a_full, b_full))
"""),
        Mistake("max picks 1 over 0", why="a size 1 facing 0 broadcasts to 0", code="""
rank = max(len(a), len(b))
a_full = (1,) * (rank - len(a)) + tuple(a)
b_full = (1,) * (rank - len(b)) + tuple(b)
out = []
for p, q in zip(a_full, b_full):
    if p != q and p != 1 and q != 1:
        raise ValueError("cannot broadcast")
    out.append(max(p, q))
return tuple(out)
"""),
        Mistake("zip drops the extra leading dims", why="shapes of different rank lose dims", code="""
out = []
for p, q in zip(reversed(a), reversed(b)):
    if p == q or q == 1:
        out.append(p)
    elif p == 1:
        out.append(q)
    else:
        raise ValueError("cannot broadcast")
return tuple(reversed(out))
"""),
        Mistake("returns a list", why="the docstring asks for a tuple", code="""
rank = max(len(a), len(b))
a_full = [1] * (rank - len(a)) + list(a)
b_full = [1] * (rank - len(b)) + list(b)
out = []
for p, q in zip(a_full, b_full):
    if p == q or q == 1:
        out.append(p)
    elif p == 1:
        out.append(q)
    else:
        raise ValueError("cannot broadcast")
return out
"""),
        Mistake("raises RuntimeError like torch", why="the docstring asks for ValueError", code="""
rank = max(len(a), len(b))
a_full = (1,) * (rank - len(a)) + tuple(a)
b_full = (1,) * (rank - len(b)) + tuple(b)
out = []
for p, q in zip(a_full, b_full):
    if p == q or q == 1:
        out.append(p)
    elif p == 1:
        out.append(q)
    else:
        raise RuntimeError("cannot broadcast")
return tuple(out)
"""),
        Mistake("a tuple of numpy ints", why="np.where gives numpy.int64 sizes, not Python ints", code="""
import numpy as np
rank = max(len(a), len(b))
a_full = np.array((1,) * (rank - len(a)) + tuple(a), dtype=np.int64)
b_full = np.array((1,) * (rank - len(b)) + tuple(b), dtype=np.int64)
if ((a_full != b_full) & (a_full != 1) & (b_full != 1)).any():
    raise ValueError("cannot broadcast")
return tuple(np.where(a_full == 1, b_full, a_full))
"""),
        Mistake("assert instead of raise", why="an AssertionError is not the promised ValueError (and python -O skips it)", code="""
rank = max(len(a), len(b))
a_full = (1,) * (rank - len(a)) + tuple(a)
b_full = (1,) * (rank - len(b)) + tuple(b)
out = []
for p, q in zip(a_full, b_full):
    assert p == q or p == 1 or q == 1, f"{p} faces {q}"
    out.append(q if p == 1 else p)
return tuple(out)
"""),
        Mistake("treats 0 like 1", why="a size 0 facing 3 cannot broadcast", code="""
rank = max(len(a), len(b))
a_full = (1,) * (rank - len(a)) + tuple(a)
b_full = (1,) * (rank - len(b)) + tuple(b)
out = []
for p, q in zip(a_full, b_full):
    if p == q or p <= 1 or q <= 1:
        out.append(min(p, q) if 0 in (p, q) else max(p, q))
    else:
        raise ValueError("cannot broadcast")
return tuple(out)
"""),
        Mistake("only b may be 1", why="forgets that a size 1 in a is stretched too", code="""
rank = max(len(a), len(b))
a_full = (1,) * (rank - len(a)) + tuple(a)
b_full = (1,) * (rank - len(b)) + tuple(b)
out = []
for p, q in zip(a_full, b_full):
    if p == q or q == 1:
        out.append(p)
    else:
        raise ValueError("cannot broadcast")
return tuple(out)
"""),
        Mistake("forgets to reverse back", why="walks the shapes from the right and returns the sizes in that order", code="""
from itertools import zip_longest
out = []
for p, q in zip_longest(reversed(a), reversed(b), fillvalue=1):
    if p == q or q == 1:
        out.append(p)
    elif p == 1:
        out.append(q)
    else:
        raise ValueError("cannot broadcast")
return tuple(out)
"""),
    ],
    "pairwise_distances": [
        Mistake("squared distances", why="forgot the square root", code="""
diff = x[:, None, :] - y[None, :, :]
return (diff ** 2).sum(dim=-1)
"""),
        Mistake("no new dims before subtracting", why="x - y pairs row i with row i only", code="""
return ((x - y) ** 2).sum(dim=1).sqrt()
"""),
        Mistake("sums over the wrong dim", why="sums over M instead of D: [N, D]", code="""
diff = x[:, None, :] - y[None, :, :]
return (diff ** 2).sum(dim=1).sqrt()
"""),
        Mistake("x and y swapped", why="returns [M, N]", code="""
diff = y[:, None, :] - x[None, :, :]
return (diff ** 2).sum(dim=-1).sqrt()
"""),
        Mistake("Manhattan distance", why="sum of absolute differences is not Euclidean", code="""
return (x[:, None, :] - y[None, :, :]).abs().sum(dim=-1)
"""),
        Mistake("unsqueeze_ on the inputs", why="unsqueeze_ changes the caller's x and y", code="""
x.unsqueeze_(1)
y.unsqueeze_(0)
return ((x - y) ** 2).sum(dim=-1).sqrt()
"""),
        Mistake("detour through NumPy", why="no gradient flows back, and it fails off the CPU", code="""
import numpy as np
diff = x.numpy()[:, None, :] - y.numpy()[None, :, :]
return torch.from_numpy(np.sqrt((diff ** 2).sum(axis=-1)))
"""),
        Mistake("norm over the wrong dim", why="(x[:, None] - y[None]).norm(dim=1) reduces over M, not D", code="""
return (x[:, None, :] - y[None, :, :]).norm(dim=1)
"""),
        Mistake("|x|^2 + |y|^2 - 2 x.y without clamping", why="rounding makes tiny negative squares: sqrt gives NaN where a distance is 0", code="""
sq = (x ** 2).sum(dim=1)[:, None] + (y ** 2).sum(dim=1)[None, :] - 2 * x @ y.T
return sq.sqrt()
"""),
        Mistake("keepdim in the sum", why="gives [N, M, 1]", code="""
diff = x[:, None, :] - y[None, :, :]
return (diff ** 2).sum(dim=-1, keepdim=True).sqrt()
"""),
        Mistake("np.sqrt on a tensor", why="numpy cannot take a tensor that requires grad, nor one on a GPU", code="""
import numpy as np
diff = x[:, None, :] - y[None, :, :]
return np.sqrt((diff ** 2).sum(dim=-1))
"""),
    ],
    "normalize_rows": [
        Mistake("divides by column totals", why="sum over dim=0 normalises columns", code="""
counts = counts.float()
return counts / counts.sum(dim=0, keepdim=True).clamp(min=1.0)
"""),
        Mistake("forgets keepdim", why="[N, V] / [N] fails, or silently pairs column j with row j", code="""
counts = counts.float()
return counts / counts.sum(dim=1).clamp(min=1.0)
"""),
        Mistake("divides by the grand total", why="a global sum, not one per document", code="""
counts = counts.float()
return counts / counts.sum()
"""),
        Mistake("NaN for empty documents", why="0 / 0 is NaN", code="""
counts = counts.float()
return counts / counts.sum(dim=1, keepdim=True)
"""),
        Mistake("keeps the integer dtype", why="floor division of int64 counts gives 0s", code="""
totals = counts.sum(dim=1, keepdim=True)
return counts // totals.clamp(min=1)
"""),
        Mistake("divides in place", why=".float() of a float32 tensor is the same tensor: /= changes the caller's counts", code="""
counts = counts.float()
counts /= counts.sum(dim=1, keepdim=True).clamp(min=1.0)
return counts
"""),
        Mistake("keeps float64", why="the docstring promises float32 whatever the input", code="""
if not counts.is_floating_point():
    counts = counts.float()
return counts / counts.sum(dim=1, keepdim=True).clamp(min=1.0)
"""),
        Mistake("totals built on the CPU", why="torch.tensor(list) lands on the CPU: wrong on a GPU", code="""
totals = torch.tensor([max(float(row.sum()), 1.0) for row in counts])
return counts.float() / totals[:, None]
"""),
        Mistake("softmax instead of dividing by the total", why="softmax normalises exp(counts), not the counts", code="""
return torch.softmax(counts.float(), dim=1)
"""),
        Mistake("L2 normalisation", why="F.normalize divides by the Euclidean norm by default (p=2), not by the sum", code="""
return torch.nn.functional.normalize(counts.float(), dim=1)
"""),
        Mistake("float64 result", why=".double() gives float64; the docstring promises float32", code="""
counts = counts.double()
return counts / counts.sum(dim=1, keepdim=True).clamp(min=1.0)
"""),
        Mistake("divides by the row mean", why="mean instead of sum: rows sum to vocab_size", code="""
counts = counts.float()
return counts / counts.mean(dim=1, keepdim=True).clamp(min=1e-12)
"""),
    ],
    "masked_mean": [
        Mistake("divides by seq_len", why="padding positions are counted in the length", code="""
return (x * mask).sum(dim=1) / x.shape[1]
"""),
        Mistake("ignores the mask", why="averages the padding too", code="""
return x.mean(dim=1)
"""),
        Mistake("NaN on all-padding rows", why="0 / 0 is NaN", code="""
return (x * mask).sum(dim=1) / mask.sum(dim=1)
"""),
        Mistake("sums the padding values", why="padding values are arbitrary, not 0", code="""
return x.sum(dim=1) / mask.sum(dim=1).clamp(min=1)
"""),
        Mistake("one mean for the whole batch", why="x[mask] flattens all rows together", code="""
return x[mask].mean().expand(x.shape[0])
"""),
        Mistake("returns float32 always", why="the dtype of x must be kept", code="""
m = mask.float()
return (x.float() * m).sum(dim=1) / m.sum(dim=1).clamp(min=1.0)
"""),
        Mistake("zeros the padding in place", why="x[~mask] = 0 changes the caller's x", code="""
x[~mask] = 0
return x.sum(dim=1) / mask.sum(dim=1).clamp(min=1)
"""),
        Mistake("torch.where after 0 / 0", why="the value is fixed but the gradient of an all-padding row is NaN", code="""
m = mask.to(x.dtype)
mean = (x * m).sum(dim=1) / m.sum(dim=1)
return torch.where(m.sum(dim=1) > 0, mean, torch.zeros_like(mean))
"""),
        Mistake("lengths built on the CPU", why="torch.tensor(list) lands on the CPU: wrong on a GPU", code="""
lengths = torch.tensor([int(row.sum()) for row in mask]).clamp(min=1)
return (x * mask).sum(dim=1) / lengths
"""),
        Mistake("nanmean over the masked values", why="an all-padding row gives NaN, not 0.0", code="""
return x.masked_fill(~mask, float("nan")).nanmean(dim=1)
"""),
        Mistake("keepdim everywhere", why="gives [batch, 1] instead of [batch]", code="""
m = mask.to(x.dtype)
return (x * m).sum(dim=1, keepdim=True) / m.sum(dim=1, keepdim=True).clamp(min=1.0)
"""),
        Mistake("floor division", why="// rounds the mean down", code="""
m = mask.to(x.dtype)
return (x * m).sum(dim=1) // m.sum(dim=1).clamp(min=1.0)
"""),
    ],
    "sgd_step": [
        Mistake("update outside no_grad", why="in-place change of a leaf that requires grad is refused", code="""
model.zero_grad()
loss = ((model(X) - y) ** 2).mean()
loss.backward()
for p in model.parameters():
    p -= lr * p.grad
return loss.item()
"""),
        Mistake("never clears gradients", why="backward adds to .grad: stale and earlier gradients leak in", code="""
loss = ((model(X) - y) ** 2).mean()
loss.backward()
with torch.no_grad():
    for p in model.parameters():
        p -= lr * p.grad
return loss.item()
"""),
        Mistake("steps uphill", why="gradient descent subtracts the gradient", code="""
model.zero_grad()
loss = ((model(X) - y) ** 2).mean()
loss.backward()
with torch.no_grad():
    for p in model.parameters():
        p += lr * p.grad
return loss.item()
"""),
        Mistake("sum instead of mean", why="the loss is the mean squared error", code="""
model.zero_grad()
loss = ((model(X) - y) ** 2).sum()
loss.backward()
with torch.no_grad():
    for p in model.parameters():
        p -= lr * p.grad
return loss.item()
"""),
        Mistake("updates only the weight", why="every parameter, including the bias, must move", code="""
model.zero_grad()
loss = ((model(X) - y) ** 2).mean()
loss.backward()
with torch.no_grad():
    model.weight -= lr * model.weight.grad
return loss.item()
"""),
        Mistake("returns the loss tensor", why="the docstring asks for a Python float", code="""
model.zero_grad()
loss = ((model(X) - y) ** 2).mean()
loss.backward()
with torch.no_grad():
    for p in model.parameters():
        p -= lr * p.grad
return loss
"""),
        Mistake("returns the loss after the step", why="the loss before the update is asked for", code="""
model.zero_grad()
loss = ((model(X) - y) ** 2).mean()
loss.backward()
with torch.no_grad():
    for p in model.parameters():
        p -= lr * p.grad
    return ((model(X) - y) ** 2).mean().item()
"""),
        Mistake("replaces the parameters", why="new tensors instead of in-place updates", code="""
model.zero_grad()
loss = ((model(X) - y) ** 2).mean()
loss.backward()
model.weight = nn.Parameter(model.weight - lr * model.weight.grad)
model.bias = nn.Parameter(model.bias - lr * model.bias.grad)
return loss.item()
"""),
        Mistake("clears gradients after backward", why="zero_grad between backward and the update drops the gradient", code="""
loss = ((model(X) - y) ** 2).mean()
loss.backward()
model.zero_grad()
with torch.no_grad():
    for p in model.parameters():
        if p.grad is not None:
            p -= lr * p.grad
return loss.item()
"""),
        Mistake("clears gradients after the update", why="the stale gradients of earlier code leak into this step", code="""
loss = ((model(X) - y) ** 2).mean()
loss.backward()
with torch.no_grad():
    for p in model.parameters():
        p -= lr * p.grad
model.zero_grad()
return loss.item()
"""),
        Mistake("learning rate hard-coded", why="copied 0.1 from the example above instead of using lr", code="""
model.zero_grad()
loss = ((model(X) - y) ** 2).mean()
loss.backward()
with torch.no_grad():
    for p in model.parameters():
        p -= 0.1 * p.grad
return loss.item()
"""),
        Mistake(".item() before backward", why="a Python float has no backward()", code="""
model.zero_grad()
loss = ((model(X) - y) ** 2).mean().item()
loss.backward()
with torch.no_grad():
    for p in model.parameters():
        p -= lr * p.grad
return loss
"""),
        Mistake("squeezes the predictions", why="[N] - [N, 1] broadcasts to [N, N] when out_features is 1", code="""
model.zero_grad()
loss = ((model(X).squeeze() - y) ** 2).mean()
loss.backward()
with torch.no_grad():
    for p in model.parameters():
        p -= lr * p.grad
return loss.item()
"""),
        Mistake("mean over the rows only", why="sum / N is the mean over all entries only when out_features is 1", code="""
model.zero_grad()
loss = ((model(X) - y) ** 2).sum() / len(X)
loss.backward()
with torch.no_grad():
    for p in model.parameters():
        p -= lr * p.grad
return loss.item()
"""),
        Mistake("the whole step under no_grad", why="nothing is recorded, so backward() has no graph to walk", code="""
model.zero_grad()
with torch.no_grad():
    loss = ((model(X) - y) ** 2).mean()
    loss.backward()
    for p in model.parameters():
        p -= lr * p.grad
return loss.item()
"""),
        Mistake("detached predictions", why="model(X).detach() cuts the graph: no gradient reaches the parameters", code="""
model.zero_grad()
pred = model(X).detach()
loss = ((pred - y) ** 2).mean()
loss.backward()
with torch.no_grad():
    for p in model.parameters():
        p -= lr * p.grad
return loss.item()
"""),
    ],
}
