"""Plausible wrong answers for notebook 07 (from Keras to PyTorch, with subword tokens), one list per exercise.

Each ``code`` is what a student might type inside the solution region; at least one test cell
of the exercise must fail for every entry (checked by ``autograder.mistakes``).
"""

from autograder.mistakes import Mistake

_WP_HEAD = """
tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
"""

_PORTED_INIT = """
self.pad_id = pad_id
self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=pad_id)
self.lstm = nn.LSTM(embedding_dim, hidden_size, num_layers=num_layers, batch_first=True,
                    bidirectional=bidirectional)
self.fc = nn.Linear((2 if bidirectional else 1) * hidden_size, num_classes)
"""

_PACK = """
lengths = (ids != self.pad_id).sum(dim=1).cpu()
packed = pack_padded_sequence(self.embedding(ids), lengths, batch_first=True, enforce_sorted=False)
_, (h_n, _) = self.lstm(packed)
"""

_SUBMISSION_OPEN = """
path = Path(path)
with path.open("w", newline="") as f:
    writer = csv.writer(f)
"""

MISTAKES = {
    "train_wordpiece": [
        Mistake("no special tokens given to the trainer", why="[PAD] and [UNK] then have no ids (or random ones)", code=_WP_HEAD + """
trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, min_frequency=min_frequency, show_progress=False)
tokenizer.train_from_iterator(texts, trainer=trainer)
return tokenizer
"""),
        Mistake("special tokens in another order", why="RoBERTa-style order: the pad id is no longer 0", code=_WP_HEAD + """
trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, min_frequency=min_frequency,
                                    special_tokens=["[UNK]", "[PAD]", "[CLS]", "[SEP]", "[MASK]"], show_progress=False)
tokenizer.train_from_iterator(texts, trainer=trainer)
return tokenizer
"""),
        Mistake("no normalizer", why="'Great' and 'great' become different tokens", code="""
tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, min_frequency=min_frequency,
                                    special_tokens=SPECIAL_TOKENS, show_progress=False)
tokenizer.train_from_iterator(texts, trainer=trainer)
return tokenizer
"""),
        Mistake("Lowercase() instead of the BERT normalizer", why="accents are not stripped: 'écran' and 'ECRAN' differ", code="""
tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
tokenizer.normalizer = normalizers.Lowercase()
tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, min_frequency=min_frequency,
                                    special_tokens=SPECIAL_TOKENS, show_progress=False)
tokenizer.train_from_iterator(texts, trainer=trainer)
return tokenizer
"""),
        Mistake("splits on white space only", why="punctuation sticks to the words ('battery,')", code="""
tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, min_frequency=min_frequency,
                                    special_tokens=SPECIAL_TOKENS, show_progress=False)
tokenizer.train_from_iterator(texts, trainer=trainer)
return tokenizer
"""),
        Mistake("unk token of another tokenizer", why="'<unk>' is not in the vocabulary: unknown characters cannot be encoded", code="""
tokenizer = Tokenizer(models.WordPiece(unk_token="<unk>"))
tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, min_frequency=min_frequency,
                                    special_tokens=SPECIAL_TOKENS, show_progress=False)
tokenizer.train_from_iterator(texts, trainer=trainer)
return tokenizer
"""),
        Mistake("vocab_size ignored", why="the trainer's default is 30,000 entries", code=_WP_HEAD + """
trainer = trainers.WordPieceTrainer(min_frequency=min_frequency, special_tokens=SPECIAL_TOKENS, show_progress=False)
tokenizer.train_from_iterator(texts, trainer=trainer)
return tokenizer
"""),
        Mistake("min_frequency hard-coded", why="the argument is never used", code=_WP_HEAD + """
trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, min_frequency=2, special_tokens=SPECIAL_TOKENS,
                                    show_progress=False)
tokenizer.train_from_iterator(texts, trainer=trainer)
return tokenizer
"""),
        Mistake("lower-cases the caller's list in place", why="the caller's texts change", code=_WP_HEAD + """
for i in range(len(texts)):
    texts[i] = texts[i].lower()
trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, min_frequency=min_frequency,
                                    special_tokens=SPECIAL_TOKENS, show_progress=False)
tokenizer.train_from_iterator(texts, trainer=trainer)
return tokenizer
"""),
        Mistake("BPE instead of WordPiece", why="another model: its pieces and unknown handling differ", code="""
tokenizer = Tokenizer(models.BPE(unk_token="[UNK]"))
tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
trainer = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=min_frequency,
                              special_tokens=SPECIAL_TOKENS, show_progress=False)
tokenizer.train_from_iterator(texts, trainer=trainer)
return tokenizer
"""),
    ],
    "encode_batch": [
        Mistake("pad id 0 from memory", why="this tokenizer's [PAD] id is not 0", code="""
rows = [enc.ids[:max_len] for enc in tokenizer.encode_batch(texts)]
lengths = torch.tensor([len(r) for r in rows], dtype=torch.long)
width = max([len(r) for r in rows], default=0)
ids = torch.zeros((len(rows), width), dtype=torch.long)
for b, row in enumerate(rows):
    ids[b, : len(row)] = torch.tensor(row, dtype=torch.long)
return ids, torch.arange(width)[None, :] < lengths[:, None], lengths
"""),
        Mistake("pads in front, like Keras", why="packing keeps the first `length` positions: the pads", code="""
pad_id = tokenizer.token_to_id("[PAD]")
rows = [enc.ids[:max_len] for enc in tokenizer.encode_batch(texts)]
lengths = torch.tensor([len(r) for r in rows], dtype=torch.long)
width = max([len(r) for r in rows], default=0)
ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
mask = torch.zeros((len(rows), width), dtype=torch.bool)
for b, row in enumerate(rows):
    if row:
        ids[b, width - len(row):] = torch.tensor(row, dtype=torch.long)
        mask[b, width - len(row):] = True
return ids, mask, lengths
"""),
        Mistake("keeps the last max_len ids (Keras' truncating='pre')", why="the docstring asks for the first ones", code="""
pad_id = tokenizer.token_to_id("[PAD]")
rows = [enc.ids[-max_len:] for enc in tokenizer.encode_batch(texts)]
lengths = torch.tensor([len(r) for r in rows], dtype=torch.long)
width = max([len(r) for r in rows], default=0)
ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
for b, row in enumerate(rows):
    ids[b, : len(row)] = torch.tensor(row, dtype=torch.long)
return ids, torch.arange(width)[None, :] < lengths[:, None], lengths
"""),
        Mistake("lets the tokenizer pad and truncate", why="enable_padding/enable_truncation change the caller's tokenizer", code="""
pad_id = tokenizer.token_to_id("[PAD]")
tokenizer.enable_truncation(max_length=max_len)
tokenizer.enable_padding(pad_id=pad_id, pad_token="[PAD]")
encodings = tokenizer.encode_batch(texts)
ids = torch.tensor([e.ids for e in encodings], dtype=torch.long)
mask = torch.tensor([e.attention_mask for e in encodings], dtype=torch.bool)
return ids, mask, mask.sum(dim=1)
"""),
        Mistake("always pads to max_len", why="the batch should be as wide as its longest row", code="""
pad_id = tokenizer.token_to_id("[PAD]")
rows = [enc.ids[:max_len] for enc in tokenizer.encode_batch(texts)]
lengths = torch.tensor([len(r) for r in rows], dtype=torch.long)
ids = torch.full((len(rows), max_len), pad_id, dtype=torch.long)
for b, row in enumerate(rows):
    ids[b, : len(row)] = torch.tensor(row, dtype=torch.long)
return ids, torch.arange(max_len)[None, :] < lengths[:, None], lengths
"""),
        Mistake("mask marks the padding", why="True must mark real tokens", code="""
pad_id = tokenizer.token_to_id("[PAD]")
rows = [enc.ids[:max_len] for enc in tokenizer.encode_batch(texts)]
lengths = torch.tensor([len(r) for r in rows], dtype=torch.long)
width = max([len(r) for r in rows], default=0)
ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
for b, row in enumerate(rows):
    ids[b, : len(row)] = torch.tensor(row, dtype=torch.long)
return ids, ids == pad_id, lengths
"""),
        Mistake("lengths before cutting", why="a cut text has max_len tokens, not its full length", code="""
pad_id = tokenizer.token_to_id("[PAD]")
encodings = tokenizer.encode_batch(texts)
rows = [enc.ids[:max_len] for enc in encodings]
lengths = torch.tensor([len(enc.ids) for enc in encodings], dtype=torch.long)
width = max([len(r) for r in rows], default=0)
ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
for b, row in enumerate(rows):
    ids[b, : len(row)] = torch.tensor(row, dtype=torch.long)
return ids, ids != pad_id, lengths
"""),
        Mistake("an integer mask, Hugging Face style", why="the docstring promises a bool mask", code="""
pad_id = tokenizer.token_to_id("[PAD]")
rows = [enc.ids[:max_len] for enc in tokenizer.encode_batch(texts)]
lengths = torch.tensor([len(r) for r in rows], dtype=torch.long)
width = max([len(r) for r in rows], default=0)
ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
for b, row in enumerate(rows):
    ids[b, : len(row)] = torch.tensor(row, dtype=torch.long)
return ids, (torch.arange(width)[None, :] < lengths[:, None]).long(), lengths
"""),
        Mistake("lengths from ids != 0", why="counts the pads when the pad id is not 0", code="""
pad_id = tokenizer.token_to_id("[PAD]")
rows = [enc.ids[:max_len] for enc in tokenizer.encode_batch(texts)]
width = max([len(r) for r in rows], default=0)
ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
for b, row in enumerate(rows):
    ids[b, : len(row)] = torch.tensor(row, dtype=torch.long)
return ids, ids != pad_id, (ids != 0).sum(dim=1)
"""),
        Mistake("pad_sequence on torch.tensor(row)", why="an empty text gives a float tensor: the ids become float", code="""
pad_id = tokenizer.token_to_id("[PAD]")
rows = [torch.tensor(enc.ids[:max_len]) for enc in tokenizer.encode_batch(texts)]
ids = torch.nn.utils.rnn.pad_sequence(rows, batch_first=True, padding_value=pad_id)
lengths = torch.tensor([len(r) for r in rows])
return ids, torch.arange(ids.shape[1])[None, :] < lengths[:, None], lengths
"""),
    ],
    "unk_rate": [
        Mistake("mean of per-text rates", why="short texts weigh as much as long ones", code="""
rates = [sum(1 for i in ids if i == unk_id) / len(ids) for ids in id_lists if len(ids) > 0]
return sum(rates) / len(rates) if rates else 0.0
"""),
        Mistake("unk id 1 from memory", why="the argument is ignored", code="""
total = sum(len(ids) for ids in id_lists)
unknown = sum(1 for ids in id_lists for i in ids if i == 1)
return unknown / total if total else 0.0
"""),
        Mistake("divides by zero on an empty corpus", why="the docstring promises 0.0", code="""
total = sum(len(ids) for ids in id_lists)
unknown = sum(1 for ids in id_lists for i in ids if i == unk_id)
return unknown / total
"""),
        Mistake("a percentage", why="the docstring asks for a share between 0 and 1", code="""
total = sum(len(ids) for ids in id_lists)
unknown = sum(1 for ids in id_lists for i in ids if i == unk_id)
return 100.0 * unknown / total if total else 0.0
"""),
        Mistake("share of texts with an unknown token", why="counts texts, not tokens", code="""
if not id_lists:
    return 0.0
return sum(1 for ids in id_lists if unk_id in ids) / len(id_lists)
"""),
        Mistake("numpy mean", why="returns numpy.float64, not a Python float", code="""
flat = np.array([i for ids in id_lists for i in ids])
return np.mean(flat == unk_id) if flat.size else 0.0
"""),
        Mistake("a tensor", why="returns a 0-d tensor, not a Python float", code="""
flat = torch.tensor([i for ids in id_lists for i in ids], dtype=torch.long)
return (flat == unk_id).float().mean() if flat.numel() else 0.0
"""),
        Mistake("unknown ids per text", why="divides by the number of texts, not of tokens", code="""
unknown = sum(1 for ids in id_lists for i in ids if i == unk_id)
return unknown / len(id_lists) if id_lists else 0.0
"""),
        Mistake("flattens into the first list", why="+= extends the caller's first list", code="""
if not id_lists:
    return 0.0
flat = id_lists[0]
for ids in id_lists[1:]:
    flat += ids
return flat.count(unk_id) / len(flat) if flat else 0.0
"""),
        Mistake("integer division", why="// rounds the share down to 0", code="""
total = sum(len(ids) for ids in id_lists)
unknown = sum(1 for ids in id_lists for i in ids if i == unk_id)
return float(unknown // total) if total else 0.0
"""),
    ],
    "pre_to_post": [
        Mistake("flips each row", why="moves the pads to the end but reverses the text", code="""
real = ids != pad_id
return torch.flip(ids, dims=[1]), real.sum(dim=1).cpu()
"""),
        Mistake("lengths from ids != 0", why="0 is a real token when the pad id is another one", code="""
real = ids != pad_id
order = torch.sort(real.to(torch.int8), dim=1, descending=True, stable=True).indices
return torch.gather(ids, 1, order), (ids != 0).sum(dim=1).cpu()
"""),
        Mistake("unstable sort", why="torch.sort without stable=True may reorder the tokens", code="""
real = ids != pad_id
order = torch.sort(real.to(torch.int8), dim=1, descending=True).indices
return torch.gather(ids, 1, order), real.sum(dim=1).cpu()
"""),
        Mistake("sorts the ids themselves", why="sorting by value scrambles the text", code="""
real = ids != pad_id
post = torch.where(real, ids, torch.full_like(ids, -1)).sort(dim=1, descending=True).values
post[post == -1] = pad_id
return post, real.sum(dim=1).cpu()
"""),
        Mistake("rewrites the caller's rows", why="the input batch changes", code="""
lengths = (ids != pad_id).sum(dim=1)
for b in range(ids.shape[0]):
    n = int(lengths[b])
    tokens = ids[b, ids.shape[1] - n:].clone()
    ids[b] = pad_id
    ids[b, :n] = tokens
return ids, lengths.cpu()
"""),
        Mistake("int32 lengths", why="the docstring promises int64", code="""
real = ids != pad_id
order = torch.sort(real.to(torch.int8), dim=1, descending=True, stable=True).indices
return torch.gather(ids, 1, order), real.sum(dim=1).int().cpu()
"""),
        Mistake("returns (lengths, post_ids)", why="the order of the tuple is swapped", code="""
real = ids != pad_id
order = torch.sort(real.to(torch.int8), dim=1, descending=True, stable=True).indices
return real.sum(dim=1).cpu(), torch.gather(ids, 1, order)
"""),
        Mistake("every row as long as the batch", why="lengths must count the real tokens", code="""
real = ids != pad_id
order = torch.sort(real.to(torch.int8), dim=1, descending=True, stable=True).indices
return torch.gather(ids, 1, order), torch.full((ids.shape[0],), ids.shape[1], dtype=torch.long)
"""),
        Mistake("pads the new rows with 0", why="the pad id is an argument", code="""
lengths = (ids != pad_id).sum(dim=1)
post = torch.zeros_like(ids)
for b in range(ids.shape[0]):
    n = int(lengths[b])
    if n:
        post[b, :n] = ids[b, ids.shape[1] - n:]
return post, lengths.cpu()
"""),
    ],
    "ported_lstm": [
        Mistake("reads output[:, -1]", why="the state after the padding", code={0: _PORTED_INIT, 1: """
output, _ = self.lstm(self.embedding(ids))
return self.fc(output[:, -1])
"""}),
        Mistake("keeps Keras' softmax layer", why="CrossEntropyLoss wants logits", code={0: _PORTED_INIT, 1: _PACK + """
final = torch.cat([h_n[-2], h_n[-1]], dim=1) if self.lstm.bidirectional else h_n[-1]
return torch.softmax(self.fc(final), dim=1)
"""}),
        Mistake("padding_idx=0 from memory", why="the tokenizer's pad id is an argument", code={0: """
self.pad_id = pad_id
self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)
self.lstm = nn.LSTM(embedding_dim, hidden_size, num_layers=num_layers, batch_first=True,
                    bidirectional=bidirectional)
self.fc = nn.Linear((2 if bidirectional else 1) * hidden_size, num_classes)
"""}),
        Mistake("lengths from embedding values", why="(x.abs().sum(2) != 0) counts a pad row that is not zero", code={1: """
x = self.embedding(ids)
lengths = (x.abs().sum(2) != 0).sum(dim=1).cpu()
_, (h_n, _) = self.lstm(pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False))
final = torch.cat([h_n[-2], h_n[-1]], dim=1) if self.lstm.bidirectional else h_n[-1]
return self.fc(final)
"""}),
        Mistake("lengths from ids != 0", why="counts the pads when the pad id is not 0", code={1: """
lengths = (ids != 0).sum(dim=1).cpu()
packed = pack_padded_sequence(self.embedding(ids), lengths, batch_first=True, enforce_sorted=False)
_, (h_n, _) = self.lstm(packed)
final = torch.cat([h_n[-2], h_n[-1]], dim=1) if self.lstm.bidirectional else h_n[-1]
return self.fc(final)
"""}),
        Mistake("one direction only", why="h_n[-1] is the backward direction alone", code={0: """
self.pad_id = pad_id
self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=pad_id)
self.lstm = nn.LSTM(embedding_dim, hidden_size, num_layers=num_layers, batch_first=True,
                    bidirectional=bidirectional)
self.fc = nn.Linear(hidden_size, num_classes)
""", 1: _PACK + """
return self.fc(h_n[-1])
"""}),
        Mistake("h_n[0]: the first layer", why="with several layers the classifier reads the last one", code={1: _PACK + """
final = torch.cat([h_n[0], h_n[1]], dim=1) if self.lstm.bidirectional else h_n[0]
return self.fc(final)
"""}),
        Mistake("backward direction first", why="the forward direction comes first, as in output", code={1: _PACK + """
final = torch.cat([h_n[-1], h_n[-2]], dim=1) if self.lstm.bidirectional else h_n[-1]
return self.fc(final)
"""}),
        Mistake("enforce_sorted left at its default", why="unsorted lengths raise", code={1: """
lengths = (ids != self.pad_id).sum(dim=1).cpu()
_, (h_n, _) = self.lstm(pack_padded_sequence(self.embedding(ids), lengths, batch_first=True))
final = torch.cat([h_n[-2], h_n[-1]], dim=1) if self.lstm.bidirectional else h_n[-1]
return self.fc(final)
"""}),
        Mistake("num_layers ignored", why="always one layer", code={0: """
self.pad_id = pad_id
self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=pad_id)
self.lstm = nn.LSTM(embedding_dim, hidden_size, batch_first=True, bidirectional=bidirectional)
self.fc = nn.Linear((2 if bidirectional else 1) * hidden_size, num_classes)
"""}),
        Mistake("no packing: h_n of the padded run", why="h_n is then the state after the padding", code={1: """
_, (h_n, _) = self.lstm(self.embedding(ids))
final = torch.cat([h_n[-2], h_n[-1]], dim=1) if self.lstm.bidirectional else h_n[-1]
return self.fc(final)
"""}),
    ],
    "load_keras_weights": [
        Mistake("reshape instead of transpose", why="the shape fits, the numbers are scrambled", code="""
with torch.no_grad():
    model.embedding.weight.copy_(torch.tensor(weights["embedding"]))
    model.lstm.weight_ih_l0.copy_(torch.tensor(weights["lstm_kernel"]).reshape(model.lstm.weight_ih_l0.shape))
    model.lstm.weight_hh_l0.copy_(torch.tensor(weights["lstm_recurrent_kernel"]).reshape(model.lstm.weight_hh_l0.shape))
    model.lstm.bias_ih_l0.copy_(torch.tensor(weights["lstm_bias"]))
    model.lstm.bias_hh_l0.zero_()
    model.fc.weight.copy_(torch.tensor(weights["dense_kernel"]).T)
    model.fc.bias.copy_(torch.tensor(weights["dense_bias"]))
"""),
        Mistake("Keras' bias in both PyTorch biases", why="PyTorch adds them: the bias counts twice", code="""
with torch.no_grad():
    model.embedding.weight.copy_(torch.tensor(weights["embedding"]))
    model.lstm.weight_ih_l0.copy_(torch.tensor(weights["lstm_kernel"]).T)
    model.lstm.weight_hh_l0.copy_(torch.tensor(weights["lstm_recurrent_kernel"]).T)
    model.lstm.bias_ih_l0.copy_(torch.tensor(weights["lstm_bias"]))
    model.lstm.bias_hh_l0.copy_(torch.tensor(weights["lstm_bias"]))
    model.fc.weight.copy_(torch.tensor(weights["dense_kernel"]).T)
    model.fc.bias.copy_(torch.tensor(weights["dense_bias"]))
"""),
        Mistake("bias_hh left at its random start", why="PyTorch adds it to Keras' bias", code="""
with torch.no_grad():
    model.embedding.weight.copy_(torch.tensor(weights["embedding"]))
    model.lstm.weight_ih_l0.copy_(torch.tensor(weights["lstm_kernel"]).T)
    model.lstm.weight_hh_l0.copy_(torch.tensor(weights["lstm_recurrent_kernel"]).T)
    model.lstm.bias_ih_l0.copy_(torch.tensor(weights["lstm_bias"]))
    model.fc.weight.copy_(torch.tensor(weights["dense_kernel"]).T)
    model.fc.bias.copy_(torch.tensor(weights["dense_bias"]))
"""),
        Mistake("shares memory with the arrays", why="torch.from_numpy: training the model changes the caller's weights", code="""
model.embedding.weight.data = torch.from_numpy(weights["embedding"])
model.lstm.weight_ih_l0.data = torch.from_numpy(weights["lstm_kernel"]).T
model.lstm.weight_hh_l0.data = torch.from_numpy(weights["lstm_recurrent_kernel"]).T
model.lstm.bias_ih_l0.data = torch.from_numpy(weights["lstm_bias"])
model.lstm.bias_hh_l0.data = torch.zeros_like(model.lstm.bias_hh_l0)
model.fc.weight.data = torch.from_numpy(weights["dense_kernel"]).T
model.fc.bias.data = torch.from_numpy(weights["dense_bias"])
"""),
        Mistake("new Parameter objects", why="an optimizer built earlier keeps updating the old ones", code="""
model.embedding.weight = nn.Parameter(torch.tensor(weights["embedding"]))
model.lstm.weight_ih_l0 = nn.Parameter(torch.tensor(weights["lstm_kernel"].T))
model.lstm.weight_hh_l0 = nn.Parameter(torch.tensor(weights["lstm_recurrent_kernel"].T))
model.lstm.bias_ih_l0 = nn.Parameter(torch.tensor(weights["lstm_bias"]))
model.lstm.bias_hh_l0 = nn.Parameter(torch.zeros(weights["lstm_bias"].shape))
model.fc.weight = nn.Parameter(torch.tensor(weights["dense_kernel"].T))
model.fc.bias = nn.Parameter(torch.tensor(weights["dense_bias"]))
"""),
        Mistake("gates reordered as i, f, o, c", why="Keras and PyTorch both stack i, f, candidate, o", code="""
def gates(a):
    i, f, c, o = np.split(a, 4, axis=-1)
    return np.concatenate([i, f, o, c], axis=-1)

with torch.no_grad():
    model.embedding.weight.copy_(torch.tensor(weights["embedding"]))
    model.lstm.weight_ih_l0.copy_(torch.tensor(gates(weights["lstm_kernel"])).T)
    model.lstm.weight_hh_l0.copy_(torch.tensor(gates(weights["lstm_recurrent_kernel"])).T)
    model.lstm.bias_ih_l0.copy_(torch.tensor(gates(weights["lstm_bias"])))
    model.lstm.bias_hh_l0.zero_()
    model.fc.weight.copy_(torch.tensor(weights["dense_kernel"]).T)
    model.fc.bias.copy_(torch.tensor(weights["dense_bias"]))
"""),
        Mistake("recurrent kernel not transposed", why="[H, 4H] reshaped to [4H, H] is not its transpose", code="""
with torch.no_grad():
    model.embedding.weight.copy_(torch.tensor(weights["embedding"]))
    model.lstm.weight_ih_l0.copy_(torch.tensor(weights["lstm_kernel"]).T)
    model.lstm.weight_hh_l0.copy_(torch.tensor(weights["lstm_recurrent_kernel"]).view(-1, weights["lstm_recurrent_kernel"].shape[0]))
    model.lstm.bias_ih_l0.copy_(torch.tensor(weights["lstm_bias"]))
    model.lstm.bias_hh_l0.zero_()
    model.fc.weight.copy_(torch.tensor(weights["dense_kernel"]).T)
    model.fc.bias.copy_(torch.tensor(weights["dense_bias"]))
"""),
        Mistake("dense kernel not transposed", why="Dense's kernel is [units, classes]", code="""
with torch.no_grad():
    model.embedding.weight.copy_(torch.tensor(weights["embedding"]))
    model.lstm.weight_ih_l0.copy_(torch.tensor(weights["lstm_kernel"]).T)
    model.lstm.weight_hh_l0.copy_(torch.tensor(weights["lstm_recurrent_kernel"]).T)
    model.lstm.bias_ih_l0.copy_(torch.tensor(weights["lstm_bias"]))
    model.lstm.bias_hh_l0.zero_()
    model.fc.weight.copy_(torch.tensor(weights["dense_kernel"]).reshape(model.fc.weight.shape))
    model.fc.bias.copy_(torch.tensor(weights["dense_bias"]))
"""),
        Mistake("dense bias forgotten", why="the model keeps its random output bias", code="""
with torch.no_grad():
    model.embedding.weight.copy_(torch.tensor(weights["embedding"]))
    model.lstm.weight_ih_l0.copy_(torch.tensor(weights["lstm_kernel"]).T)
    model.lstm.weight_hh_l0.copy_(torch.tensor(weights["lstm_recurrent_kernel"]).T)
    model.lstm.bias_ih_l0.copy_(torch.tensor(weights["lstm_bias"]))
    model.lstm.bias_hh_l0.zero_()
    model.fc.weight.copy_(torch.tensor(weights["dense_kernel"]).T)
"""),
        Mistake("embedding forgotten", why="the model keeps its random embedding", code="""
with torch.no_grad():
    model.lstm.weight_ih_l0.copy_(torch.tensor(weights["lstm_kernel"]).T)
    model.lstm.weight_hh_l0.copy_(torch.tensor(weights["lstm_recurrent_kernel"]).T)
    model.lstm.bias_ih_l0.copy_(torch.tensor(weights["lstm_bias"]))
    model.lstm.bias_hh_l0.zero_()
    model.fc.weight.copy_(torch.tensor(weights["dense_kernel"]).T)
    model.fc.bias.copy_(torch.tensor(weights["dense_bias"]))
"""),
    ],
    "keras_like_training": [
        Mistake("PyTorch's default eps", why="1e-8, not Keras' 1e-7", code="""
return torch.optim.Adam(model.parameters(), lr=lr), nn.CrossEntropyLoss()
"""),
        Mistake("lr ignored", why="always 1e-3", code="""
return torch.optim.Adam(model.parameters(), eps=1e-7), nn.CrossEntropyLoss()
"""),
        Mistake("SGD", why="Keras' model was compiled with Adam", code="""
return torch.optim.SGD(model.parameters(), lr=lr), nn.CrossEntropyLoss()
"""),
        Mistake("NLLLoss on logits", why="NLLLoss expects log-probabilities", code="""
return torch.optim.Adam(model.parameters(), lr=lr, eps=1e-7), nn.NLLLoss()
"""),
        Mistake("sum over the batch", why="Keras averages over the batch", code="""
return torch.optim.Adam(model.parameters(), lr=lr, eps=1e-7), nn.CrossEntropyLoss(reduction="sum")
"""),
        Mistake("eps given as weight decay", why="weight_decay=1e-7 is not epsilon", code="""
return torch.optim.Adam(model.parameters(), lr=lr, weight_decay=1e-7), nn.CrossEntropyLoss()
"""),
        Mistake("amsgrad switched on", why="Keras' default is amsgrad=False", code="""
return torch.optim.Adam(model.parameters(), lr=lr, eps=1e-7, amsgrad=True), nn.CrossEntropyLoss()
"""),
        Mistake("beta_2 of 0.99", why="Keras' beta_2 is 0.999", code="""
return torch.optim.Adam(model.parameters(), lr=lr, betas=(0.9, 0.99), eps=1e-7), nn.CrossEntropyLoss()
"""),
        Mistake("only the last layer's parameters", why="the optimizer must update every parameter", code="""
last = list(model.children())[-1]
return torch.optim.Adam(last.parameters(), lr=lr, eps=1e-7), nn.CrossEntropyLoss()
"""),
        Mistake("returns a list", why="the docstring promises a tuple", code="""
return [torch.optim.Adam(model.parameters(), lr=lr, eps=1e-7), nn.CrossEntropyLoss()]
"""),
        Mistake("label smoothing", why="Keras' sparse cross-entropy has none", code="""
return torch.optim.Adam(model.parameters(), lr=lr, eps=1e-7), nn.CrossEntropyLoss(label_smoothing=0.1)
"""),
    ],
    "write_submission": [
        Mistake("pandas index column", why="to_csv writes the index unless index=False", code="""
pd.DataFrame({"id": [str(i) for i in ids], "label": [class_names[int(k)] for k in label_indices]}).to_csv(path)
return Path(path)
"""),
        Mistake("no header", why="the file must start with id,label", code=_SUBMISSION_OPEN + """
    for row_id, index in zip(ids, label_indices):
        writer.writerow([str(row_id), class_names[int(index)]])
return path
"""),
        Mistake("class numbers instead of names", why="the competition wants names", code=_SUBMISSION_OPEN + """
    writer.writerow(["id", "label"])
    for row_id, index in zip(ids, label_indices):
        writer.writerow([str(row_id), int(index)])
return path
"""),
        Mistake("the BBC News header", why="ArticleId,Category is another competition's", code=_SUBMISSION_OPEN + """
    writer.writerow(["ArticleId", "Category"])
    for row_id, index in zip(ids, label_indices):
        writer.writerow([str(row_id), class_names[int(index)]])
return path
"""),
        Mistake("rows sorted by id", why="the rows must keep the input order", code=_SUBMISSION_OPEN + """
    writer.writerow(["id", "label"])
    for row_id, index in sorted(zip(ids, label_indices), key=lambda pair: str(pair[0])):
        writer.writerow([str(row_id), class_names[int(index)]])
return path
"""),
        Mistake("appends instead of overwriting", why="a second run adds its rows to the old file", code="""
path = Path(path)
with path.open("a", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(["id", "label"])
    for row_id, index in zip(ids, label_indices):
        writer.writerow([str(row_id), class_names[int(index)]])
return path
"""),
        Mistake("joins with commas by hand", why="an id holding a comma is split in two", code="""
lines = ["id,label"] + [f"{row_id},{class_names[int(index)]}" for row_id, index in zip(ids, label_indices)]
Path(path).write_text("\\n".join(lines) + "\\n")
return Path(path)
"""),
        Mistake("ids converted to numbers", why="'00123' becomes 123 and 'r7' fails", code=_SUBMISSION_OPEN + """
    writer.writerow(["id", "label"])
    for row_id, index in zip(ids, label_indices):
        writer.writerow([int(row_id), class_names[int(index)]])
return path
"""),
        Mistake("class index off by one", why="class_names[index - 1] shifts every label", code=_SUBMISSION_OPEN + """
    writer.writerow(["id", "label"])
    for row_id, index in zip(ids, label_indices):
        writer.writerow([str(row_id), class_names[int(index) - 1]])
return path
"""),
        Mistake("returns nothing", why="the docstring promises the Path", code=_SUBMISSION_OPEN + """
    writer.writerow(["id", "label"])
    for row_id, index in zip(ids, label_indices):
        writer.writerow([str(row_id), class_names[int(index)]])
"""),
        Mistake("sorts the caller's lists together", why="ids.sort() changes the caller's list and mislabels rows", code=_SUBMISSION_OPEN + """
    writer.writerow(["id", "label"])
    ids.sort(key=str)
    for row_id, index in zip(ids, label_indices):
        writer.writerow([str(row_id), class_names[int(index)]])
return path
"""),
    ],
}
