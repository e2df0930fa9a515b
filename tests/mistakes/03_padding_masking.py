"""Plausible wrong answers for notebook 03 (padding, truncation, masking and batching).

Each ``code`` is what a student might type inside the solution region; at least one test cell
of the exercise must fail for every entry (checked by ``autograder.mistakes``).
"""

from autograder.mistakes import Mistake

MISTAKES = {
    "choose_max_len": [
        Mistake("interpolated percentile, truncated", why="np.percentile interpolates; int() rounds down below the target", code="""
return int(np.percentile(lengths, percentile))
"""),
        Mistake("interpolated percentile, rounded up", why="ceil of an interpolated value can exceed the smallest fitting length", code="""
return int(math.ceil(np.percentile(lengths, percentile)))
"""),
        Mistake("index p * N into the sorted lengths", why="off by one: needs ceil(p * N) - 1", code="""
ordered = sorted(lengths)
return int(ordered[min(int(percentile / 100 * len(ordered)), len(ordered) - 1)])
"""),
        Mistake("returns a NumPy integer", why="np.percentile(method='inverted_cdf') returns numpy.int64", code="""
return np.percentile(lengths, percentile, method="inverted_cdf")
"""),
        Mistake("takes the maximum", why="one outlier decides max_len", code="""
return int(max(lengths))
"""),
        Mistake("sorts the caller's list in place", why='lengths.sort() reorders the list the caller passed in (and fails on a tuple)', code="""
lengths.sort()
needed = math.ceil(percentile * len(lengths) / 100)
return int(lengths[max(needed, 1) - 1])
"""),
        Mistake('round instead of ceil', why='round(3.04) = 3 keeps too few sequences; at least p% must fit, so round up', code="""
ordered = sorted(lengths)
needed = round(percentile * len(ordered) / 100)
return int(ordered[max(needed, 1) - 1])
"""),
        Mistake('ceil index without the - 1', why='the k-th smallest value is ordered[k - 1]: one position too far', code="""
ordered = sorted(lengths)
return int(ordered[min(math.ceil(percentile * len(ordered) / 100), len(ordered) - 1)])
"""),
        Mistake("np.quantile with method='higher'", why="'higher' rounds the index (N - 1) * q up, which is not the smallest fitting length", code="""
return int(np.quantile(lengths, percentile / 100, method="higher"))
"""),
        Mistake("np.percentile with method='nearest'", why="'nearest' rounds the interpolated index, sometimes down: too few sequences fit", code="""
return int(np.percentile(lengths, percentile, method="nearest"))
"""),
        Mistake('strictly more than p percent', why='> instead of >=: when exactly p% fit, a longer L is returned', code="""
ordered = sorted(lengths)
for L in ordered:
    if sum(x <= L for x in ordered) / len(ordered) * 100 > percentile:
        return int(L)
return int(ordered[-1])
"""),
        Mistake('hard-codes the 95th percentile', why='the percentile argument is ignored', code="""
ordered = sorted(lengths)
needed = math.ceil(95 * len(ordered) / 100)
return int(ordered[max(needed, 1) - 1])
"""),
    ],
    "pad_truncate": [
        Mistake("off-by-one truncation", why="keeps max_len - 1 ids of a long sequence", code="""
if padding not in ("pre", "post") or truncating not in ("pre", "post"):
    raise ValueError("bad side")
out = torch.full((len(seqs), max_len), pad_idx, dtype=torch.long)
for row, seq in enumerate(seqs):
    ids = list(seq)
    if len(ids) > max_len:
        ids = ids[:max_len - 1] if truncating == "post" else ids[len(ids) - max_len + 1:]
    if ids:
        if padding == "post":
            out[row, :len(ids)] = torch.tensor(ids)
        else:
            out[row, max_len - len(ids):] = torch.tensor(ids)
return out
"""),
        Mistake("padding on the wrong side", why="post and pre swapped", code="""
if padding not in ("pre", "post") or truncating not in ("pre", "post"):
    raise ValueError("bad side")
out = torch.full((len(seqs), max_len), pad_idx, dtype=torch.long)
for row, seq in enumerate(seqs):
    ids = list(seq)
    if len(ids) > max_len:
        ids = ids[:max_len] if truncating == "post" else ids[len(ids) - max_len:]
    if ids:
        if padding == "pre":
            out[row, :len(ids)] = torch.tensor(ids)
        else:
            out[row, max_len - len(ids):] = torch.tensor(ids)
return out
"""),
        Mistake("truncation keeps the wrong end", why="'post' truncation must cut the end, keeping the first ids", code="""
if padding not in ("pre", "post") or truncating not in ("pre", "post"):
    raise ValueError("bad side")
out = torch.full((len(seqs), max_len), pad_idx, dtype=torch.long)
for row, seq in enumerate(seqs):
    ids = list(seq)
    if len(ids) > max_len:
        ids = ids[-max_len:] if truncating == "post" else ids[:max_len]
    if ids:
        if padding == "post":
            out[row, :len(ids)] = torch.tensor(ids)
        else:
            out[row, max_len - len(ids):] = torch.tensor(ids)
return out
"""),
        Mistake("pads with 0 whatever pad_idx is", why="pad_idx ignored", code="""
if padding not in ("pre", "post") or truncating not in ("pre", "post"):
    raise ValueError("bad side")
out = torch.zeros(len(seqs), max_len, dtype=torch.long)
for row, seq in enumerate(seqs):
    ids = list(seq)
    if len(ids) > max_len:
        ids = ids[:max_len] if truncating == "post" else ids[len(ids) - max_len:]
    if ids:
        if padding == "post":
            out[row, :len(ids)] = torch.tensor(ids)
        else:
            out[row, max_len - len(ids):] = torch.tensor(ids)
return out
"""),
        Mistake("float tensor", why="ids must be int64 for nn.Embedding", code="""
if padding not in ("pre", "post") or truncating not in ("pre", "post"):
    raise ValueError("bad side")
out = torch.full((len(seqs), max_len), float(pad_idx))
for row, seq in enumerate(seqs):
    ids = list(seq)
    if len(ids) > max_len:
        ids = ids[:max_len] if truncating == "post" else ids[len(ids) - max_len:]
    if ids:
        if padding == "post":
            out[row, :len(ids)] = torch.tensor(ids, dtype=torch.float32)
        else:
            out[row, max_len - len(ids):] = torch.tensor(ids, dtype=torch.float32)
return out
"""),
        Mistake("unknown sides fall back silently", why="a typo such as 'left' must raise", code="""
out = torch.full((len(seqs), max_len), pad_idx, dtype=torch.long)
for row, seq in enumerate(seqs):
    ids = list(seq)
    if len(ids) > max_len:
        ids = ids[len(ids) - max_len:] if truncating == "pre" else ids[:max_len]
    if ids:
        if padding == "pre":
            out[row, max_len - len(ids):] = torch.tensor(ids)
        else:
            out[row, :len(ids)] = torch.tensor(ids)
return out
"""),
        Mistake("cuts and pads the caller's lists", why='del seq[...] changes the sequences the caller passed in', code="""if padding not in ("pre", "post") or truncating not in ("pre", "post"):
    raise ValueError(f"bad side: {padding!r}, {truncating!r}")

rows = []
for seq in seqs:
    if len(seq) > max_len:
        if truncating == "post":
            del seq[max_len:]
        else:
            del seq[:len(seq) - max_len]
    fill = [pad_idx] * (max_len - len(seq))
    rows.append(list(seq) + fill if padding == "post" else fill + list(seq))
return torch.tensor(rows, dtype=torch.long)
"""),
        Mistake('torch.tensor of the rows', why='no sequences gives shape (0,), not (0, max_len)', code="""if padding not in ("pre", "post") or truncating not in ("pre", "post"):
    raise ValueError(f"bad side: {padding!r}, {truncating!r}")

rows = []
for seq in seqs:
    ids = list(seq)
    if len(ids) > max_len:
        ids = ids[:max_len] if truncating == "post" else ids[len(ids) - max_len:]
    fill = [pad_idx] * (max_len - len(ids))
    rows.append(ids + fill if padding == "post" else fill + ids)
return torch.tensor(rows, dtype=torch.long)
"""),
        Mistake('pre-padding by reversing the row', why='row[::-1] also reverses the order of the tokens', code="""if padding not in ("pre", "post") or truncating not in ("pre", "post"):
    raise ValueError(f"bad side: {padding!r}, {truncating!r}")

out = []
for seq in seqs:
    ids = list(seq)
    if len(ids) > max_len:
        ids = ids[:max_len] if truncating == "post" else ids[len(ids) - max_len:]
    row = ids + [pad_idx] * (max_len - len(ids))
    out.append(row if padding == "post" else row[::-1])
return torch.tensor(out, dtype=torch.long).reshape(len(seqs), max_len)
"""),
        Mistake('validates only the padding side', why='a typo in truncating silently truncates at the start', code="""
if padding not in ("pre", "post"):
    raise ValueError(f"bad padding side {padding!r}")
out = torch.full((len(seqs), max_len), pad_idx, dtype=torch.long)
for row, seq in enumerate(seqs):
    ids = list(seq)
    if len(ids) > max_len:
        ids = ids[:max_len] if truncating == "post" else ids[len(ids) - max_len:]
    if ids:
        if padding == "post":
            out[row, :len(ids)] = torch.tensor(ids)
        else:
            out[row, max_len - len(ids):] = torch.tensor(ids)
return out
"""),
        Mistake('pads to the longest sequence, capped at max_len', why='dynamic padding: a batch of short sequences comes out narrower than max_len', code="""if padding not in ("pre", "post") or truncating not in ("pre", "post"):
    raise ValueError(f"bad side: {padding!r}, {truncating!r}")

width = min(max((len(s) for s in seqs), default=0), max_len)
out = torch.full((len(seqs), width), pad_idx, dtype=torch.long)
for row, seq in enumerate(seqs):
    ids = list(seq)
    if len(ids) > width:
        ids = ids[:width] if truncating == "post" else ids[len(ids) - width:]
    if ids:
        if padding == "post":
            out[row, :len(ids)] = torch.tensor(ids)
        else:
            out[row, width - len(ids):] = torch.tensor(ids)
return out
"""),
        Mistake('dtype=torch.int', why='torch.int is int32; token ids are int64', code="""if padding not in ("pre", "post") or truncating not in ("pre", "post"):
    raise ValueError(f"bad side: {padding!r}, {truncating!r}")

out = torch.full((len(seqs), max_len), pad_idx, dtype=torch.int)
for row, seq in enumerate(seqs):
    ids = list(seq)
    if len(ids) > max_len:
        ids = ids[:max_len] if truncating == "post" else ids[len(ids) - max_len:]
    if ids:
        if padding == "post":
            out[row, :len(ids)] = torch.tensor(ids)
        else:
            out[row, max_len - len(ids):] = torch.tensor(ids)
return out
"""),
    ],
    "lengths_to_mask": [
        Mistake("<= instead of <", why="position lengths[b] is already padding", code="""
width = int(lengths.max()) if max_len is None else max_len
return torch.arange(width)[None, :] <= lengths[:, None]
"""),
        Mistake("inverted mask", why="True must mark real tokens", code="""
width = int(lengths.max()) if max_len is None else max_len
return torch.arange(width)[None, :] >= lengths[:, None]
"""),
        Mistake("integer mask", why="a mask is bool", code="""
width = int(lengths.max()) if max_len is None else max_len
return (torch.arange(width)[None, :] < lengths[:, None]).long()
"""),
        Mistake("max_len ignored", why="the mask must be as wide as the padded batch", code="""
return torch.arange(int(lengths.max()))[None, :] < lengths[:, None]
"""),
        Mistake("lengths -= 1 in place", why="the mask is right (t <= L - 1) but the caller's lengths lose one", code="""
width = int(lengths.max()) if max_len is None else max_len
lengths -= 1
return torch.arange(width, device=lengths.device)[None, :] <= lengths[:, None]
"""),
        Mistake("arange on the CPU", why="torch.arange(T) without device=: wrong when lengths are on a GPU", code="""
width = int(lengths.max()) if max_len is None else max_len
return torch.arange(width)[None, :] < lengths[:, None]
"""),
        Mistake('width from the batch size', why='len(lengths) is the number of rows, not the longest length', code="""
width = len(lengths) if max_len is None else max_len
return torch.arange(width, device=lengths.device)[None, :] < lengths[:, None]
"""),
        Mistake('a Python loop on a CPU buffer', why='torch.zeros(...) without device= is made on the CPU (and loops are slow)', code="""
width = int(lengths.max()) if max_len is None else max_len
mask = torch.zeros(len(lengths), width, dtype=torch.bool)
for b, n in enumerate(lengths.tolist()):
    mask[b, :n] = True
return mask
"""),
        Mistake('lengths.max() even when max_len is given', why='an empty batch has no max, and a tensor on a GPU or meta device must not be read back', code="""
longest = int(lengths.max())
width = longest if max_len is None else max_len
return torch.arange(width, device=lengths.device)[None, :] < lengths[:, None]
"""),
        Mistake('transposed broadcast', why='arange as a column and lengths as a row give [T, batch]', code="""
width = int(lengths.max()) if max_len is None else max_len
return torch.arange(width, device=lengths.device)[:, None] < lengths[None, :]
"""),
        Mistake('cumsum of a CPU ones tensor', why='torch.ones(...) without device= is made on the CPU', code="""
width = int(lengths.max()) if max_len is None else max_len
return torch.ones(len(lengths), width).cumsum(dim=1) <= lengths[:, None]
"""),
    ],
    "mask_from_ids": [
        Mistake("compares with 0", why="pad_idx ignored", code="""
return ids > 0
"""),
        Mistake("inverted", why="True must mark real tokens", code="""
return ids == pad_idx
"""),
        Mistake("integer mask", why="a mask is bool", code="""
return (ids != pad_idx).long()
"""),
        Mistake("bool() of the ids", why="same as ids != 0: pad_idx ignored", code="""
return ids.bool()
"""),
        Mistake("ne_ instead of ne", why="ne_ overwrites the caller's ids with 0/1", code="""
return ids.ne_(pad_idx).bool()
"""),
        Mistake("uses the notebook's vocab", why='vocab.pad_idx is a global: the pad_idx argument is ignored', code="""
return ids != vocab.pad_idx
"""),
        Mistake('greater than pad_idx', why='ids smaller than pad_idx are real tokens too', code="""
return ids > pad_idx
"""),
        Mistake('float mask', why='a mask is bool; .float() belongs where it is multiplied', code="""
return (ids != pad_idx).float()
"""),
        Mistake('masked_fill_ on the ids', why="masked_fill_ writes into the caller's ids", code="""
return ids.masked_fill_(ids == pad_idx, 0).bool()
"""),
        Mistake('mask from the count of real tokens', why='assumes post-padding: wrong for pre-padded rows', code="""
lengths = (ids != pad_idx).sum(dim=1)
return torch.arange(ids.shape[1], device=ids.device)[None, :] < lengths[:, None]
"""),
        Mistake('a NumPy detour', why='ids.numpy() only works on the CPU', code="""
return torch.from_numpy(ids.numpy() != pad_idx)
"""),
        Mistake('a Python list comprehension', why='tolist() reads the values back to the CPU, and an empty batch loses its shape', code="""
return torch.tensor([[t != pad_idx for t in row] for row in ids.tolist()], dtype=torch.bool)
"""),
    ],
    "masked_sum": [
        Mistake("ignores the mask", why="padding values are added", code="""
return x.sum(dim=1)
"""),
        Mistake("mask broadcast over the wrong dim", why="mask.unsqueeze(1) is [B, 1, T]", code="""
return (x * mask.unsqueeze(1).float()).sum(dim=1)
"""),
        Mistake("sums over dim", why="reduces the feature dim instead of time", code="""
return (x * mask.unsqueeze(-1).float()).sum(dim=2)
"""),
        Mistake("boolean indexing over the batch", why="x[mask] flattens all sequences together", code="""
return x[mask].sum(dim=0)
"""),
        Mistake("assumes post-padding", why="takes the first mask.sum() steps, wrong for pre-padded rows", code="""
counts = mask.sum(dim=1).tolist()
return torch.stack([x[b, :n].sum(dim=0) for b, n in enumerate(counts)])
"""),
        Mistake('zeros the padding in place', why="x[~mask] = 0 changes the caller's x", code="""
x[~mask] = 0
return x.sum(dim=1)
"""),
        Mistake('a NumPy detour', why='numpy() detaches from autograd and only works on the CPU', code="""
out = (x.detach().numpy() * mask.numpy()[..., None]).sum(axis=1)
return torch.from_numpy(out)
"""),
        Mistake('einsum with a float32 mask', why='mask.float() is float32: a float64 x fails', code="""
return torch.einsum("btd,bt->bd", x, mask.float())
"""),
        Mistake('bmm with a float32 mask', why='mask.float() is float32: a float64 x fails', code="""
return torch.bmm(mask.float().unsqueeze(1), x).squeeze(1)
"""),
        Mistake('keepdim=True', why='the result is [batch, 1, dim], not [batch, dim]', code="""
return (x * mask.unsqueeze(-1).to(x.dtype)).sum(dim=1, keepdim=True)
"""),
        Mistake('a float32 CPU buffer filled in a loop', why='torch.zeros(...) is float32 on the CPU whatever x is', code="""
out = torch.zeros(x.shape[0], x.shape[2])
for b in range(x.shape[0]):
    out[b] = (x[b] * mask[b].unsqueeze(-1)).sum(dim=0)
return out
"""),
        Mistake('computed under torch.no_grad()', why='no gradient flows back to x', code="""
with torch.no_grad():
    return (x * mask.unsqueeze(-1).to(x.dtype)).sum(dim=1)
"""),
    ],
    "masked_mean": [
        Mistake("divides by seq_len", why="the padded length, not the row's real length", code="""
return (x * mask.unsqueeze(-1).to(x.dtype)).sum(dim=1) / x.shape[1]
"""),
        Mistake("plain mean", why="padding is averaged in", code="""
return x.mean(dim=1)
"""),
        Mistake("NaN for empty rows", why="0 / 0 without a clamp", code="""
weights = mask.unsqueeze(-1).to(x.dtype)
return (x * weights).sum(dim=1) / weights.sum(dim=1)
"""),
        Mistake("count without keepdim", why="[B, D] / [B] broadcasts against the feature dim", code="""
counts = mask.sum(dim=1).clamp(min=1).to(x.dtype)
return (x * mask.unsqueeze(-1).to(x.dtype)).sum(dim=1) / counts
"""),
        Mistake("zeros the padding in place", why="x[~mask] = 0 changes the caller's x", code="""
x[~mask] = 0
return x.sum(dim=1) / mask.sum(dim=1, keepdim=True).clamp(min=1)
"""),
        Mistake("torch.where after 0 / 0", why="the value is fixed but an all-padding row gets NaN gradients", code="""
weights = mask.unsqueeze(-1).to(x.dtype)
mean = (x * weights).sum(dim=1) / weights.sum(dim=1)
return torch.where(weights.sum(dim=1) > 0, mean, torch.zeros_like(mean))
"""),
        Mistake('counts non-zero values as real', why='(x != 0) counts padding that is not zero, per feature', code="""
weights = mask.unsqueeze(-1).to(x.dtype)
return (x * weights).sum(dim=1) / (x != 0).sum(dim=1).clamp(min=1)
"""),
        Mistake('nan_to_num after 0 / 0', why='the value is fixed but an all-padding row gets NaN gradients', code="""
weights = mask.unsqueeze(-1).to(x.dtype)
return torch.nan_to_num((x * weights).sum(dim=1) / weights.sum(dim=1))
"""),
        Mistake('sums the padding, divides by the real count', why='the mask is used only for the count', code="""
return x.sum(dim=1) / mask.sum(dim=1, keepdim=True).clamp(min=1)
"""),
        Mistake("divides by the longest row's count", why='one count for the whole batch instead of one per row', code="""
return (x * mask.unsqueeze(-1).to(x.dtype)).sum(dim=1) / mask.sum(dim=1).max().clamp(min=1)
"""),
        Mistake('multiplies the input in place', why="x *= ... changes the caller's x", code="""
x *= mask.unsqueeze(-1).to(x.dtype)
return x.sum(dim=1) / mask.sum(dim=1, keepdim=True).clamp(min=1)
"""),
        Mistake('a NumPy detour', why='numpy() detaches from autograd and only works on the CPU', code="""
xs, ms = x.detach().numpy(), mask.numpy()
out = (xs * ms[..., None]).sum(axis=1) / np.maximum(ms.sum(axis=1, keepdims=True), 1)
return torch.from_numpy(out)
"""),
    ],
    "masked_max": [
        Mistake("padding filled with zeros", why="zeros beat negative real values", code="""
return (x * mask.unsqueeze(-1).to(x.dtype)).max(dim=1).values
"""),
        Mistake("ignores the mask", why="padding values can win", code="""
return x.max(dim=1).values
"""),
        Mistake("returns values and indices", why="max(dim=...) returns a (values, indices) pair", code="""
return x.masked_fill(~mask.unsqueeze(-1), float("-inf")).max(dim=1)
"""),
        Mistake("-inf for empty rows", why="rows without real steps must give zeros", code="""
return x.masked_fill(~mask.unsqueeze(-1), float("-inf")).max(dim=1).values
"""),
        Mistake("masked_fill_ on the input", why="masked_fill_ writes -inf into the caller's x", code="""
x.masked_fill_(~mask.unsqueeze(-1), float("-inf"))
values = x.max(dim=1).values
return torch.where(mask.any(dim=1, keepdim=True), values, torch.zeros_like(values))
"""),
        Mistake('-1e9 without zeros for empty rows', why='a row of padding gives -1e9, not zeros', code="""
return x.masked_fill(~mask.unsqueeze(-1), -1e9).max(dim=1).values
"""),
        Mistake('padding filled with x.min()', why='a row of padding gives the batch minimum, not zeros', code="""
return x.masked_fill(~mask.unsqueeze(-1), float(x.min())).max(dim=1).values
"""),
        Mistake('clamps -inf away with clamp(min=0)', why='every negative maximum becomes 0', code="""
return x.masked_fill(~mask.unsqueeze(-1), float("-inf")).max(dim=1).values.clamp(min=0)
"""),
        Mistake('zeros made on the CPU', why='torch.zeros(shape) is a CPU float32 tensor whatever x is', code="""
values = x.masked_fill(~mask.unsqueeze(-1), float("-inf")).max(dim=1).values
return torch.where(mask.any(dim=1, keepdim=True), values, torch.zeros(values.shape))
"""),
        Mistake('max over the feature dim', why='dim=2 reduces the features, not the time steps', code="""
filled = x.masked_fill(~mask.unsqueeze(-1), float("-inf"))
values = filled.max(dim=2).values
return torch.where(mask, values, torch.zeros_like(values))
"""),
        Mistake('mask broadcast over the wrong dim', why='mask.unsqueeze(1) is [batch, 1, seq_len]', code="""
filled = x.masked_fill(~mask.unsqueeze(1), float("-inf"))
values = filled.max(dim=1).values
return torch.where(mask.any(dim=1, keepdim=True), values, torch.zeros_like(values))
"""),
        Mistake('all() instead of any()', why='rows with some padding get zeros too', code="""
values = x.masked_fill(~mask.unsqueeze(-1), float("-inf")).max(dim=1).values
return torch.where(mask.all(dim=1, keepdim=True), values, torch.zeros_like(values))
"""),
        Mistake('adds -inf times the inverted mask', why='0 * -inf is NaN at every real step', code="""
m = mask.unsqueeze(-1).to(x.dtype)
values = (x * m + (1 - m) * float("-inf")).max(dim=1).values
return torch.where(mask.any(dim=1, keepdim=True), values, torch.zeros_like(values))
"""),
        Mistake("writes -inf into the caller's x", why="x[~mask] = -inf changes the caller's x", code="""
x[~mask] = float("-inf")
values = x.max(dim=1).values
return torch.where(mask.any(dim=1, keepdim=True), values, torch.zeros_like(values))
"""),
    ],
    "text_dataset": [
        Mistake("(label, ids) order", why="the pair is (ids, label)", code={2: """
return self.labels[i], self.ids[i]
"""}),
        Mistake("Python lists instead of tensors", why="ids must be a 1-D int64 tensor", code={0: """
if len(ids) != len(labels):
    raise ValueError("length mismatch")
self.ids = [list(seq) for seq in ids]
self.labels = [int(y) for y in labels]
"""}),
        Mistake("float ids", why="nn.Embedding needs integer ids", code={0: """
if len(ids) != len(labels):
    raise ValueError("length mismatch")
self.ids = [torch.tensor(seq, dtype=torch.float32) for seq in ids]
self.labels = [int(y) for y in labels]
"""}),
        Mistake("no length check", why="a mismatch must raise ValueError", code={0: """
self.ids = [torch.tensor(list(seq), dtype=torch.long) for seq in ids]
self.labels = [int(y) for y in labels]
"""}),
        Mistake("no dtype for the ids", why="torch.tensor([]) is float32", code={0: """
if len(ids) != len(labels):
    raise ValueError("length mismatch")
self.ids = [torch.tensor(list(seq)) for seq in ids]
self.labels = list(labels)
"""}),
        Mistake('labels kept as a tensor', why='dataset[i][1] is a 0-d tensor, not a Python int', code={0: """
if len(ids) != len(labels):
    raise ValueError("length mismatch")
self.ids = [torch.tensor(list(seq), dtype=torch.long) for seq in ids]
self.labels = torch.as_tensor(labels)
"""}),
        Mistake("converts in __getitem__ from the caller's lists", why="keeps references to the caller's lists and converts on every access", code={0: """
if len(ids) != len(labels):
    raise ValueError("length mismatch")
self.ids = ids
self.labels = [int(y) for y in labels]
""", 2: """
return torch.tensor(self.ids[i], dtype=torch.long), self.labels[i]
"""}),
        Mistake('assert instead of ValueError', why='assert raises AssertionError (and disappears with python -O)', code={0: """
assert len(ids) == len(labels), "length mismatch"
self.ids = [torch.tensor(list(seq), dtype=torch.long) for seq in ids]
self.labels = [int(y) for y in labels]
"""}),
        Mistake('pads everything in __init__', why='every item comes back padded to the longest sequence', code={0: """
if len(ids) != len(labels):
    raise ValueError("length mismatch")
self.ids = pad_sequence([torch.tensor(list(seq), dtype=torch.long) for seq in ids], batch_first=True)
self.labels = [int(y) for y in labels]
"""}),
        Mistake('returns a list [ids, label]', why='a pair is a tuple', code={2: """
return [self.ids[i], self.labels[i]]
"""}),
        Mistake('one tensor of the ragged lists', why='torch.tensor cannot build a tensor from lists of different lengths', code={0: """
if len(ids) != len(labels):
    raise ValueError("length mismatch")
self.ids = torch.tensor(ids, dtype=torch.long)
self.labels = [int(y) for y in labels]
"""}),
        Mistake('float labels', why='class indices are ints', code={0: """
if len(ids) != len(labels):
    raise ValueError("length mismatch")
self.ids = [torch.tensor(list(seq), dtype=torch.long) for seq in ids]
self.labels = [float(y) for y in labels]
"""}),
        Mistake('int32 ids', why='dtype=torch.int32 where int64 is promised', code={0: """
if len(ids) != len(labels):
    raise ValueError("length mismatch")
self.ids = [torch.tensor(list(seq), dtype=torch.int32) for seq in ids]
self.labels = [int(y) for y in labels]
"""}),
    ],
    "collate_batch": [
        Mistake("pads to a global max_len", why="each batch must be padded to its own longest sequence", code="""
max_len = 64
ids = torch.full((len(batch), max_len), pad_idx, dtype=torch.long)
for row, (seq, _) in enumerate(batch):
    ids[row, :len(seq)] = seq[:max_len]
lengths = torch.tensor([len(seq) for seq, _ in batch], dtype=torch.long)
labels = torch.tensor([label for _, label in batch], dtype=torch.long)
return ids, lengths, labels
"""),
        Mistake("lengths after padding", why="every length equals T", code="""
ids = pad_sequence([seq for seq, _ in batch], batch_first=True, padding_value=pad_idx)
lengths = torch.tensor([len(row) for row in ids], dtype=torch.long)
labels = torch.tensor([label for _, label in batch], dtype=torch.long)
return ids, lengths, labels
"""),
        Mistake("pad_sequence without batch_first", why="gives [T, B]", code="""
ids = pad_sequence([seq for seq, _ in batch], padding_value=pad_idx)
lengths = torch.tensor([len(seq) for seq, _ in batch], dtype=torch.long)
labels = torch.tensor([label for _, label in batch], dtype=torch.long)
return ids, lengths, labels
"""),
        Mistake("padding_value left at 0", why="pad_idx ignored", code="""
ids = pad_sequence([seq for seq, _ in batch], batch_first=True)
lengths = torch.tensor([len(seq) for seq, _ in batch], dtype=torch.long)
labels = torch.tensor([label for _, label in batch], dtype=torch.long)
return ids, lengths, labels
"""),
        Mistake("sorts the batch by length", why="the order of the batch must be kept", code="""
batch = sorted(batch, key=lambda pair: -len(pair[0]))
ids = pad_sequence([seq for seq, _ in batch], batch_first=True, padding_value=pad_idx)
lengths = torch.tensor([len(seq) for seq, _ in batch], dtype=torch.long)
labels = torch.tensor([label for _, label in batch], dtype=torch.long)
return ids, lengths, labels
"""),
        Mistake("float labels", why="CrossEntropyLoss wants int64 class indices", code="""
ids = pad_sequence([seq for seq, _ in batch], batch_first=True, padding_value=pad_idx)
lengths = torch.tensor([len(seq) for seq, _ in batch], dtype=torch.long)
labels = torch.tensor([float(label) for _, label in batch])
return ids, lengths, labels
"""),
        Mistake("lengths on the sequences' device", why='pack_padded_sequence wants the lengths on the CPU', code="""
ids = pad_sequence([seq for seq, _ in batch], batch_first=True, padding_value=pad_idx)
lengths = torch.tensor([len(seq) for seq, _ in batch], dtype=torch.long, device=ids.device)
labels = torch.tensor([int(label) for _, label in batch], dtype=torch.long)
return ids, lengths, labels
"""),
        Mistake('int32 lengths', why='lengths are promised as int64', code="""
ids = pad_sequence([seq for seq, _ in batch], batch_first=True, padding_value=pad_idx)
lengths = torch.tensor([len(seq) for seq, _ in batch], dtype=torch.int32)
labels = torch.tensor([int(label) for _, label in batch], dtype=torch.long)
return ids, lengths, labels
"""),
        Mistake('a CPU buffer filled row by row', why='torch.full(...) without device= is made on the CPU', code="""
longest = max(len(seq) for seq, _ in batch)
ids = torch.full((len(batch), longest), pad_idx, dtype=torch.long)
for row, (seq, _) in enumerate(batch):
    ids[row, :len(seq)] = seq
lengths = torch.tensor([len(seq) for seq, _ in batch], dtype=torch.long)
labels = torch.tensor([int(label) for _, label in batch], dtype=torch.long)
return ids, lengths, labels
"""),
        Mistake('lengths as a Python list', why='lengths must be a tensor', code="""
ids = pad_sequence([seq for seq, _ in batch], batch_first=True, padding_value=pad_idx)
lengths = [len(seq) for seq, _ in batch]
labels = torch.tensor([int(label) for _, label in batch], dtype=torch.long)
return ids, lengths, labels
"""),
        Mistake('pre-pads by flipping', why='flipping each sequence and the padded rows puts the padding first', code="""
ids = pad_sequence([seq.flip(0) for seq, _ in batch], batch_first=True, padding_value=pad_idx).flip(1)
lengths = torch.tensor([len(seq) for seq, _ in batch], dtype=torch.long)
labels = torch.tensor([int(label) for _, label in batch], dtype=torch.long)
return ids, lengths, labels
"""),
        Mistake('returns a list', why='a DataLoader passes it on, but (ids, lengths, labels) is promised as a tuple', code="""
ids = pad_sequence([seq for seq, _ in batch], batch_first=True, padding_value=pad_idx)
lengths = torch.tensor([len(seq) for seq, _ in batch], dtype=torch.long)
labels = torch.tensor([int(label) for _, label in batch], dtype=torch.long)
return [ids, lengths, labels]
"""),
    ],
    "padding_fraction": [
        Mistake("mean of per-batch fractions", why="small batches weigh as much as full ones", code="""
fractions = []
for batch in batches:
    longest = max(lengths[i] for i in batch)
    if longest:
        fractions.append(sum(longest - lengths[i] for i in batch) / (longest * len(batch)))
return sum(fractions) / len(fractions) if fractions else 0.0
"""),
        Mistake("pads to the global maximum", why="each batch is padded to its own longest sequence", code="""
batches = [list(b) for b in batches]
longest = max((lengths[i] for b in batches for i in b), default=0)
total = sum(longest * len(b) for b in batches)
real = sum(lengths[i] for b in batches for i in b)
return (total - real) / total if total else 0.0
"""),
        Mistake("share of real positions", why="returns 1 - padding fraction", code="""
real = total = 0
for batch in batches:
    longest = max(lengths[i] for i in batch)
    total += longest * len(batch)
    real += sum(lengths[i] for i in batch)
return real / total if total else 0.0
"""),
        Mistake("no guard for zero positions", why="ZeroDivisionError without batches", code="""
padded = total = 0
for batch in batches:
    longest = max(lengths[i] for i in batch)
    total += longest * len(batch)
    padded += sum(longest - lengths[i] for i in batch)
return padded / total
"""),
        Mistake("reads batches twice", why="a batch sampler or generator is empty the second time", code="""
total = sum(max(lengths[i] for i in batch) * len(batch) for batch in batches if len(batch))
padded = sum(max(lengths[i] for i in batch) * len(batch) - sum(lengths[i] for i in batch)
             for batch in batches if len(batch))
return padded / total if total else 0.0
"""),
        Mistake("sorts each batch in place", why="batch.sort() reorders the caller's batches", code="""
padded = total = 0
for batch in batches:
    if not batch:
        continue
    batch.sort(key=lambda i: lengths[i])
    longest = lengths[batch[-1]]
    total += longest * len(batch)
    padded += sum(longest - lengths[i] for i in batch)
return padded / total if total else 0.0
"""),
        Mistake('integer division', why='// rounds the fraction down to 0', code="""
padded = total = 0
for batch in batches:
    if len(batch) == 0:
        continue
    longest = max(lengths[i] for i in batch)
    total += longest * len(batch)
    padded += sum(longest - lengths[i] for i in batch)
return padded // total if total else 0.0
"""),
        Mistake('NumPy sums', why='numpy.float64 is not a Python float', code="""
arr = np.asarray(lengths)
padded = total = 0
for batch in batches:
    if len(batch) == 0:
        continue
    sub = arr[list(batch)]
    total += sub.max() * len(sub)
    padded += (sub.max() - sub).sum()
return padded / total if total else 0.0
"""),
        Mistake('a percentage', why='100 * the fraction', code="""
padded = total = 0
for batch in batches:
    if len(batch) == 0:
        continue
    longest = max(lengths[i] for i in batch)
    total += longest * len(batch)
    padded += sum(longest - lengths[i] for i in batch)
return 100 * padded / total if total else 0.0
"""),
        Mistake('max() of an empty batch', why='an empty batch raises ValueError instead of adding nothing', code="""
padded = total = 0
for batch in batches:
    longest = max(lengths[i] for i in batch)
    total += longest * len(batch)
    padded += sum(longest - lengths[i] for i in batch)
return padded / total if total else 0.0
"""),
        Mistake('padding over real tokens', why='divides by the real positions, not by all positions', code="""
padded = real = 0
for batch in batches:
    if len(batch) == 0:
        continue
    longest = max(lengths[i] for i in batch)
    real += sum(lengths[i] for i in batch)
    padded += sum(longest - lengths[i] for i in batch)
return padded / real if real else 0.0
"""),
        Mistake('indexes the batches', why='a generator or batch sampler has no len() and no [k]', code="""
padded = total = 0
for k in range(len(batches)):
    batch = batches[k]
    if len(batch) == 0:
        continue
    longest = max(lengths[i] for i in batch)
    total += longest * len(batch)
    padded += sum(longest - lengths[i] for i in batch)
return padded / total if total else 0.0
"""),
    ],
    "bucket_batch_sampler": [
        Mistake("drops the last incomplete batch", why="examples silently missing from every epoch", code={1: """
order = sorted(range(len(self.lengths)), key=lambda i: (self.lengths[i], i))
chunks = [order[s:s + self.batch_size] for s in range(0, len(order) - self.batch_size + 1, self.batch_size)]
if self.shuffle:
    chunks = [chunks[k] for k in self.rng.permutation(len(chunks))]
yield from chunks
""", 2: """
return len(self.lengths) // self.batch_size
"""}),
        Mistake("overlapping chunks duplicate examples", why="slices one index too long", code={1: """
order = sorted(range(len(self.lengths)), key=lambda i: (self.lengths[i], i))
chunks = [order[s:s + self.batch_size + 1] for s in range(0, len(order), self.batch_size)]
if self.shuffle:
    chunks = [chunks[k] for k in self.rng.permutation(len(chunks))]
yield from chunks
"""}),
        Mistake("no sorting", why="random chunks are not buckets", code={1: """
order = self.rng.permutation(len(self.lengths)).tolist()
yield from [order[s:s + self.batch_size] for s in range(0, len(order), self.batch_size)]
"""}),
        Mistake("shuffles the sorted indices", why="destroys the buckets", code={1: """
order = sorted(range(len(self.lengths)), key=lambda i: (self.lengths[i], i))
if self.shuffle:
    order = [order[k] for k in self.rng.permutation(len(order))]
yield from [order[s:s + self.batch_size] for s in range(0, len(order), self.batch_size)]
"""}),
        Mistake("__len__ rounds down", why="the last smaller batch counts too", code={2: """
return len(self.lengths) // self.batch_size
"""}),
        Mistake("generator created in __iter__", why="every epoch visits the batches in the same order", code={0: """
self.lengths = [int(n) for n in lengths]
self.batch_size = batch_size
self.shuffle = shuffle
self.seed = seed
""", 1: """
rng = np.random.default_rng(self.seed)
order = sorted(range(len(self.lengths)), key=lambda i: (self.lengths[i], i))
chunks = [order[s:s + self.batch_size] for s in range(0, len(order), self.batch_size)]
if self.shuffle:
    chunks = [chunks[k] for k in rng.permutation(len(chunks))]
yield from chunks
"""}),
        Mistake("never shuffles", why="the batches always come from short to long", code={1: """
order = sorted(range(len(self.lengths)), key=lambda i: (self.lengths[i], i))
yield from [order[s:s + self.batch_size] for s in range(0, len(order), self.batch_size)]
"""}),
        Mistake("seed ignored", why="an unseeded generator cannot reproduce an epoch", code={0: """
self.lengths = [int(n) for n in lengths]
self.batch_size = batch_size
self.shuffle = shuffle
self.rng = np.random.default_rng()
"""}),
        Mistake('np.argsort without a tie-break', why='the default quicksort is not stable: equal lengths come out in any order', code={1: """
order = np.argsort(self.lengths).tolist()
chunks = [order[s:s + self.batch_size] for s in range(0, len(order), self.batch_size)]
if self.shuffle:
    chunks = [chunks[k] for k in self.rng.permutation(len(chunks))]
yield from chunks
"""}),
        Mistake('yields NumPy arrays', why='the chunks are promised as lists of Python ints', code={1: """
order = np.argsort(np.asarray(self.lengths), kind="stable")
chunks = [order[s:s + self.batch_size] for s in range(0, len(order), self.batch_size)]
if self.shuffle:
    chunks = [chunks[k] for k in self.rng.permutation(len(chunks))]
yield from chunks
"""}),
        Mistake("seeds NumPy's global generator", why='np.random.seed changes the random state of everything else in the program', code={0: """
self.lengths = [int(n) for n in lengths]
self.batch_size = batch_size
self.shuffle = shuffle
np.random.seed(seed)
""", 1: """
order = sorted(range(len(self.lengths)), key=lambda i: (self.lengths[i], i))
chunks = [order[s:s + self.batch_size] for s in range(0, len(order), self.batch_size)]
if self.shuffle:
    chunks = [chunks[k] for k in np.random.permutation(len(chunks))]
yield from chunks
"""}),
        Mistake('len is the number of sequences', why='len(sampler) must count batches', code={2: """
return len(self.lengths)
"""}),
        Mistake('always shuffles', why='the shuffle flag is ignored', code={1: """
order = sorted(range(len(self.lengths)), key=lambda i: (self.lengths[i], i))
chunks = [order[s:s + self.batch_size] for s in range(0, len(order), self.batch_size)]
chunks = [chunks[k] for k in self.rng.permutation(len(chunks))]
yield from chunks
"""}),
        Mistake('sorts from long to short', why='reverse=True puts the smaller last chunk at the short end', code={1: """
order = sorted(range(len(self.lengths)), key=lambda i: (self.lengths[i], i), reverse=True)
chunks = [order[s:s + self.batch_size] for s in range(0, len(order), self.batch_size)]
if self.shuffle:
    chunks = [chunks[k] for k in self.rng.permutation(len(chunks))]
yield from chunks
"""}),
    ],
}
