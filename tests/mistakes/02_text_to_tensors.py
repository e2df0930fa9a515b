"""Plausible wrong answers for notebook 02 (from text to tensors), one list per exercise.

Each ``code`` is what a student might type inside the solution region; at least one test cell
of the exercise must fail for every entry (checked by ``autograder.mistakes``). The first entry
of each exercise is also caught by its hidden test cell.
"""

from autograder.mistakes import Mistake

MISTAKES = {
    "encode_labels": [
        Mistake("class order from the labels", why="sorted(set(labels)) shifts indices when a class is absent or class_names is not sorted", code="""
index = {name: i for i, name in enumerate(sorted(set(labels)))}
return torch.tensor([index[label] for label in labels], dtype=torch.long)
"""),
        Mistake("float indices", why="CrossEntropyLoss wants int64 class indices", code="""
index = {name: i for i, name in enumerate(class_names)}
return torch.tensor([float(index[label]) for label in labels])
"""),
        Mistake("unknown labels silently become class 0", why="a typo in the data must raise", code="""
index = {name: i for i, name in enumerate(class_names)}
return torch.tensor([index.get(label, 0) for label in labels], dtype=torch.long)
"""),
        Mistake("no dtype: an empty list becomes float32", why="torch.tensor([]) is float32", code="""
return torch.tensor([list(class_names).index(label) for label in labels])
"""),
        Mistake("indices start at 1", why="class indices run from 0 to C-1", code="""
index = {name: i + 1 for i, name in enumerate(class_names)}
return torch.tensor([index[label] for label in labels], dtype=torch.long)
"""),
        Mistake("labels sorted in place", why="labels.sort() reorders the caller's list (and the result)", code="""
index = {name: i for i, name in enumerate(class_names)}
labels.sort(key=lambda label: index.get(label, -1))
ids = []
for label in labels:
    if label not in index:
        raise ValueError(f"unknown label {label!r}")
    ids.append(index[label])
return torch.tensor(ids, dtype=torch.long)
"""),
        Mistake("LabelEncoder fitted on the labels", why="its classes come from the labels given, sorted: not class_names' order", code="""
return torch.tensor(LabelEncoder().fit(labels).transform(labels), dtype=torch.long)
"""),
        Mistake("LabelEncoder fitted on class_names", why="LabelEncoder sorts the classes: wrong whenever class_names is not alphabetical", code="""
encoder = LabelEncoder().fit(list(class_names))
return torch.tensor(encoder.transform(list(labels)), dtype=torch.long)
"""),
        Mistake("returns a list", why="the docstring promises an int64 tensor", code="""
index = {name: i for i, name in enumerate(class_names)}
ids = []
for label in labels:
    if label not in index:
        raise ValueError(f"unknown label {label!r}")
    ids.append(index[label])
return ids
"""),
        Mistake("KeyError for an unknown label", why="a dict lookup raises KeyError, not the promised ValueError", code="""
index = {name: i for i, name in enumerate(class_names)}
return torch.tensor([index[label] for label in labels], dtype=torch.long)
"""),
        Mistake("overwrites the labels in place", why="labels[i] = ... turns the caller's list of names into numbers", code="""
for i, label in enumerate(labels):
    if label not in class_names:
        raise ValueError(f"unknown label {label!r}")
    labels[i] = list(class_names).index(label)
return torch.tensor(labels, dtype=torch.long)
"""),
        Mistake("int32 indices", why="CrossEntropyLoss wants int64 (torch.long) class indices", code="""
index = {name: i for i, name in enumerate(class_names)}
ids = []
for label in labels:
    if label not in index:
        raise ValueError(f"unknown label {label!r}")
    ids.append(index[label])
return torch.tensor(ids, dtype=torch.int32)
"""),
    ],
    "one_hot": [
        Mistake("width from the data", why="num_classes is y.max() + 1 only if the last class occurs", code="""
return torch.nn.functional.one_hot(y).float()
"""),
        Mistake("int64 rows", why="F.one_hot returns int64; the docstring asks for float32", code="""
return torch.nn.functional.one_hot(y, num_classes)
"""),
        Mistake("fills whole columns", why="out[:, y] = 1 sets every row's y-columns", code="""
out = torch.zeros(len(y), num_classes)
out[:, y] = 1.0
return out
"""),
        Mistake("transposed", why="gives [num_classes, N]", code="""
return torch.eye(num_classes)[:, y]
"""),
        Mistake("zeros built on the CPU", why="torch.zeros without device=: wrong when y is on a GPU", code="""
out = torch.zeros(len(y), num_classes)
out[torch.arange(len(y)), y] = 1.0
return out
"""),
        Mistake("float64 rows", why="torch.eye(...).double(): the docstring promises float32", code="""
return torch.eye(num_classes, dtype=torch.float64, device=y.device)[y]
"""),
        Mistake("a loop of Python lists", why="torch.tensor of no rows is [0], not [0, num_classes]; and the rows land on the CPU", code="""
rows = []
for t in y.tolist():
    row = [0.0] * num_classes
    row[t] = 1.0
    rows.append(row)
return torch.tensor(rows)
"""),
        Mistake("bool rows", why="one-hot rows are float32 probabilities, not True/False", code="""
return torch.eye(num_classes, dtype=torch.bool, device=y.device)[y]
"""),
        Mistake("identity matrix on the CPU", why="torch.eye without device=: wrong when y is on a GPU", code="""
return torch.eye(num_classes)[y]
"""),
        Mistake("unsqueeze_ on the labels", why="unsqueeze_ changes the shape of the caller's y", code="""
out = torch.zeros(len(y), num_classes, device=y.device)
return out.scatter_(1, y.unsqueeze_(1), 1.0)
"""),
    ],
    "stratified_split": [
        Mistake("not stratified", why="one global shuffle: small classes end up unevenly spread", code="""
rng = np.random.default_rng(seed)
order = rng.permutation(len(labels)).tolist()
n_train = round(fractions[0] * len(order))
n_val = round(fractions[1] * len(order))
return sorted(order[:n_train]), sorted(order[n_train:n_train + n_val]), sorted(order[n_train + n_val:])
"""),
        Mistake("stratified but not shuffled", why="takes each class's first rows: same split for every seed", code="""
by_class = {}
for i, label in enumerate(labels):
    by_class.setdefault(label, []).append(i)
train, val, test = [], [], []
for rows in by_class.values():
    n_train = round(fractions[0] * len(rows))
    n_val = round(fractions[1] * len(rows))
    train += rows[:n_train]
    val += rows[n_train:n_train + n_val]
    test += rows[n_train + n_val:]
return sorted(train), sorted(val), sorted(test)
"""),
        Mistake("seed ignored", why="an unseeded generator gives a new split on every call", code="""
rng = np.random.default_rng()
by_class = {}
for i, label in enumerate(labels):
    by_class.setdefault(label, []).append(i)
train, val, test = [], [], []
for rows in by_class.values():
    rows = rng.permutation(rows).tolist()
    n_train = round(fractions[0] * len(rows))
    n_val = round(fractions[1] * len(rows))
    train += rows[:n_train]
    val += rows[n_train:n_train + n_val]
    test += rows[n_train + n_val:]
return sorted(train), sorted(val), sorted(test)
"""),
        Mistake("off-by-one overlap", why="the last validation row is also the first test row", code="""
rng = np.random.default_rng(seed)
by_class = {}
for i, label in enumerate(labels):
    by_class.setdefault(label, []).append(i)
train, val, test = [], [], []
for rows in by_class.values():
    rows = rng.permutation(rows).tolist()
    n_train = round(fractions[0] * len(rows))
    n_val = round(fractions[1] * len(rows))
    train += rows[:n_train]
    val += rows[n_train:n_train + n_val]
    test += rows[n_train + n_val - 1:]
return sorted(train), sorted(val), sorted(test)
"""),
        Mistake("test drawn from all rows", why="test sampled independently overlaps train and val (leakage)", code="""
from sklearn.model_selection import train_test_split
idx = list(range(len(labels)))
train, val = train_test_split(idx, train_size=fractions[0] / (fractions[0] + fractions[1]),
                              stratify=list(labels), random_state=seed)
_, test = train_test_split(idx, test_size=fractions[2], stratify=list(labels), random_state=seed)
return sorted(train), sorted(val), sorted(test)
"""),
        Mistake("seeds the global RNG", why="np.random.seed(seed) reseeds everyone else's randomness too", code="""
np.random.seed(seed)
by_class = {}
for i, label in enumerate(labels):
    by_class.setdefault(label, []).append(i)
train, val, test = [], [], []
for label in sorted(by_class, key=str):
    rows = np.random.permutation(by_class[label]).tolist()
    n_train = round(fractions[0] * len(rows))
    n_val = round(fractions[1] * len(rows))
    train += rows[:n_train]
    val += rows[n_train:n_train + n_val]
    test += rows[n_train + n_val:]
return sorted(train), sorted(val), sorted(test)
"""),
        Mistake("lists of numpy ints", why="list(rng.permutation(...)) holds numpy.int64, not int", code="""
rng = np.random.default_rng(seed)
by_class = {}
for i, label in enumerate(labels):
    by_class.setdefault(label, []).append(i)
train, val, test = [], [], []
for label in sorted(by_class, key=str):
    rows = list(rng.permutation(by_class[label]))
    n_train = round(fractions[0] * len(rows))
    n_val = round(fractions[1] * len(rows))
    train += rows[:n_train]
    val += rows[n_train:n_train + n_val]
    test += rows[n_train + n_val:]
return sorted(train), sorted(val), sorted(test)
"""),
        Mistake("test size from the validation fraction", why="fractions[1] used twice: wrong when val and test differ", code="""
rng = np.random.default_rng(seed)
by_class = {}
for i, label in enumerate(labels):
    by_class.setdefault(label, []).append(i)
train, val, test = [], [], []
for label in sorted(by_class, key=str):
    rows = rng.permutation(by_class[label]).tolist()
    n_val = round(fractions[1] * len(rows))
    n_test = round(fractions[1] * len(rows))
    test += rows[:n_test]
    val += rows[n_test:n_test + n_val]
    train += rows[n_test + n_val:]
return sorted(train), sorted(val), sorted(test)
"""),
        Mistake("a list of three lists", why="the docstring promises a tuple", code="""
rng = np.random.default_rng(seed)
by_class = {}
for i, label in enumerate(labels):
    by_class.setdefault(label, []).append(i)
train, val, test = [], [], []
for label in sorted(by_class, key=str):
    rows = rng.permutation(by_class[label]).tolist()
    n_train = round(fractions[0] * len(rows))
    n_val = round(fractions[1] * len(rows))
    train += rows[:n_train]
    val += rows[n_train:n_train + n_val]
    test += rows[n_train + n_val:]
return [sorted(train), sorted(val), sorted(test)]
"""),
        Mistake("indices left in shuffled order", why="the docstring promises each list sorted ascending", code="""
rng = np.random.default_rng(seed)
by_class = {}
for i, label in enumerate(labels):
    by_class.setdefault(label, []).append(i)
train, val, test = [], [], []
for label in sorted(by_class, key=str):
    rows = rng.permutation(by_class[label]).tolist()
    n_train = round(fractions[0] * len(rows))
    n_val = round(fractions[1] * len(rows))
    train += rows[:n_train]
    val += rows[n_train:n_train + n_val]
    test += rows[n_train + n_val:]
return train, val, test
"""),
        Mistake("seeds torch's global RNG", why="torch.manual_seed(seed) reseeds everyone else's randomness too", code="""
torch.manual_seed(seed)
by_class = {}
for i, label in enumerate(labels):
    by_class.setdefault(label, []).append(i)
train, val, test = [], [], []
for label in sorted(by_class, key=str):
    rows = [by_class[label][j] for j in torch.randperm(len(by_class[label])).tolist()]
    n_train = round(fractions[0] * len(rows))
    n_val = round(fractions[1] * len(rows))
    train += rows[:n_train]
    val += rows[n_train:n_train + n_val]
    test += rows[n_train + n_val:]
return sorted(train), sorted(val), sorted(test)
"""),
        Mistake("second split always in half", why="test_size=0.5 on the rest is right only when validation and test fractions are equal", code="""
from sklearn.model_selection import train_test_split
idx = list(range(len(labels)))
train, rest = train_test_split(idx, train_size=fractions[0], stratify=list(labels), random_state=seed)
val, test = train_test_split(rest, test_size=0.5, stratify=[labels[i] for i in rest], random_state=seed)
return sorted(train), sorted(val), sorted(test)
"""),
    ],
    "whitespace_tokenize": [
        Mistake("split on a single space", why="keeps empty strings and does not split tabs or newlines", code="""
return text.split(" ")
"""),
        Mistake("re.split on white space", why="leading/trailing blanks give empty tokens; '' gives ['']", code="""
return re.split(r"\\s+", text)
"""),
        Mistake("lower-cases", why="a white-space tokenizer changes nothing but the splitting", code="""
return text.lower().split()
"""),
        Mistake("drops punctuation", why="\\w+ keeps only word characters", code="""
return re.findall(r"\\w+", text)
"""),
        Mistake("ASCII blanks only", why="a non-breaking space (\\xa0) or an em space is white space too", code=r"""
return [tok for tok in re.split(r"[ \t\n\r]+", text) if tok]
"""),
        Mistake("split on spaces, empty tokens dropped", why="tabs, newlines and non-breaking spaces do not separate tokens", code="""
return [tok for tok in text.split(" ") if tok]
"""),
        Mistake("strips punctuation from every token", why="a white-space tokenizer keeps the punctuation", code="""
import string
return [tok.strip(string.punctuation) for tok in text.split()]
"""),
        Mistake("tabs and newlines replaced, then split on spaces", why="\\r, \\xa0 and the other white space stay inside tokens", code=r"""
return [tok for tok in text.replace("\t", " ").replace("\n", " ").split(" ") if tok]
"""),
        Mistake("splits on punctuation too", why="'Hello,' loses its comma: only white space separates", code=r"""
return [tok for tok in re.split(r"[\s,.!?]+", text) if tok]
"""),
        Mistake("strip, then split on a single space", why="runs of spaces give empty tokens; tabs do not split", code="""
return text.strip().split(" ") if text.strip() else []
"""),
    ],
    "regex_tokenize": [
        Mistake("no lower-casing", why="'Hello' and 'hello' become two tokens", code="""
pattern = re.compile(r"(?P<url>(?:https?://|www\\.)\\S+)|(?P<user>@\\w+)|(?P<tag>#\\w+)"
                     r"|(?P<word>[a-zA-Z0-9]+(?:'[a-zA-Z]+)?)|(?P<other>\\S)")
out = []
for m in pattern.finditer(text):
    out.append({"url": "<url>", "user": "<user>"}.get(m.lastgroup, m.group()))
return out
"""),
        Mistake("word characters only", why="\\w+ drops punctuation and breaks URLs and mentions", code="""
return re.findall(r"\\w+", text.lower())
"""),
        Mistake("apostrophes split words", why="don't becomes don, ', t", code="""
pattern = re.compile(r"(?P<url>(?:https?://|www\\.)\\S+)|(?P<user>@\\w+)|(?P<tag>#\\w+)"
                     r"|(?P<word>[a-z0-9]+)|(?P<other>\\S)")
out = []
for m in pattern.finditer(text.lower()):
    out.append({"url": "<url>", "user": "<user>"}.get(m.lastgroup, m.group()))
return out
"""),
        Mistake("general patterns first", why="the word and single-character rules win before the URL/mention rules are tried", code="""
pattern = re.compile(r"(?P<word>[a-z0-9]+(?:'[a-z]+)?)|(?P<other>[^\\s@#])|(?P<url>(?:https?://|www\\.)\\S+)"
                     r"|(?P<user>@\\w+)|(?P<tag>#\\w+)")
out = []
for m in pattern.finditer(text.lower()):
    out.append({"url": "<url>", "user": "<user>"}.get(m.lastgroup, m.group()))
return out
"""),
        Mistake("mentions kept raw", why="every @handle becomes its own rare token", code="""
pattern = re.compile(r"(?P<url>(?:https?://|www\\.)\\S+)|(?P<tag>[#@]\\w+)"
                     r"|(?P<word>[a-z0-9]+(?:'[a-z]+)?)|(?P<other>\\S)")
out = []
for m in pattern.finditer(text.lower()):
    out.append("<url>" if m.lastgroup == "url" else m.group())
return out
"""),
        Mistake("only http URLs", why="www. links are URLs too", code="""
pattern = re.compile(r"(?P<url>https?://\\S+)|(?P<user>@\\w+)|(?P<tag>#\\w+)"
                     r"|(?P<word>[a-z0-9]+(?:'[a-z]+)?)|(?P<other>\\S)")
out = []
for m in pattern.finditer(text.lower()):
    out.append({"url": "<url>", "user": "<user>"}.get(m.lastgroup, m.group()))
return out
"""),
        Mistake("\\w for words", why="\\w also matches _ and accented letters: the docstring says a-z and digits", code=r"""
pattern = re.compile(r"(?P<url>(?:https?://|www\.)\S+)|(?P<user>@\w+)|(?P<tag>#\w+)"
                     r"|(?P<word>\w+(?:'\w+)?)|(?P<other>\S)")
out = []
for m in pattern.finditer(text.lower()):
    out.append({"url": "<url>", "user": "<user>"}.get(m.lastgroup, m.group()))
return out
"""),
        Mistake("URL stops at punctuation", why="\\w+ after http:// ends at the first '.' or '/': the rest becomes tokens", code=r"""
pattern = re.compile(r"(?P<url>(?:https?://|www\.)\w+)|(?P<user>@\w+)|(?P<tag>#\w+)"
                     r"|(?P<word>[a-z0-9]+(?:'[a-z]+)?)|(?P<other>\S)")
out = []
for m in pattern.finditer(text.lower()):
    out.append({"url": "<url>", "user": "<user>"}.get(m.lastgroup, m.group()))
return out
"""),
        Mistake("no hashtag rule", why="'#happy' is cut into '#' and 'happy'", code=r"""
pattern = re.compile(r"(?P<url>(?:https?://|www\.)\S+)|(?P<user>@\w+)"
                     r"|(?P<word>[a-z0-9]+(?:'[a-z]+)?)|(?P<other>\S)")
out = []
for m in pattern.finditer(text.lower()):
    out.append({"url": "<url>", "user": "<user>"}.get(m.lastgroup, m.group()))
return out
"""),
        Mistake("apostrophes anywhere in a word", why="[a-z0-9']+ keeps a trailing apostrophe: students' is one token", code=r"""
pattern = re.compile(r"(?P<url>(?:https?://|www\.)\S+)|(?P<user>@\w+)|(?P<tag>#\w+)"
                     r"|(?P<word>[a-z0-9']+)|(?P<other>\S)")
out = []
for m in pattern.finditer(text.lower()):
    out.append({"url": "<url>", "user": "<user>"}.get(m.lastgroup, m.group()))
return out
"""),
        Mistake("punctuation as [^\\w\\s]", why="'_' and accented letters are \\w: they vanish instead of becoming tokens", code=r"""
pattern = re.compile(r"(?P<url>(?:https?://|www\.)\S+)|(?P<user>@\w+)|(?P<tag>#\w+)"
                     r"|(?P<word>[a-z0-9]+(?:'[a-z]+)?)|(?P<other>[^\w\s])")
out = []
for m in pattern.finditer(text.lower()):
    out.append({"url": "<url>", "user": "<user>"}.get(m.lastgroup, m.group()))
return out
"""),
        Mistake("split on white space first, then classify", why="a mention inside a token (me@site.com) or followed by punctuation is missed", code=r"""
out = []
for tok in text.lower().split():
    if tok.startswith(("http://", "https://", "www.")):
        out.append("<url>")
    elif tok.startswith("@") and len(tok) > 1:
        out.append("<user>")
    else:
        out.extend(re.findall(r"#\w+|[a-z0-9]+(?:'[a-z]+)?|\S", tok))
return out
"""),
    ],
    "vocabulary": [
        Mistake("vocabulary built on all splits", why="val/test words get ids: leakage", code={2: """
vocab = cls.build([tokens for part in splits.values() for tokens in part], min_freq=min_freq, max_size=max_size)
encoded = {name: [vocab.encode(tokens) for tokens in token_lists] for name, token_lists in splits.items()}
return vocab, encoded
"""}),
        Mistake("<PAD> not at 0", why="specials appended after the tokens", code={0: """
self.itos = []
for tok in tokens:
    if tok not in self.itos and tok not in self.SPECIALS:
        self.itos.append(tok)
self.itos += list(self.SPECIALS)
self.stoi = {tok: i for i, tok in enumerate(self.itos)}
"""}),
        Mistake("specials in alphabetical order", why="sorted specials put <EOS> at 0", code={0: """
self.itos = sorted(self.SPECIALS)
for tok in tokens:
    if tok not in self.itos:
        self.itos.append(tok)
self.stoi = {tok: i for i, tok in enumerate(self.itos)}
"""}),
        Mistake("<UNK> missing", why="stoi[token] raises KeyError on the first unknown word", code={3: """
ids = [self.stoi[tok] for tok in tokens]
if add_special:
    ids = [self.sos_idx] + ids + [self.eos_idx]
return ids
"""}),
        Mistake("min_freq off by one", why="> drops the tokens seen exactly min_freq times", code={1: """
counts = Counter(tok for tokens in token_lists for tok in tokens if tok not in cls.SPECIALS)
ranked = sorted((tok for tok, n in counts.items() if n > min_freq), key=lambda tok: (-counts[tok], tok))
if max_size is not None:
    ranked = ranked[: max_size - len(cls.SPECIALS)]
return cls(ranked)
"""}),
        Mistake("ties in first-seen order", why="Counter.most_common keeps insertion order for equal counts", code={1: """
counts = Counter(tok for tokens in token_lists for tok in tokens if tok not in cls.SPECIALS)
ranked = [tok for tok, n in counts.most_common() if n >= min_freq]
if max_size is not None:
    ranked = ranked[: max_size - len(cls.SPECIALS)]
return cls(ranked)
"""}),
        Mistake("max_size ignores the specials", why="len(vocab) ends up max_size + 4", code={1: """
counts = Counter(tok for tokens in token_lists for tok in tokens if tok not in cls.SPECIALS)
ranked = sorted((tok for tok, n in counts.items() if n >= min_freq), key=lambda tok: (-counts[tok], tok))
if max_size is not None:
    ranked = ranked[:max_size]
return cls(ranked)
"""}),
        Mistake("document frequency instead of counts", why="a token repeated in one sentence counts once", code={1: """
counts = Counter(tok for tokens in token_lists for tok in set(tokens) if tok not in cls.SPECIALS)
ranked = sorted((tok for tok, n in counts.items() if n >= min_freq), key=lambda tok: (-counts[tok], tok))
if max_size is not None:
    ranked = ranked[: max_size - len(cls.SPECIALS)]
return cls(ranked)
"""}),
        Mistake("decode drops <UNK> too", why="unknown words must stay visible", code={4: """
skip = {self.pad_idx, self.unk_idx, self.sos_idx, self.eos_idx} if skip_special else set()
return [self.itos[int(i)] for i in ids if int(i) not in skip]
"""}),
        Mistake("load sorts the tokens", why="ids change after a round trip", code={6: """
itos = json.loads(Path(path).read_text(encoding="utf-8"))["itos"]
return cls(sorted(itos))
"""}),
        Mistake("saved with str() instead of JSON", why="a Python repr is not JSON (single quotes)", code={5: """
Path(path).write_text(str({"itos": self.itos}), encoding="utf-8")
""", 6: """
import ast
return cls(ast.literal_eval(Path(path).read_text(encoding="utf-8"))["itos"])
"""}),
        Mistake("fit_and_encode pops the training split", why="splits.pop('train') removes it from the caller's dict", code={2: """
train = splits.pop("train")
vocab = cls.build(train, min_freq=min_freq, max_size=max_size)
encoded = {name: [vocab.encode(tokens) for tokens in token_lists] for name, token_lists in splits.items()}
encoded["train"] = [vocab.encode(tokens) for tokens in train]
return vocab, encoded
"""}),
        Mistake("encode adds the specials to the caller's list", why="tokens.insert/append change the caller's tokens", code={3: """
if add_special:
    tokens.insert(0, "<SOS>")
    tokens.append("<EOS>")
return [self.stoi.get(tok, self.unk_idx) for tok in tokens]
"""}),
        Mistake("build reads token_lists twice", why="a generator is empty the second time", code={1: """
vocab_tokens = {tok for tokens in token_lists for tok in tokens if tok not in cls.SPECIALS}
counts = Counter()
for tokens in token_lists:
    counts.update(tok for tok in tokens if tok in vocab_tokens)
ranked = sorted((tok for tok, n in counts.items() if n >= min_freq), key=lambda tok: (-counts[tok], tok))
if max_size is not None:
    ranked = ranked[: max_size - len(cls.SPECIALS)]
return cls(ranked)
"""}),
        Mistake("fit_and_encode returns a list", why="the docstring promises a tuple (vocab, encoded)", code={2: """
vocab = cls.build(splits["train"], min_freq=min_freq, max_size=max_size)
return [vocab, {name: [vocab.encode(tokens) for tokens in token_lists] for name, token_lists in splits.items()}]
"""}),
        Mistake("ties in reverse alphabetical order", why="reverse=True on (count, token) reverses the tie-break too", code={1: """
counts = Counter(tok for tokens in token_lists for tok in tokens if tok not in cls.SPECIALS)
ranked = sorted((tok for tok, n in counts.items() if n >= min_freq), key=lambda tok: (counts[tok], tok), reverse=True)
if max_size is not None:
    ranked = ranked[: max_size - len(cls.SPECIALS)]
return cls(ranked)
"""}),
        Mistake("decode compares tensor ids with the specials", why="a 0-d tensor is never 'in' a set of ints: specials are not skipped", code={4: """
skip = {self.pad_idx, self.sos_idx, self.eos_idx} if skip_special else set()
return [self.itos[i] for i in ids if i not in skip]
"""}),
        Mistake("constructor keeps specials found in tokens", why="dict.fromkeys removes repeats but not a second '<UNK>'", code={0: """
self.itos = list(self.SPECIALS) + list(dict.fromkeys(tokens))
self.stoi = {tok: i for i, tok in enumerate(self.itos)}
"""}),
        Mistake("load rebuilds from the saved tokens", why="build recounts: every token once, so ids change to alphabetical order", code={6: """
itos = json.loads(Path(path).read_text(encoding="utf-8"))["itos"]
return cls.build([itos])
"""}),
        Mistake("save leaves out the specials", why="the file must hold every token in id order, the specials included", code={5: """
Path(path).write_text(json.dumps({"itos": self.itos[len(self.SPECIALS):]}), encoding="utf-8")
"""}),
        Mistake("decode checks the ids first", why="validating every id before decoding reads a generator twice: the second pass is empty", code={4: """
if not all(0 <= int(i) < len(self.itos) for i in ids):
    raise ValueError("id out of range")
skip = {self.pad_idx, self.sos_idx, self.eos_idx} if skip_special else set()
return [self.itos[int(i)] for i in ids if int(i) not in skip]
"""}),
    ],
    "token_coverage": [
        Mistake("mean of per-sentence shares", why="short sentences weigh as much as long ones", code="""
shares = [sum(tok in known for tok in tokens) / len(tokens) for tokens in token_lists if tokens]
return sum(shares) / len(shares) if shares else 0.0
"""),
        Mistake("type coverage", why="counts distinct words instead of running tokens", code="""
types = {tok for tokens in token_lists for tok in tokens}
return sum(tok in known for tok in types) / len(types) if types else 0.0
"""),
        Mistake("percentage", why="the docstring asks for a share in [0, 1]", code="""
total = sum(len(tokens) for tokens in token_lists)
covered = sum(tok in known for tokens in token_lists for tok in tokens)
return 100.0 * covered / total if total else 0.0
"""),
        Mistake("no guard for empty input", why="ZeroDivisionError when there are no tokens", code="""
all_tokens = [tok for tokens in token_lists for tok in tokens]
return sum(tok in known for tok in all_tokens) / len(all_tokens)
"""),
        Mistake("reads token_lists twice", why="a generator is empty the second time: 0 tokens, coverage 0.0", code="""
total = sum(len(tokens) for tokens in token_lists)
covered = sum(tok in known for tokens in token_lists for tok in tokens)
return covered / total if total else 0.0
"""),
        Mistake("numpy mean", why="np.mean returns numpy.float64, not a Python float", code="""
hits = [tok in known for tokens in token_lists for tok in tokens]
return np.mean(hits) if hits else 0.0
"""),
        Mistake("floor division", why="// gives 0 whenever a token is unknown", code="""
total = covered = 0
for tokens in token_lists:
    total += len(tokens)
    covered += sum(tok in known for tok in tokens)
return float(covered // total) if total else 0.0
"""),
        Mistake("divides by the size of known", why="the share of the vocabulary that was used, not of the text that is covered", code="""
covered = 0
for tokens in token_lists:
    covered += sum(tok in known for tok in tokens)
return covered / len(known) if len(known) else 0.0
"""),
        Mistake("a tensor mean", why="returns a 0-d tensor, not a Python float (and NaN for no tokens)", code="""
hits = [float(tok in known) for tokens in token_lists for tok in tokens]
return torch.tensor(hits).mean()
"""),
        Mistake("distinct tokens per sentence", why="a set per sentence counts a repeated word once", code="""
total = covered = 0
for tokens in token_lists:
    total += len(tokens)
    covered += len(set(tokens) & set(known))
return covered / total if total else 0.0
"""),
        Mistake("1.0 when there are no tokens", why="the docstring promises 0.0", code="""
total = covered = 0
for tokens in token_lists:
    total += len(tokens)
    covered += sum(tok in known for tok in tokens)
return covered / total if total else 1.0
"""),
        Mistake("rounded to two decimals", why="rounding changes the share (0.746 becomes 0.75)", code="""
total = covered = 0
for tokens in token_lists:
    total += len(tokens)
    covered += sum(tok in known for tok in tokens)
return round(covered / total, 2) if total else 0.0
"""),
    ],
}
