"""Plausible wrong answers for notebook 05 (word embeddings), one list per exercise.

Each ``code`` is what a student might type inside the solution region (a dict maps region index
to body for cells with several regions); at least one test cell of the exercise must fail for
every entry (checked by ``autograder.mistakes``). The first entry of each list is also caught by
the exercise's hidden test cell.
"""

from autograder.mistakes import Mistake

MISTAKES = {
    "glove_weight": [
        Mistake("divides the counts in place", why="x /= x_max rescales the caller's co-occurrence counts", code="""
x /= x_max
return x.clamp(max=1.0) ** alpha
"""),
        Mistake("clamp_ on the ratio's input", why="x.clamp_(max=x_max) caps the caller's counts", code="""
return (x.clamp_(max=x_max) / x_max) ** alpha
"""),
        Mistake("no cap at x_max", why="counts above x_max get weights above 1", code="""
return (x / x_max) ** alpha
"""),
        Mistake("linear weight, alpha forgotten", why="f is (x/x_max)^alpha, not x/x_max", code="""
return (x / x_max).clamp(max=1.0)
"""),
        Mistake("capped count not divided by x_max", why="f(100) would be 100^0.75", code="""
return x.clamp(max=x_max) ** alpha
"""),
        Mistake("the paper's constants hard-coded", why="ignores the x_max and alpha arguments", code="""
return (x / 100.0).clamp(max=1.0) ** 0.75
"""),
        Mistake("ratio upside down", why="x_max / x decreases with the count", code="""
return (x_max / x).clamp(max=1.0) ** alpha
"""),
        Mistake("weights computed in a Python loop", why="torch.tensor(...) of Python floats is float32 on the CPU, whatever x was", code="""
return torch.tensor([min(v / x_max, 1.0) ** alpha for v in x.flatten().tolist()]).reshape(x.shape)
"""),
        Mistake("float32 forced", why=".float() turns float64 counts into float32 weights", code="""
return ((x / x_max).clamp(max=1.0) ** alpha).float()
"""),
        Mistake("cap with clamp(min=...)", why="min and max swapped: every weight becomes at least 1", code="""
return ((x / x_max) ** alpha).clamp(min=1.0)
"""),
        Mistake("result buffer of ones on the CPU", why="torch.ones(x.shape) is float32 on the CPU, whatever x's dtype and device", code="""
out = torch.ones(x.shape)
below = x < x_max
out[below] = (x[below] / x_max) ** alpha
return out
"""),
        Mistake("floor division", why="x // x_max is 0 for every count below x_max", code="""
return (x // x_max).clamp(max=1.0) ** alpha
"""),
    ],
    "noise_distribution": [
        Mistake("powers float counts in place", why="counts.float() is the same tensor for float32 counts; **= changes it", code="""
weights = counts.float()
weights **= power
return weights / weights.sum()
"""),
        Mistake("probabilities rebuilt from Python numbers", why="torch.tensor(...) is made on the CPU, whatever the counts' device", code="""
weights = [c ** power for c in counts.tolist()]
return torch.tensor([w / sum(weights) for w in weights], dtype=torch.float32)
"""),
        Mistake("normalised before the power", why="(p)^0.75 no longer sums to 1", code="""
return (counts.float() / counts.sum()) ** power
"""),
        Mistake("plain unigram distribution", why="the power is forgotten", code="""
return counts.float() / counts.sum()
"""),
        Mistake("softmax instead of a plain normalisation", why="softmax exponentiates the weights", code="""
return torch.softmax(counts.float() ** power, dim=0)
"""),
        Mistake("power 0.75 hard-coded", why="ignores the power argument", code="""
weights = counts.float() ** 0.75
return weights / weights.sum()
"""),
        Mistake("dtype of the input kept", why="float64 counts give float64 probabilities", code="""
weights = counts ** power
return weights / weights.sum()
"""),
        Mistake("NumPy detour", why="counts.numpy() fails on a GPU (and on meta); the result is rebuilt on the CPU", code="""
weights = counts.numpy().astype("float64") ** power
return torch.from_numpy(weights / weights.sum()).float()
"""),
        Mistake("divided by the raw total", why="count ** power / sum(count) does not sum to 1", code="""
return (counts.double() ** power / counts.sum()).float()
"""),
        Mistake("returns gensim's cumulative table", why="cum_table is the running sum of the probabilities, not the probabilities", code="""
weights = counts.double() ** power
return torch.cumsum(weights / weights.sum(), dim=0).float()
"""),
        Mistake("pow_ on float counts", why="counts.float() is the caller's tensor when it is float32 already; pow_ changes it", code="""
weights = counts.float()
weights.pow_(power)
return weights / weights.sum()
"""),
        Mistake("sorted like gensim's vocabulary", why="probabilities must stay in the order of the counts", code="""
weights = counts.double().sort(descending=True).values ** power
return (weights / weights.sum()).float()
"""),
    ],
    "cosine_similarity": [
        Mistake("normalises the inputs in place", why="a /= ... rescales the caller's vectors", code="""
a /= a.norm(dim=1, keepdim=True).clamp(min=eps)
b /= b.norm(dim=1, keepdim=True).clamp(min=eps)
return a @ b.T
"""),
        Mistake("F.normalize with its own eps", why="normalize's default eps (1e-12) replaces the eps argument", code="""
return nn.functional.normalize(a, dim=1) @ nn.functional.normalize(b, dim=1).T
"""),
        Mistake("dot product, no normalisation", why="long vectors look similar to everything", code="""
return a @ b.T
"""),
        Mistake("only b normalised", why="a's lengths still scale the rows", code="""
return a @ (b / b.norm(dim=1, keepdim=True).clamp(min=eps)).T
"""),
        Mistake("norms taken over the wrong dim", why="dim=0 normalises columns", code="""
a_unit = a / a.norm(dim=0, keepdim=True).clamp(min=eps)
b_unit = b / b.norm(dim=0, keepdim=True).clamp(min=eps)
return a_unit @ b_unit.T
"""),
        Mistake("no eps", why="a zero row gives 0/0 = nan", code="""
return (a / a.norm(dim=1, keepdim=True)) @ (b / b.norm(dim=1, keepdim=True)).T
"""),
        Mistake("product the wrong way round", why="b @ a.T is [m, n]", code="""
a_unit = a / a.norm(dim=1, keepdim=True).clamp(min=eps)
b_unit = b / b.norm(dim=1, keepdim=True).clamp(min=eps)
return b_unit @ a_unit.T
"""),
        Mistake("scikit-learn's cosine_similarity", why="a NumPy detour: no eps argument, no gradient, CPU only", code="""
from sklearn.metrics.pairwise import cosine_similarity as sk_cosine
return torch.from_numpy(sk_cosine(a.numpy(), b.numpy()))
"""),
        Mistake("eps added to the norms", why="norm + eps is not max(norm, eps): tiny rows are shrunk", code="""
a_unit = a / (a.norm(dim=1, keepdim=True) + eps)
b_unit = b / (b.norm(dim=1, keepdim=True) + eps)
return a_unit @ b_unit.T
"""),
        Mistake("norms without keepdim", why="a [n] vector of norms does not broadcast against the [n, d] rows", code="""
return (a / a.norm(dim=1).clamp(min=eps)) @ (b / b.norm(dim=1).clamp(min=eps)).T
"""),
        Mistake("squared norms", why="dividing by the sum of squares forgets the square root", code="""
a_unit = a / (a * a).sum(dim=1, keepdim=True).clamp(min=eps)
b_unit = b / (b * b).sum(dim=1, keepdim=True).clamp(min=eps)
return a_unit @ b_unit.T
"""),
        Mistake("computed under no_grad", why="torch.no_grad() stops gradients from reaching a and b", code="""
with torch.no_grad():
    a_unit = a / a.norm(dim=1, keepdim=True).clamp(min=eps)
    b_unit = b / b.norm(dim=1, keepdim=True).clamp(min=eps)
    return a_unit @ b_unit.T
"""),
    ],
    "nearest_neighbours": [
        Mistake("zeroes the excluded rows of vectors", why="vectors[exclude] = 0 changes the caller's table", code="""
if len(exclude) > 0:
    vectors[list(exclude)] = 0.0
sims = cosine_similarity(query[None, :], vectors)[0]
if len(exclude) > 0:
    sims[list(exclude)] = -math.inf
scores, indices = sims.topk(k)
return indices, scores
"""),
        Mistake("returns a list", why="the docstring promises a tuple (indices, similarities)", code="""
sims = cosine_similarity(query[None, :], vectors)[0]
if len(exclude) > 0:
    sims[list(exclude)] = -math.inf
scores, indices = sims.topk(k)
return [indices, scores]
"""),
        Mistake("ranked with Python's sorted", why="torch.tensor(sorted(...)) is made on the CPU and reads values off the device", code="""
sims = cosine_similarity(query[None, :], vectors)[0].tolist()
order = [i for i in sorted(range(len(sims)), key=lambda i: -sims[i]) if i not in set(exclude)][:k]
return torch.tensor(order), torch.tensor([sims[i] for i in order])
"""),
        Mistake("ranked by dot product", why="vector length decides instead of direction", code="""
sims = vectors @ query
if len(exclude) > 0:
    sims[list(exclude)] = -math.inf
scores, indices = sims.topk(k)
return indices, scores
"""),
        Mistake("smallest similarities first", why="topk(largest=False) returns the farthest rows", code="""
sims = cosine_similarity(query[None, :], vectors)[0]
if len(exclude) > 0:
    sims[list(exclude)] = math.inf
scores, indices = sims.topk(k, largest=False)
return indices, scores
"""),
        Mistake("exclude ignored", why="analogies return the question words", code="""
sims = cosine_similarity(query[None, :], vectors)[0]
scores, indices = sims.topk(k)
return indices, scores
"""),
        Mistake("excluded rows dropped after topk", why="returns fewer than k rows", code="""
sims = cosine_similarity(query[None, :], vectors)[0]
scores, indices = sims.topk(k)
keep = torch.tensor([i not in set(exclude) for i in indices.tolist()], dtype=torch.bool)
return indices[keep], scores[keep]
"""),
        Mistake("returns (similarities, indices)", why="the order of the tuple is swapped", code="""
sims = cosine_similarity(query[None, :], vectors)[0]
if len(exclude) > 0:
    sims[list(exclude)] = -math.inf
return sims.topk(k)
"""),
        Mistake("topk, ties in any order", why="torch.topk promises no order among equal similarities", code="""
sims = cosine_similarity(query[None, :], vectors)[0]
skip = list(exclude)
if skip:
    sims[skip] = -math.inf
scores, indices = sims.topk(k)
return indices, scores
"""),
        Mistake("exclude read twice", why="a generator is empty the second time: the rows are not excluded", code="""
sims = cosine_similarity(query[None, :], vectors)[0]
if len(list(exclude)) > 0:
    sims[list(exclude)] = -math.inf
scores, indices = sims.sort(descending=True, stable=True)
return indices[:k], scores[:k]
"""),
        Mistake("len() of exclude", why="a generator has no len()", code="""
sims = cosine_similarity(query[None, :], vectors)[0]
if len(exclude) > 0:
    sims[list(exclude)] = -math.inf
scores, indices = sims.sort(descending=True, stable=True)
return indices[:k], scores[:k]
"""),
        Mistake("excluded rows set to 0", why="rows with a negative cosine then rank below the excluded ones", code="""
sims = cosine_similarity(query[None, :], vectors)[0]
skip = list(exclude)
if skip:
    sims[skip] = 0.0
scores, indices = sims.sort(descending=True, stable=True)
return indices[:k], scores[:k]
"""),
        Mistake("ascending sort reversed", why="flipping a stable ascending sort puts tied rows in decreasing index order", code="""
sims = cosine_similarity(query[None, :], vectors)[0]
skip = list(exclude)
if skip:
    sims[skip] = -math.inf
scores, indices = sims.sort(stable=True)
return indices.flip(0)[:k], scores.flip(0)[:k]
"""),
    ],
    "aggregate_newsgroups": [
        Mistake("topic = first part of the name", why="misc, alt, soc and talk are not topics", code={0: """
return newsgroup.split(".")[0]
"""}),
        Mistake("every talk.* group is politics", why="talk.religion.misc is religion", code={0: """
if newsgroup == "misc.forsale":
    return "forsale"
if newsgroup.startswith("talk."):
    return "politics"
if newsgroup in ("alt.atheism", "soc.religion.christian"):
    return "religion"
for topic in ("comp", "rec", "sci"):
    if newsgroup.startswith(topic + "."):
        return topic
raise ValueError(newsgroup)
"""}),
        Mistake("unknown names get a made-up topic", why="a silent wrong label instead of an error", code={0: """
if newsgroup == "misc.forsale":
    return "forsale"
if newsgroup in ("alt.atheism", "soc.religion.christian", "talk.religion.misc"):
    return "religion"
if newsgroup.startswith("talk.politics."):
    return "politics"
return newsgroup.split(".")[0]
"""}),
        Mistake("empty text instead of empty tokens", why="'?!?' has text but no tokens", code={1: """
out = df.copy()
out["label"] = out["label"].map(six_class)
out["tokens"] = [tokenizer(text) for text in out["text"]]
return out[out["text"].str.strip() != ""].reset_index(drop=True)
"""}),
        Mistake("index not reset", why="the filtered frame keeps holes in its index", code={1: """
out = df.copy()
out["label"] = out["label"].map(six_class)
out["tokens"] = [tokenizer(text) for text in out["text"]]
return out[out["tokens"].map(len) > 0]
"""}),
        Mistake("input frame modified", why="labels and tokens written into the caller's frame", code={1: """
df["label"] = df["label"].map(six_class)
df["tokens"] = [tokenizer(text) for text in df["text"]]
return df[df["tokens"].map(len) > 0].reset_index(drop=True)
"""}),
        Mistake("topic from words in the name", why="talk.abortion becomes 'talk' instead of an error", code={0: """
if "religion" in newsgroup or "atheism" in newsgroup:
    return "religion"
if "politics" in newsgroup:
    return "politics"
if "forsale" in newsgroup:
    return "forsale"
return newsgroup.split(".")[0]
"""}),
        Mistake("prefix without its dot", why="startswith('sci') also accepts 'science.x' and 'sci' itself", code={0: """
if newsgroup == "misc.forsale":
    return "forsale"
if newsgroup in ("alt.atheism", "soc.religion.christian", "talk.religion.misc"):
    return "religion"
if newsgroup.startswith("talk.politics"):
    return "politics"
for topic in ("comp", "rec", "sci"):
    if newsgroup.startswith(topic):
        return topic
raise ValueError(newsgroup)
"""}),
        Mistake("a dict of the 20 names", why="an unknown name raises KeyError, not ValueError, and comp.lang.python is unknown", code={0: """
topics = {"alt.atheism": "religion", "comp.graphics": "comp", "comp.os.ms-windows.misc": "comp",
          "comp.sys.ibm.pc.hardware": "comp", "comp.sys.mac.hardware": "comp", "comp.windows.x": "comp",
          "misc.forsale": "forsale", "rec.autos": "rec", "rec.motorcycles": "rec", "rec.sport.baseball": "rec",
          "rec.sport.hockey": "rec", "sci.crypt": "sci", "sci.electronics": "sci", "sci.med": "sci", "sci.space": "sci",
          "soc.religion.christian": "religion", "talk.politics.guns": "politics", "talk.politics.mideast": "politics",
          "talk.politics.misc": "politics", "talk.religion.misc": "religion"}
return topics[newsgroup]
"""}),
        Mistake("tokens joined back into a string", why="the tokens column must hold a list of tokens per row", code={1: """
out = df.copy()
out["label"] = out["label"].map(six_class)
out["tokens"] = [" ".join(tokenizer(text)) for text in out["text"]]
return out[out["tokens"].str.len() > 0].reset_index(drop=True)
"""}),
        Mistake("old index kept as a column", why="reset_index() without drop=True adds an 'index' column", code={1: """
out = df.copy()
out["label"] = out["label"].map(six_class)
out["tokens"] = [tokenizer(text) for text in out["text"]]
return out[out["tokens"].map(len) > 0].reset_index()
"""}),
        Mistake("a new frame of four columns", why="the extra columns of df (doc_id) are lost", code={1: """
out = pd.DataFrame({"text": df["text"], "label": df["label"].map(six_class), "split": df["split"],
                    "tokens": [tokenizer(text) for text in df["text"]]})
return out[out["tokens"].map(len) > 0].reset_index(drop=True)
"""}),
    ],
    "build_embedding_matrix": [
        Mistake("returns a list", why="the docstring promises a tuple (matrix, found)", code="""
generator = torch.Generator().manual_seed(seed)
matrix = torch.randn(len(itos), kv.vector_size, generator=generator) * scale
found = torch.tensor([i != pad_idx and w in kv.key_to_index for i, w in enumerate(itos)], dtype=torch.bool)
for i in found.nonzero().flatten().tolist():
    matrix[i] = torch.tensor(kv[itos[i]])
matrix[pad_idx] = 0.0
return [matrix, found]
"""),
        Mistake("rows in GloVe's order", why="row i must be OUR token i, not GloVe's i-th word", code="""
generator = torch.Generator().manual_seed(seed)
matrix = torch.randn(len(itos), kv.vector_size, generator=generator) * scale
found = torch.tensor([i != pad_idx and w in kv.key_to_index for i, w in enumerate(itos)], dtype=torch.bool)
ours = set(itos)
in_both = [w for w in kv.index_to_key if w in ours]
for row, word in enumerate(in_both):
    matrix[row] = torch.tensor(kv[word])
matrix[pad_idx] = 0.0
return matrix, found
"""),
        Mistake("<PAD> row left random", why="the pad row must be zeros", code="""
generator = torch.Generator().manual_seed(seed)
matrix = torch.randn(len(itos), kv.vector_size, generator=generator) * scale
found = torch.tensor([w in kv.key_to_index for w in itos], dtype=torch.bool)
for i, w in enumerate(itos):
    if w in kv.key_to_index:
        matrix[i] = torch.tensor(kv[w])
return matrix, found
"""),
        Mistake("words GloVe lacks dropped", why="the matrix no longer has one row per token", code="""
rows = [torch.tensor(kv[w]) for w in itos if w in kv.key_to_index]
matrix = torch.cat([torch.zeros(1, kv.vector_size), torch.stack(rows)]) if rows else torch.zeros(1, kv.vector_size)
found = torch.tensor([w in kv.key_to_index for w in itos], dtype=torch.bool)
return matrix, found
"""),
        Mistake("zeros for words GloVe lacks", why="the stated rule is small random rows", code="""
matrix = torch.zeros(len(itos), kv.vector_size)
found = torch.tensor([i != pad_idx and w in kv.key_to_index for i, w in enumerate(itos)], dtype=torch.bool)
for i, w in enumerate(itos):
    if found[i]:
        matrix[i] = torch.tensor(kv[w])
return matrix, found
"""),
        Mistake("global random generator", why="the same seed no longer gives the same matrix", code="""
matrix = torch.randn(len(itos), kv.vector_size) * scale
found = torch.tensor([i != pad_idx and w in kv.key_to_index for i, w in enumerate(itos)], dtype=torch.bool)
for i, w in enumerate(itos):
    if found[i]:
        matrix[i] = torch.tensor(kv[w])
matrix[pad_idx] = 0.0
return matrix, found
"""),
        Mistake("scale ignored", why="standard normal rows are as large as real vectors", code="""
generator = torch.Generator().manual_seed(seed)
matrix = torch.randn(len(itos), kv.vector_size, generator=generator)
found = torch.tensor([i != pad_idx and w in kv.key_to_index for i, w in enumerate(itos)], dtype=torch.bool)
for i, w in enumerate(itos):
    if found[i]:
        matrix[i] = torch.tensor(kv[w])
matrix[pad_idx] = 0.0
return matrix, found
"""),
        Mistake("pad index hard-coded to 0", why="ignores the pad_idx argument", code="""
generator = torch.Generator().manual_seed(seed)
matrix = torch.randn(len(itos), kv.vector_size, generator=generator) * scale
found = torch.tensor([w in kv.key_to_index for w in itos], dtype=torch.bool)
for i, w in enumerate(itos):
    if found[i]:
        matrix[i] = torch.tensor(kv[w])
matrix[0] = 0.0
return matrix, found
"""),
        Mistake("random rows from NumPy", why="numpy's normal() gives a float64 matrix (and ignores torch's generator)", code="""
rng = np.random.default_rng(seed)
matrix = torch.from_numpy(rng.normal(0.0, scale, (len(itos), kv.vector_size)))
found = torch.tensor([i != pad_idx and w in kv.key_to_index for i, w in enumerate(itos)], dtype=torch.bool)
for i in found.nonzero().flatten().tolist():
    matrix[i] = torch.from_numpy(kv[itos[i]].astype("float64"))
matrix[pad_idx] = 0.0
return matrix, found
"""),
        Mistake("normalised GloVe rows", why="get_vector(..., norm=True) returns unit vectors, not the stored ones", code="""
generator = torch.Generator().manual_seed(seed)
matrix = torch.randn(len(itos), kv.vector_size, generator=generator) * scale
found = torch.tensor([i != pad_idx and w in kv.key_to_index for i, w in enumerate(itos)], dtype=torch.bool)
for i in found.nonzero().flatten().tolist():
    matrix[i] = torch.from_numpy(kv.get_vector(itos[i], norm=True))
matrix[pad_idx] = 0.0
return matrix, found
"""),
        Mistake("found as a list", why="the docstring promises a bool tensor", code="""
generator = torch.Generator().manual_seed(seed)
matrix = torch.randn(len(itos), kv.vector_size, generator=generator) * scale
found = [i != pad_idx and w in kv.key_to_index for i, w in enumerate(itos)]
for i, hit in enumerate(found):
    if hit:
        matrix[i] = torch.from_numpy(kv[itos[i]])
matrix[pad_idx] = 0.0
return matrix, found
"""),
        Mistake("variance instead of standard deviation", why="N(0, scale^2) means multiplying by scale, not scale ** 2", code="""
generator = torch.Generator().manual_seed(seed)
matrix = torch.randn(len(itos), kv.vector_size, generator=generator) * scale ** 2
found = torch.tensor([i != pad_idx and w in kv.key_to_index for i, w in enumerate(itos)], dtype=torch.bool)
for i in found.nonzero().flatten().tolist():
    matrix[i] = torch.from_numpy(kv[itos[i]])
matrix[pad_idx] = 0.0
return matrix, found
"""),
        Mistake("missing words added to kv", why="add_vectors changes the caller's KeyedVectors", code="""
generator = torch.Generator().manual_seed(seed)
found = torch.tensor([i != pad_idx and w in kv.key_to_index for i, w in enumerate(itos)], dtype=torch.bool)
missing = [w for i, w in enumerate(itos) if not found[i]]
kv.add_vectors(missing, (torch.randn(len(missing), kv.vector_size, generator=generator) * scale).numpy())
matrix = torch.from_numpy(np.stack([kv[w] for w in itos])).float()
matrix[pad_idx] = 0.0
return matrix, found
"""),
    ],
    "coverage_report": [
        Mistake("pops the found words from token_counts", why="right shares, but the caller's counts lose the found words", code="""
words = list(itos[num_specials:])
hits = found[num_specials:].tolist()
vocab_share = sum(hits) / len(words) if words else 0.0
covered = sum(token_counts.pop(w, 0) for w, hit in zip(words, hits) if hit)
total = covered + sum(token_counts.values())
return vocab_share, covered / total if total else 0.0
"""),
        Mistake("vocab share left as a tensor", why="found[...].float().mean() is a 0-d tensor, not a Python float", code="""
words = list(itos[num_specials:])
vocab_share = found[num_specials:].float().mean() if words else 0.0
found_words = {w for w, hit in zip(words, found[num_specials:].tolist()) if hit}
total = sum(token_counts.values())
covered = sum(c for w, c in token_counts.items() if w in found_words)
return vocab_share, covered / total if total else 0.0
"""),
        Mistake("returns a list", why="the docstring promises a tuple (vocab_share, token_share)", code="""
words = list(itos[num_specials:])
hits = found[num_specials:].tolist()
found_words = {w for w, hit in zip(words, hits) if hit}
total = sum(token_counts.values())
covered = sum(c for w, c in token_counts.items() if w in found_words)
return [sum(hits) / len(words) if words else 0.0, covered / total if total else 0.0]
"""),
        Mistake("special tokens in the vocabulary count", why="specials are never in GloVe", code="""
vocab_share = found.sum().item() / len(itos)
found_words = {w for w, hit in zip(itos, found.tolist()) if hit}
total = sum(token_counts.values())
token_share = sum(c for w, c in token_counts.items() if w in found_words) / total if total else 0.0
return vocab_share, token_share
"""),
        Mistake("token share not weighted by counts", why="counts distinct words instead of occurrences", code="""
words = list(itos[num_specials:])
hits = found[num_specials:].tolist()
vocab_share = sum(hits) / len(words) if words else 0.0
found_words = {w for w, hit in zip(words, hits) if hit}
token_share = sum(1 for w in token_counts if w in found_words) / len(token_counts) if token_counts else 0.0
return vocab_share, token_share
"""),
        Mistake("out-of-vocabulary tokens left out of the denominator", why="<UNK> tokens also lack a vector", code="""
words = list(itos[num_specials:])
hits = found[num_specials:].tolist()
vocab_share = sum(hits) / len(words) if words else 0.0
found_words = {w for w, hit in zip(words, hits) if hit}
in_vocab = sum(c for w, c in token_counts.items() if w in set(words))
token_share = sum(c for w, c in token_counts.items() if w in found_words) / in_vocab if in_vocab else 0.0
return vocab_share, token_share
"""),
        Mistake("percentages", why="the shares are fractions in [0, 1]", code="""
words = list(itos[num_specials:])
hits = found[num_specials:].tolist()
vocab_share = 100 * sum(hits) / len(words) if words else 0.0
found_words = {w for w, hit in zip(words, hits) if hit}
total = sum(token_counts.values())
token_share = 100 * sum(c for w, c in token_counts.items() if w in found_words) / total if total else 0.0
return vocab_share, token_share
"""),
        Mistake("np.sum for the counts", why="numpy numbers are not Python floats", code="""
words = list(itos[num_specials:])
hits = found[num_specials:].tolist()
vocab_share = np.sum(hits) / len(words) if words else 0.0
found_words = {w for w, hit in zip(words, hits) if hit}
total = np.sum(list(token_counts.values()))
token_share = np.sum([c for w, c in token_counts.items() if w in found_words]) / total if total else 0.0
return vocab_share, token_share
"""),
        Mistake("four special tokens hard-coded", why="ignores the num_specials argument", code="""
words = list(itos[4:])
hits = found[4:].tolist()
vocab_share = sum(hits) / len(words) if words else 0.0
found_words = {w for w, hit in zip(words, hits) if hit}
total = sum(token_counts.values())
return vocab_share, sum(c for w, c in token_counts.items() if w in found_words) / total if total else 0.0
"""),
        Mistake("no guard for an empty vocabulary", why="a vocabulary of specials only divides by zero", code="""
words = list(itos[num_specials:])
hits = found[num_specials:].tolist()
found_words = {w for w, hit in zip(words, hits) if hit}
total = sum(token_counts.values())
return sum(hits) / len(words), sum(c for w, c in token_counts.items() if w in found_words) / total if total else 0.0
"""),
        Mistake("clears the specials in found", why="found[:num_specials] = False writes into the caller's tensor", code="""
found[:num_specials] = False
words = list(itos[num_specials:])
hits = found[num_specials:].tolist()
found_words = {w for w, hit in zip(words, hits) if hit}
total = sum(token_counts.values())
return (sum(hits) / len(words) if words else 0.0,
        sum(c for w, c in token_counts.items() if w in found_words) / total if total else 0.0)
"""),
        Mistake("integer division", why="// rounds every share down to 0", code="""
words = list(itos[num_specials:])
hits = found[num_specials:].tolist()
found_words = {w for w, hit in zip(words, hits) if hit}
total = sum(token_counts.values())
return (sum(hits) // len(words) if words else 0.0,
        sum(c for w, c in token_counts.items() if w in found_words) // total if total else 0.0)
"""),
    ],
    "train_word2vec": [
        Mistake("drops the other splits in place", why="df.drop(..., inplace=True) removes the caller's validation and test rows", code="""
df.drop(df.index[df["split"] != "train"], inplace=True)
sentences = df["tokens"].tolist()
words = {w for w in vocab.itos if w not in SPECIALS}
counts = Counter(tok for tokens in sentences for tok in tokens if tok in words)
model = Word2Vec(vector_size=vector_size, window=window, sg=1, negative=5, min_count=1, sample=sample,
                 seed=seed, workers=workers)
model.build_vocab_from_freq(dict(counts))
model.train(sentences, total_examples=len(sentences), epochs=epochs)
return model.wv
"""),
        Mistake("trained on every row", why="validation and test texts leak into the vectors", code="""
train_sentences = df.loc[df["split"] == "train", "tokens"].tolist()
words = {w for w in vocab.itos if w not in SPECIALS}
counts = Counter(t for tokens in train_sentences for t in tokens if t in words)
model = Word2Vec(vector_size=vector_size, window=window, sg=1, negative=5, min_count=1, sample=sample,
                 seed=seed, workers=workers)
model.build_vocab_from_freq(dict(counts))
model.train(df["tokens"].tolist(), total_examples=len(df), epochs=epochs)
return model.wv
"""),
        Mistake("gensim's own vocabulary from all rows", why="adds words seen only in validation/test", code="""
model = Word2Vec(vector_size=vector_size, window=window, sg=1, negative=5, min_count=1, sample=sample,
                 seed=seed, workers=workers)
model.build_vocab(df["tokens"].tolist())
sentences = df.loc[df["split"] == "train", "tokens"].tolist()
model.train(sentences, total_examples=len(sentences), epochs=epochs)
return model.wv
"""),
        Mistake("gensim's default min_count", why="drops our rare words: the vocabularies differ", code="""
sentences = df.loc[df["split"] == "train", "tokens"].tolist()
model = Word2Vec(vector_size=vector_size, window=window, sg=1, negative=5, sample=sample, seed=seed,
                 workers=workers)
model.build_vocab(sentences)
model.train(sentences, total_examples=len(sentences), epochs=epochs)
return model.wv
"""),
        Mistake("special tokens in the vocabulary", why="<PAD>, <UNK>, ... are not words of the text", code="""
sentences = df.loc[df["split"] == "train", "tokens"].tolist()
counts = Counter(t for tokens in sentences for t in tokens)
model = Word2Vec(vector_size=vector_size, window=window, sg=1, negative=5, min_count=1, sample=sample,
                 seed=seed, workers=workers)
model.build_vocab_from_freq({w: counts.get(w, 1) for w in vocab.itos})
model.train(sentences, total_examples=len(sentences), epochs=epochs)
return model.wv
"""),
        Mistake("seed not passed", why="every run uses gensim's default seed", code="""
sentences = df.loc[df["split"] == "train", "tokens"].tolist()
words = {w for w in vocab.itos if w not in SPECIALS}
counts = Counter(t for tokens in sentences for t in tokens if t in words)
model = Word2Vec(vector_size=vector_size, window=window, sg=1, negative=5, min_count=1, sample=sample,
                 workers=workers)
model.build_vocab_from_freq(dict(counts))
model.train(sentences, total_examples=len(sentences), epochs=epochs)
return model.wv
"""),
        Mistake("validation rows trained on", why="split != 'test' keeps the validation texts", code="""
sentences = df.loc[df["split"] != "test", "tokens"].tolist()
words = {w for w in vocab.itos if w not in SPECIALS}
counts = Counter(t for tokens in df.loc[df["split"] == "train", "tokens"] for t in tokens if t in words)
model = Word2Vec(vector_size=vector_size, window=window, sg=1, negative=5, min_count=1, sample=sample,
                 seed=seed, workers=workers)
model.build_vocab_from_freq(dict(counts))
model.train(sentences, total_examples=len(sentences), epochs=epochs)
return model.wv
"""),
        Mistake("counts over every row", why="test texts change the counts (subsampling, noise)", code="""
sentences = df.loc[df["split"] == "train", "tokens"].tolist()
words = {w for w in vocab.itos if w not in SPECIALS}
counts = Counter(t for tokens in df["tokens"] for t in tokens if t in words)
model = Word2Vec(vector_size=vector_size, window=window, sg=1, negative=5, min_count=1, sample=sample,
                 seed=seed, workers=workers)
model.build_vocab_from_freq(dict(counts))
model.train(sentences, total_examples=len(sentences), epochs=epochs)
return model.wv
"""),
        Mistake("skip-gram hard-coded", why="sg=1 ignores the sg argument (CBOW is never trained)", code="""
sentences = df.loc[df["split"] == "train", "tokens"].tolist()
words = {w for w in vocab.itos if w not in SPECIALS}
counts = Counter(tok for tokens in sentences for tok in tokens if tok in words)
model = Word2Vec(vector_size=vector_size, window=window, sg=1, negative=5, min_count=1, sample=sample,
                 seed=seed, workers=workers)
model.build_vocab_from_freq(dict(counts))
model.train(sentences, total_examples=len(sentences), epochs=epochs, callbacks=list(callbacks))
return model.wv
"""),
        Mistake("window ignored", why="gensim's default window=5 whatever the argument", code="""
sentences = df.loc[df["split"] == "train", "tokens"].tolist()
words = {w for w in vocab.itos if w not in SPECIALS}
counts = Counter(tok for tokens in sentences for tok in tokens if tok in words)
model = Word2Vec(vector_size=vector_size, sg=sg, negative=5, min_count=1, sample=sample, seed=seed,
                 workers=workers)
model.build_vocab_from_freq(dict(counts))
model.train(sentences, total_examples=len(sentences), epochs=epochs, callbacks=list(callbacks))
return model.wv
"""),
        Mistake("sample ignored", why="gensim's default sample=1e-3 whatever the argument", code="""
sentences = df.loc[df["split"] == "train", "tokens"].tolist()
words = {w for w in vocab.itos if w not in SPECIALS}
counts = Counter(tok for tokens in sentences for tok in tokens if tok in words)
model = Word2Vec(vector_size=vector_size, window=window, sg=sg, negative=5, min_count=1, seed=seed,
                 workers=workers)
model.build_vocab_from_freq(dict(counts))
model.train(sentences, total_examples=len(sentences), epochs=epochs, callbacks=list(callbacks))
return model.wv
"""),
        Mistake("every training word counted", why="words below our min_freq (outside vocab) join word2vec's vocabulary", code="""
sentences = df.loc[df["split"] == "train", "tokens"].tolist()
counts = Counter(tok for tokens in sentences for tok in tokens)
model = Word2Vec(vector_size=vector_size, window=window, sg=sg, negative=5, min_count=1, sample=sample,
                 seed=seed, workers=workers)
model.build_vocab_from_freq(dict(counts))
model.train(sentences, total_examples=len(sentences), epochs=epochs, callbacks=list(callbacks))
return model.wv
"""),
        Mistake("callbacks not passed", why="gensim never calls them, so nothing is measured per epoch", code="""
sentences = df.loc[df["split"] == "train", "tokens"].tolist()
words = {w for w in vocab.itos if w not in SPECIALS}
counts = Counter(tok for tokens in sentences for tok in tokens if tok in words)
model = Word2Vec(vector_size=vector_size, window=window, sg=sg, negative=5, min_count=1, sample=sample,
                 seed=seed, workers=workers)
model.build_vocab_from_freq(dict(counts))
model.train(sentences, total_examples=len(sentences), epochs=epochs)
return model.wv
"""),
    ],
    "mean_vectors": [
        Mistake("filters each document in place", why="tokens[:] = ... removes unknown words from the caller's lists", code="""
out = np.zeros((len(token_lists), kv.vector_size), dtype=np.float32)
for i, tokens in enumerate(token_lists):
    tokens[:] = [t for t in tokens if t in kv.key_to_index]
    if tokens:
        out[i] = np.mean([kv[t] for t in tokens], axis=0)
return out
"""),
        Mistake("mean over distinct words", why="a repeated word must count every time", code="""
out = np.zeros((len(token_lists), kv.vector_size), dtype=np.float32)
for i, tokens in enumerate(token_lists):
    rows = [kv.key_to_index[t] for t in set(tokens) if t in kv.key_to_index]
    if rows:
        out[i] = kv.vectors[rows].mean(axis=0)
return out
"""),
        Mistake("divided by all tokens, unknown ones too", why="unknown tokens pull the mean to zero", code="""
out = np.zeros((len(token_lists), kv.vector_size), dtype=np.float32)
for i, tokens in enumerate(token_lists):
    rows = [kv.key_to_index[t] for t in tokens if t in kv.key_to_index]
    if rows:
        out[i] = kv.vectors[rows].sum(axis=0) / len(tokens)
return out
"""),
        Mistake("mean of an empty list", why="documents without known tokens become nan", code="""
out = []
for tokens in token_lists:
    rows = [kv.key_to_index[t] for t in tokens if t in kv.key_to_index]
    out.append(np.asarray(kv.vectors)[rows].mean(axis=0) if rows else np.full(kv.vector_size, np.nan))
return np.asarray(out, dtype=np.float32).reshape(len(token_lists), kv.vector_size)
"""),
        Mistake("float64 result", why="np.zeros defaults to float64", code="""
out = np.zeros((len(token_lists), kv.vector_size))
for i, tokens in enumerate(token_lists):
    rows = [kv.key_to_index[t] for t in tokens if t in kv.key_to_index]
    if rows:
        out[i] = kv.vectors[rows].mean(axis=0)
return out
"""),
        Mistake("documents without known tokens skipped", why="rows no longer line up with labels", code="""
out = []
for tokens in token_lists:
    rows = [kv.key_to_index[t] for t in tokens if t in kv.key_to_index]
    if rows:
        out.append(kv.vectors[rows].mean(axis=0))
return np.asarray(out, dtype=np.float32).reshape(-1, kv.vector_size)
"""),
        Mistake("len() of the iterable", why="a generator has no len()", code="""
out = np.zeros((len(token_lists), kv.vector_size), dtype=np.float32)
for i, tokens in enumerate(token_lists):
    rows = [kv.key_to_index[t] for t in tokens if t in kv.key_to_index]
    if rows:
        out[i] = np.asarray(kv.vectors)[rows].mean(axis=0)
return out
"""),
        Mistake("documents counted in a first pass", why="the second pass over a generator sees nothing", code="""
n = sum(1 for _ in token_lists)
out = np.zeros((n, kv.vector_size), dtype=np.float32)
for i, tokens in enumerate(token_lists):
    rows = [kv.key_to_index[t] for t in tokens if t in kv.key_to_index]
    if rows:
        out[i] = np.asarray(kv.vectors)[rows].mean(axis=0)
return out
"""),
        Mistake("kv[word] for every token", why="a word kv lacks raises KeyError", code="""
docs = list(token_lists)
out = np.zeros((len(docs), kv.vector_size), dtype=np.float32)
for i, tokens in enumerate(docs):
    if tokens:
        out[i] = np.mean([kv[t] for t in tokens], axis=0)
return out
"""),
        Mistake("sum instead of mean", why="long documents get long vectors", code="""
docs = list(token_lists)
out = np.zeros((len(docs), kv.vector_size), dtype=np.float32)
for i, tokens in enumerate(docs):
    rows = [kv.key_to_index[t] for t in tokens if t in kv.key_to_index]
    if rows:
        out[i] = np.asarray(kv.vectors)[rows].sum(axis=0)
return out
"""),
        Mistake("a torch tensor returned", why="the docstring promises a NumPy array for scikit-learn", code="""
docs = list(token_lists)
out = torch.zeros(len(docs), kv.vector_size)
for i, tokens in enumerate(docs):
    rows = [kv.key_to_index[t] for t in tokens if t in kv.key_to_index]
    if rows:
        out[i] = torch.from_numpy(np.asarray(kv.vectors)[rows]).mean(dim=0)
return out
"""),
        Mistake("gensim's get_mean_vector", why="it averages unit-length vectors (pre_normalize=True by default)", code="""
docs = list(token_lists)
out = np.zeros((len(docs), kv.vector_size), dtype=np.float32)
for i, tokens in enumerate(docs):
    known = [t for t in tokens if t in kv.key_to_index]
    if known:
        out[i] = kv.get_mean_vector(known)
return out
"""),
        Mistake("positions of a Series", why="token_lists[i] for i in range(n) reads a pandas Series by its index labels", code="""
n = len(token_lists)
out = np.zeros((n, kv.vector_size), dtype=np.float32)
for i in range(n):
    rows = [kv.key_to_index[t] for t in token_lists[i] if t in kv.key_to_index]
    if rows:
        out[i] = np.asarray(kv.vectors)[rows].mean(axis=0)
return out
"""),
    ],
    "AveragingClassifier": [
        Mistake("mask built on the CPU", why="torch.arange(T) without device=: wrong when ids are on a GPU", code={1: """
mask = torch.arange(ids.shape[1])[None, :] < lengths[:, None]
return self.classifier(masked_mean(self.embedding(ids), mask))
"""}),
        Mistake("mean over the padding too", why="divides by T and depends on the batch's padding", code={1: """
return self.classifier(self.embedding(ids).mean(dim=1))
"""}),
        Mistake("no padding_idx", why="the <PAD> row is random and trainable", code={0: """
self.embedding = nn.Embedding(vocab_size, emb_dim)
self.classifier = nn.Linear(emb_dim, num_classes)
"""}),
        Mistake("masked sum instead of mean", why="long documents get larger vectors", code={1: """
mask = lengths_to_mask(lengths.to(ids.device), ids.shape[1]).unsqueeze(-1).float()
return self.classifier((self.embedding(ids) * mask).sum(dim=1))
"""}),
        Mistake("masked sum divided by T", why="the padded length is not the document's length", code={1: """
mask = lengths_to_mask(lengths.to(ids.device), ids.shape[1]).unsqueeze(-1).float()
return self.classifier((self.embedding(ids) * mask).sum(dim=1) / ids.shape[1])
"""}),
        Mistake("divided by lengths without a floor", why="a length-0 row gives 0/0 = nan", code={1: """
mask = lengths_to_mask(lengths.to(ids.device), ids.shape[1]).unsqueeze(-1).float()
pooled = (self.embedding(ids) * mask).sum(dim=1) / lengths.to(ids.device).unsqueeze(1).float()
return self.classifier(pooled)
"""}),
        Mistake("softmax in forward", why="CrossEntropyLoss expects logits", code={1: """
mask = lengths_to_mask(lengths.to(ids.device), ids.shape[1])
return torch.softmax(self.classifier(masked_mean(self.embedding(ids), mask)), dim=1)
"""}),
        Mistake("pad index hard-coded", why="ignores the pad_idx argument", code={0: """
self.embedding = nn.Embedding(vocab_size, emb_dim, padding_idx=0)
self.classifier = nn.Linear(emb_dim, num_classes)
"""}),
        Mistake("lengths left on their device", why="dividing by CPU lengths fails when the ids are on a GPU", code={1: """
mask = (torch.arange(ids.shape[1], device=ids.device)[None, :] < lengths.to(ids.device)[:, None]).unsqueeze(-1)
summed = (self.embedding(ids) * mask).sum(dim=1)
return self.classifier(summed / lengths.clamp(min=1)[:, None])
"""}),
        Mistake("first token only", why="the first vector is not the mean of the document", code={1: """
return self.classifier(self.embedding(ids)[:, 0])
"""}),
        Mistake("mask from ids != 0", why="the padding id is pad_idx, not always 0", code={1: """
mask = ids != 0
return self.classifier(masked_mean(self.embedding(ids), mask))
"""}),
        Mistake("classifier without bias", why="bias=False removes classifier.bias", code={0: """
self.embedding = nn.Embedding(vocab_size, emb_dim, padding_idx=pad_idx)
self.classifier = nn.Linear(emb_dim, num_classes, bias=False)
"""}),
        Mistake("mean in a Python loop", why="a document of length 0 averages nothing: nan", code={1: """
emb = self.embedding(ids)
pooled = torch.stack([emb[b, :n].mean(dim=0) for b, n in enumerate(lengths.tolist())])
return self.classifier(pooled)
"""}),
    ],
    "pretrained_classifier": [
        Mistake("no copy of the matrix", why="fine-tuning rewrites the caller's GloVe matrix", code="""
model = AveragingClassifier(matrix.shape[0], matrix.shape[1], num_classes, pad_idx)
model.embedding = nn.Embedding.from_pretrained(matrix, freeze=freeze, padding_idx=pad_idx)
return model
"""),
        Mistake("left trainable when frozen was asked", why="freeze=False hard-coded", code="""
model = AveragingClassifier(matrix.shape[0], matrix.shape[1], num_classes, pad_idx)
model.embedding = nn.Embedding.from_pretrained(matrix.clone(), freeze=False, padding_idx=pad_idx)
return model
"""),
        Mistake("flag not passed: always frozen", why="from_pretrained freezes by default", code="""
model = AveragingClassifier(matrix.shape[0], matrix.shape[1], num_classes, pad_idx)
model.embedding = nn.Embedding.from_pretrained(matrix.clone(), padding_idx=pad_idx)
return model
"""),
        Mistake("flag inverted", why="freeze=not freeze", code="""
model = AveragingClassifier(matrix.shape[0], matrix.shape[1], num_classes, pad_idx)
model.embedding = nn.Embedding.from_pretrained(matrix.clone(), freeze=not freeze, padding_idx=pad_idx)
return model
"""),
        Mistake("no padding_idx", why="the <PAD> row is trained when fine-tuning", code="""
model = AveragingClassifier(matrix.shape[0], matrix.shape[1], num_classes, pad_idx)
model.embedding = nn.Embedding.from_pretrained(matrix.clone(), freeze=freeze)
return model
"""),
        Mistake("whole model frozen", why="the classifier must still learn", code="""
model = AveragingClassifier(matrix.shape[0], matrix.shape[1], num_classes, pad_idx)
model.embedding = nn.Embedding.from_pretrained(matrix.clone(), freeze=freeze, padding_idx=pad_idx)
for p in model.parameters():
    p.requires_grad = not freeze
return model
"""),
        Mistake("matrix never loaded", why="a fresh random table is not GloVe", code="""
model = AveragingClassifier(matrix.shape[0], matrix.shape[1], num_classes, pad_idx)
model.embedding.weight.requires_grad = not freeze
return model
"""),
        Mistake("weights copied, requires_grad untouched", why="copy_ into a trainable table: freeze=True still trains it", code="""
model = AveragingClassifier(matrix.shape[0], matrix.shape[1], num_classes, pad_idx)
with torch.no_grad():
    model.embedding.weight.copy_(matrix)
return model
"""),
        Mistake("detach instead of clone", why="detach() shares memory: fine-tuning rewrites the caller's matrix", code="""
model = AveragingClassifier(matrix.shape[0], matrix.shape[1], num_classes, pad_idx)
model.embedding = nn.Embedding.from_pretrained(matrix.detach(), freeze=freeze, padding_idx=pad_idx)
return model
"""),
        Mistake("no_grad taken for freezing", why="torch.no_grad() at creation does not freeze a parameter", code="""
model = AveragingClassifier(matrix.shape[0], matrix.shape[1], num_classes, pad_idx)
with torch.no_grad():
    model.embedding = nn.Embedding.from_pretrained(matrix.clone(), freeze=False, padding_idx=pad_idx)
return model
"""),
        Mistake("nn.Parameter(matrix)", why="a Parameter wraps the caller's tensor without copying it", code="""
model = AveragingClassifier(matrix.shape[0], matrix.shape[1], num_classes, pad_idx)
model.embedding.weight = nn.Parameter(matrix, requires_grad=not freeze)
return model
"""),
        Mistake("classifier frozen instead", why="freeze must stop the embedding, not the linear layer", code="""
model = AveragingClassifier(matrix.shape[0], matrix.shape[1], num_classes, pad_idx)
model.embedding = nn.Embedding.from_pretrained(matrix.clone(), freeze=False, padding_idx=pad_idx)
model.classifier.requires_grad_(not freeze)
return model
"""),
    ],
}
