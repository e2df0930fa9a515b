"""Plausible wrong answers for notebook 03 (padding, truncation, masking and batching).

Each ``code`` is what a student might type inside the solution region; at least one test cell
of the exercise must fail for every entry (checked by ``autograder.mistakes``). The first entry
of each exercise is also caught by its hidden test cell.
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
    ],
}
