"""Plausible wrong answers for notebook 06 (LSTMs, packed sequences and the GPU), one list per exercise.

Each ``code`` is what a student might type inside the solution region; at least one test cell
of the exercise must fail for every entry (checked by ``autograder.mistakes``). The first entry
of each list is also caught by the exercise's hidden test cell.
"""

from autograder.mistakes import Mistake

MISTAKES = {
    "lstm_shapes": [
        Mistake("h_n follows batch_first", why="h_n is [layers * dirs, batch, hidden] whatever batch_first says", code="""
directions = 2 if bidirectional else 1
if batch_first:
    return {"input": (batch, seq_len, input_size), "output": (batch, seq_len, directions * hidden_size),
            "h_n": (batch, num_layers * directions, hidden_size), "c_n": (batch, num_layers * directions, hidden_size)}
state = (num_layers * directions, batch, hidden_size)
return {"input": (seq_len, batch, input_size), "output": (seq_len, batch, directions * hidden_size),
        "h_n": state, "c_n": state}
"""),
        Mistake("output not doubled for a BiLSTM", why="output concatenates both directions", code="""
directions = 2 if bidirectional else 1
state = (num_layers * directions, batch, hidden_size)
if batch_first:
    return {"input": (batch, seq_len, input_size), "output": (batch, seq_len, hidden_size), "h_n": state, "c_n": state}
return {"input": (seq_len, batch, input_size), "output": (seq_len, batch, hidden_size), "h_n": state, "c_n": state}
"""),
        Mistake("h_n counts layers only", why="each direction of each layer has its own final state", code="""
directions = 2 if bidirectional else 1
state = (num_layers, batch, hidden_size)
if batch_first:
    return {"input": (batch, seq_len, input_size), "output": (batch, seq_len, directions * hidden_size),
            "h_n": state, "c_n": state}
return {"input": (seq_len, batch, input_size), "output": (seq_len, batch, directions * hidden_size),
        "h_n": state, "c_n": state}
"""),
        Mistake("assumes batch-first everywhere", why="the default layout is [seq_len, batch, features]", code="""
directions = 2 if bidirectional else 1
state = (num_layers * directions, batch, hidden_size)
return {"input": (batch, seq_len, input_size), "output": (batch, seq_len, directions * hidden_size),
        "h_n": state, "c_n": state}
"""),
        Mistake("output stacks every layer", why="output holds the LAST layer only", code="""
directions = 2 if bidirectional else 1
state = (num_layers * directions, batch, hidden_size)
width = num_layers * directions * hidden_size
if batch_first:
    return {"input": (batch, seq_len, input_size), "output": (batch, seq_len, width), "h_n": state, "c_n": state}
return {"input": (seq_len, batch, input_size), "output": (seq_len, batch, width), "h_n": state, "c_n": state}
"""),
        Mistake("lists instead of tuples", why="the docstring promises tuples of ints; torch.Size and tuples compare equal to tuples only", code="""
directions = 2 if bidirectional else 1
state = [num_layers * directions, batch, hidden_size]
if batch_first:
    return {"input": [batch, seq_len, input_size], "output": [batch, seq_len, directions * hidden_size], "h_n": state, "c_n": state}
return {"input": [seq_len, batch, input_size], "output": [seq_len, batch, directions * hidden_size], "h_n": state, "c_n": state}
"""),
        Mistake("h_n counts directions only", why="every layer has its own final state", code="""
directions = 2 if bidirectional else 1
state = (directions, batch, hidden_size)
if batch_first:
    return {"input": (batch, seq_len, input_size), "output": (batch, seq_len, directions * hidden_size),
            "h_n": state, "c_n": state}
return {"input": (seq_len, batch, input_size), "output": (seq_len, batch, directions * hidden_size),
        "h_n": state, "c_n": state}
"""),
        Mistake("input ignores batch_first", why="batch_first changes the input layout as well as output's", code="""
directions = 2 if bidirectional else 1
state = (num_layers * directions, batch, hidden_size)
out = (batch, seq_len, directions * hidden_size) if batch_first else (seq_len, batch, directions * hidden_size)
return {"input": (seq_len, batch, input_size), "output": out, "h_n": state, "c_n": state}
"""),
        Mistake("output sized by input_size", why="output holds hidden states: hidden_size features per direction", code="""
directions = 2 if bidirectional else 1
state = (num_layers * directions, batch, hidden_size)
if batch_first:
    return {"input": (batch, seq_len, input_size), "output": (batch, seq_len, directions * input_size),
            "h_n": state, "c_n": state}
return {"input": (seq_len, batch, input_size), "output": (seq_len, batch, directions * input_size),
        "h_n": state, "c_n": state}
"""),
        Mistake("directions doubled in h_n's hidden dim", why="h_n stacks directions along dim 0; only output concatenates them", code="""
directions = 2 if bidirectional else 1
state = (num_layers, batch, directions * hidden_size)
if batch_first:
    return {"input": (batch, seq_len, input_size), "output": (batch, seq_len, directions * hidden_size),
            "h_n": state, "c_n": state}
return {"input": (seq_len, batch, input_size), "output": (seq_len, batch, directions * hidden_size),
        "h_n": state, "c_n": state}
"""),
    ],
    "step_by_step": [
        Mistake("state not carried between calls", why="every step restarts from zeros", code="""
outputs = []
for t in range(x.shape[1]):
    out, state = lstm(x[:, t : t + 1])
    outputs.append(out)
return torch.cat(outputs, dim=1), state
"""),
        Mistake("x[:, t] drops the time dim", why="a 2-D input is read as one unbatched sequence", code="""
state = None
outputs = []
for t in range(x.shape[1]):
    out, state = lstm(x[:, t], state)
    outputs.append(out)
return torch.stack(outputs, dim=1), state
"""),
        Mistake("stack instead of cat", why="adds a dimension: [batch, seq_len, 1, hidden]", code="""
state = None
outputs = []
for t in range(x.shape[1]):
    out, state = lstm(x[:, t : t + 1], state)
    outputs.append(out)
return torch.stack(outputs, dim=1), state
"""),
        Mistake("returns (h, h)", why="the cell state is not the hidden state", code="""
state = None
outputs = []
for t in range(x.shape[1]):
    out, state = lstm(x[:, t : t + 1], state)
    outputs.append(out)
return torch.cat(outputs, dim=1), (state[0], state[0])
"""),
        Mistake("one call on the whole sequence", why="the exercise is to step; this does not show anything", code="""
return lstm(x)
"""),
        Mistake("concatenates along the batch dim", why="gives [seq_len * batch, 1, hidden]", code="""
state = None
outputs = []
for t in range(x.shape[1]):
    out, state = lstm(x[:, t : t + 1], state)
    outputs.append(out)
return torch.cat(outputs, dim=0), state
"""),
        Mistake("detaches the state between steps", why="truncated backprop: no gradient flows to earlier steps", code="""
state = None
outputs = []
for t in range(x.shape[1]):
    out, state = lstm(x[:, t : t + 1], state)
    state = (state[0].detach(), state[1].detach())
    outputs.append(out)
return torch.cat(outputs, dim=1), state
"""),
        Mistake("zero state made on the CPU", why="torch.zeros without device=: wrong when x is on a GPU", code="""
h = torch.zeros(1, x.shape[0], lstm.hidden_size)
c = torch.zeros(1, x.shape[0], lstm.hidden_size)
state = (h, c)
outputs = []
for t in range(x.shape[1]):
    out, state = lstm(x[:, t : t + 1], state)
    outputs.append(out)
return torch.cat(outputs, dim=1), state
"""),
        Mistake("loops over the batch dim", why="x is batch_first: time is dim 1, x.shape[0] is the batch", code="""
state = None
outputs = []
for t in range(x.shape[0]):
    out, state = lstm(x[:, t : t + 1], state)
    outputs.append(out)
return torch.cat(outputs, dim=1), state
"""),
        Mistake("returns only the last step's output", why="output must hold every step, [batch, seq_len, hidden]", code="""
state = None
for t in range(x.shape[1]):
    out, state = lstm(x[:, t : t + 1], state)
return out, state
"""),
        Mistake("random initial state", why="lstm(x) starts from zeros", code="""
state = (torch.randn(1, x.shape[0], lstm.hidden_size), torch.randn(1, x.shape[0], lstm.hidden_size))
outputs = []
for t in range(x.shape[1]):
    out, state = lstm(x[:, t : t + 1], state)
    outputs.append(out)
return torch.cat(outputs, dim=1), state
"""),
    ],
    "naive_classifier": [
        Mistake("reads the first step", why="output[:, 0] is the state after one token", code={1: """
output, _ = self.lstm(self.embedding(ids))
return self.fc(output[:, 0])
"""}),
        Mistake("LSTM without batch_first", why="[batch, seq_len] read as [seq_len, batch]: mixes posts", code={0: """
self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=pad_idx)
self.lstm = nn.LSTM(embedding_dim, hidden_size)
self.fc = nn.Linear(hidden_size, num_classes)
"""}),
        Mistake("no padding_idx", why="the pad row is learned like a word", code={0: """
self.embedding = nn.Embedding(vocab_size, embedding_dim)
self.lstm = nn.LSTM(embedding_dim, hidden_size, batch_first=True)
self.fc = nn.Linear(hidden_size, num_classes)
"""}),
        Mistake("mean over all steps", why="a different model (and it averages padding)", code={1: """
output, _ = self.lstm(self.embedding(ids))
return self.fc(output.mean(dim=1))
"""}),
        Mistake("softmax on the logits", why="CrossEntropyLoss wants raw logits", code={1: """
output, _ = self.lstm(self.embedding(ids))
return torch.softmax(self.fc(output[:, -1]), dim=1)
"""}),
        Mistake("indexes the batch dim", why="output[-1] is the last post, [seq_len, hidden]", code={1: """
output, _ = self.lstm(self.embedding(ids))
return self.fc(output[-1])
"""}),
        Mistake("LSTM run under torch.no_grad()", why="no gradient reaches the embedding or the LSTM: only fc learns", code={1: """
with torch.no_grad():
    output, _ = self.lstm(self.embedding(ids))
return self.fc(output[:, -1])
"""}),
        Mistake("padding_idx hard-coded to 0", why="pad_idx is an argument: another vocabulary pads with another id", code={0: """
self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)
self.lstm = nn.LSTM(embedding_dim, hidden_size, batch_first=True)
self.fc = nn.Linear(hidden_size, num_classes)
"""}),
        Mistake("reads the last real step", why="the fix belongs to section 4: this model must read output[:, -1]", code={1: """
output, _ = self.lstm(self.embedding(ids))
return self.fc(output[torch.arange(ids.shape[0]), lengths - 1])
"""}),
        Mistake("embeddings detached", why="no gradient reaches the embedding: it never learns", code={1: """
output, _ = self.lstm(self.embedding(ids).detach())
return self.fc(output[:, -1])
"""}),
        Mistake("returns class ids", why="forward returns logits; argmax belongs to prediction", code={1: """
output, _ = self.lstm(self.embedding(ids))
return self.fc(output[:, -1]).argmax(dim=1)
"""}),
    ],
    "packed_classifier": [
        Mistake("enforce_sorted left at True", why="the default needs lengths sorted in decreasing order", code="""
embedded = self.embedding(ids)
packed = pack_padded_sequence(embedded, lengths.cpu(), batch_first=True)
_, (h_n, _) = self.lstm(packed)
final = torch.cat([h_n[-2], h_n[-1]], dim=1) if self.lstm.bidirectional else h_n[-1]
return self.fc(self.dropout(final))
"""),
        Mistake("h_n[0]: the first layer", why="with two layers h_n[0] is layer 0, not the last layer", code="""
embedded = self.embedding(ids)
packed = pack_padded_sequence(embedded, lengths.cpu(), batch_first=True, enforce_sorted=False)
_, (h_n, _) = self.lstm(packed)
final = torch.cat([h_n[0], h_n[1]], dim=1) if self.lstm.bidirectional else h_n[0]
return self.fc(self.dropout(final))
"""),
        Mistake("one direction of a BiLSTM", why="h_n[-1] alone is the backward direction only", code="""
embedded = self.embedding(ids)
packed = pack_padded_sequence(embedded, lengths.cpu(), batch_first=True, enforce_sorted=False)
_, (h_n, _) = self.lstm(packed)
return self.fc(self.dropout(h_n[-1]))
"""),
        Mistake("backward direction first", why="the order must be forward, backward", code="""
embedded = self.embedding(ids)
packed = pack_padded_sequence(embedded, lengths.cpu(), batch_first=True, enforce_sorted=False)
_, (h_n, _) = self.lstm(packed)
final = torch.cat([h_n[-1], h_n[-2]], dim=1) if self.lstm.bidirectional else h_n[-1]
return self.fc(self.dropout(final))
"""),
        Mistake("output[:, -1] after unpacking", why="zeros (or the wrong step) for every shorter row", code="""
embedded = self.embedding(ids)
packed = pack_padded_sequence(embedded, lengths.cpu(), batch_first=True, enforce_sorted=False)
output, _ = self.lstm(packed)
output, _ = pad_packed_sequence(output, batch_first=True)
return self.fc(self.dropout(output[:, -1]))
"""),
        Mistake("lengths moved to the model's device", why="pack_padded_sequence needs CPU lengths (fails on a GPU)", code="""
embedded = self.embedding(ids)
packed = pack_padded_sequence(embedded, lengths.to(embedded.device), batch_first=True, enforce_sorted=False)
_, (h_n, _) = self.lstm(packed)
final = torch.cat([h_n[-2], h_n[-1]], dim=1) if self.lstm.bidirectional else h_n[-1]
return self.fc(self.dropout(final))
"""),
        Mistake("no packing at all", why="h_n of a padded batch is the state after the padding", code="""
_, (h_n, _) = self.lstm(self.embedding(ids))
final = torch.cat([h_n[-2], h_n[-1]], dim=1) if self.lstm.bidirectional else h_n[-1]
return self.fc(self.dropout(final))
"""),
        Mistake("reshapes h_n instead of picking the last layer", why="[layers * dirs, B, H] viewed as [B, -1] mixes posts", code="""
embedded = self.embedding(ids)
packed = pack_padded_sequence(embedded, lengths.cpu(), batch_first=True, enforce_sorted=False)
_, (h_n, _) = self.lstm(packed)
directions = 2 if self.lstm.bidirectional else 1
final = h_n[-directions:].reshape(ids.shape[0], -1)
return self.fc(self.dropout(final))
"""),
        Mistake("no dropout", why="self.dropout is never applied: no regularisation in training", code="""
embedded = self.embedding(ids)
packed = pack_padded_sequence(embedded, lengths.cpu(), batch_first=True, enforce_sorted=False)
_, (h_n, _) = self.lstm(packed)
final = torch.cat([h_n[-2], h_n[-1]], dim=1) if self.lstm.bidirectional else h_n[-1]
return self.fc(final)
"""),
        Mistake("dropout on the logits", why="dropout belongs before fc, on the features", code="""
embedded = self.embedding(ids)
packed = pack_padded_sequence(embedded, lengths.cpu(), batch_first=True, enforce_sorted=False)
_, (h_n, _) = self.lstm(packed)
final = torch.cat([h_n[-2], h_n[-1]], dim=1) if self.lstm.bidirectional else h_n[-1]
return self.dropout(self.fc(final))
"""),
        Mistake("LSTM run under torch.no_grad()", why="no gradient reaches the embedding or the LSTM", code="""
embedded = self.embedding(ids)
packed = pack_padded_sequence(embedded, lengths.cpu(), batch_first=True, enforce_sorted=False)
with torch.no_grad():
    _, (h_n, _) = self.lstm(packed)
final = torch.cat([h_n[-2], h_n[-1]], dim=1) if self.lstm.bidirectional else h_n[-1]
return self.fc(self.dropout(final))
"""),
        Mistake("sorts the batch itself, order not restored", why="logits come back sorted by length, not in the input order", code="""
lengths, order = lengths.sort(descending=True)
embedded = self.embedding(ids[order])
packed = pack_padded_sequence(embedded, lengths.cpu(), batch_first=True)
_, (h_n, _) = self.lstm(packed)
final = torch.cat([h_n[-2], h_n[-1]], dim=1) if self.lstm.bidirectional else h_n[-1]
return self.fc(self.dropout(final))
"""),
        Mistake("functional dropout, always on", why="F.dropout defaults to training=True: it drops in eval mode too", code="""
embedded = self.embedding(ids)
packed = pack_padded_sequence(embedded, lengths.cpu(), batch_first=True, enforce_sorted=False)
_, (h_n, _) = self.lstm(packed)
final = torch.cat([h_n[-2], h_n[-1]], dim=1) if self.lstm.bidirectional else h_n[-1]
return self.fc(nn.functional.dropout(final, self.dropout.p))
"""),
    ],
    "last_valid_step": [
        Mistake("output[:, -1]", why="the last padded position, zeros after pad_packed_sequence", code="""
return output[:, -1]
"""),
        Mistake("off by one: position lengths", why="positions start at 0: the last real step is lengths - 1", code="""
rows = torch.arange(output.shape[0])
return output[rows, lengths.clamp(max=output.shape[1] - 1)]
"""),
        Mistake("gather with a [batch, 1, 1] index", why="gather keeps the index shape: [batch, 1, 1]", code="""
index = (lengths - 1).view(-1, 1, 1)
return output.gather(1, index)
"""),
        Mistake("the longest length for every row", why="each row ends at its own length", code="""
return output[:, int(lengths.max()) - 1]
"""),
        Mistake("indexes the batch dim with lengths", why="output[lengths - 1] picks rows, not steps", code="""
return output[lengths - 1][:, -1]
"""),
        Mistake("lengths -= 1 in place", why="changes the caller's lengths", code="""
lengths -= 1
return output[torch.arange(output.shape[0]), lengths]
"""),
        Mistake("rebuilt from .tolist()", why="a new tensor from Python values: no gradient flows back", code="""
return torch.tensor([output[b, n - 1].tolist() for b, n in enumerate(lengths.tolist())])
"""),
        Mistake("result filled into torch.zeros on the CPU", why="torch.zeros without device=: the result is on the CPU", code="""
result = torch.zeros(output.shape[0], output.shape[2], dtype=output.dtype)
for b in range(output.shape[0]):
    result[b] = output[b, lengths[b] - 1]
return result
"""),
        Mistake("output[:, lengths - 1]", why="indexes every row at every row's position: [batch, batch, hidden]", code="""
return output[:, lengths - 1]
"""),
        Mistake("one-hot mask built on the CPU", why="the mask stays on the CPU while output is on the GPU", code="""
mask = nn.functional.one_hot(lengths - 1, output.shape[1]).to(output.dtype)   # [batch, seq_len]
return (output * mask.unsqueeze(-1)).sum(dim=1)
"""),
    ],
    "empty_sequences": [
        Mistake("clamps lengths to 1", why="an empty row then reports the state after reading its first (pad) step", code="""
packed = pack_padded_sequence(x, lengths.clamp(min=1), batch_first=True, enforce_sorted=False)
_, (h_n, _) = lstm(packed)
return h_n[-1]
"""),
        Mistake("packs every row", why="pack_padded_sequence refuses length 0", code="""
packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
_, (h_n, _) = lstm(packed)
return h_n[-1]
"""),
        Mistake("drops the empty rows", why="the result must keep one row per input row", code="""
keep = lengths > 0
packed = pack_padded_sequence(x[keep], lengths[keep], batch_first=True, enforce_sorted=False)
_, (h_n, _) = lstm(packed)
return h_n[-1]
"""),
        Mistake("results written to the first rows", why="row order lost: empty rows are not at the end", code="""
final = x.new_zeros(x.shape[0], lstm.hidden_size)
keep = lengths > 0
if bool(keep.any()):
    packed = pack_padded_sequence(x[keep], lengths[keep], batch_first=True, enforce_sorted=False)
    _, (h_n, _) = lstm(packed)
    final[: int(keep.sum())] = h_n[-1]
return final
"""),
        Mistake("all-empty batch not handled", why="packing zero rows fails", code="""
final = x.new_zeros(x.shape[0], lstm.hidden_size)
keep = lengths > 0
packed = pack_padded_sequence(x[keep], lengths[keep], batch_first=True, enforce_sorted=False)
_, (h_n, _) = lstm(packed)
final[keep] = h_n[-1]
return final
"""),
        Mistake("enforce_sorted left at True", why="the rows are in any order", code="""
final = x.new_zeros(x.shape[0], lstm.hidden_size)
keep = lengths > 0
if bool(keep.any()):
    packed = pack_padded_sequence(x[keep], lengths[keep], batch_first=True)
    _, (h_n, _) = lstm(packed)
    final[keep] = h_n[-1]
return final
"""),
        Mistake("zeros made on the CPU", why="torch.zeros without device=: wrong when x is on a GPU", code="""
final = torch.zeros(x.shape[0], lstm.hidden_size)
keep = lengths > 0
if bool(keep.any()):
    rows = keep.nonzero().flatten()
    packed = pack_padded_sequence(x[rows], lengths[rows], batch_first=True, enforce_sorted=False)
    _, (h_n, _) = lstm(packed)
    final[rows] = h_n[-1]
return final
"""),
        Mistake("float64 zeros", why="the result must keep x's dtype (float32)", code="""
final = torch.zeros(x.shape[0], lstm.hidden_size, dtype=torch.float64, device=x.device)
keep = lengths > 0
if bool(keep.any()):
    rows = keep.nonzero().flatten()
    packed = pack_padded_sequence(x[rows], lengths[rows], batch_first=True, enforce_sorted=False)
    _, (h_n, _) = lstm(packed)
    final[rows] = h_n[-1]
return final
"""),
        Mistake("h_n detached", why="no gradient flows back to x or the LSTM", code="""
final = x.new_zeros(x.shape[0], lstm.hidden_size)
keep = lengths > 0
if bool(keep.any()):
    rows = keep.nonzero().flatten()
    packed = pack_padded_sequence(x[rows], lengths[rows], batch_first=True, enforce_sorted=False)
    _, (h_n, _) = lstm(packed)
    final[rows] = h_n[-1].detach()
return final
"""),
        Mistake("empty lengths set to 1 in place", why="changes the caller's lengths, and reads position 0 of empty rows", code="""
lengths[lengths == 0] = 1
packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
_, (h_n, _) = lstm(packed)
return h_n[-1] * (lengths > 0).unsqueeze(1)
"""),
        Mistake("h_n[0]: the first layer", why="with two layers h_n[0] is the first layer's state", code="""
final = x.new_zeros(x.shape[0], lstm.hidden_size)
keep = lengths > 0
if bool(keep.any()):
    rows = keep.nonzero().flatten()
    packed = pack_padded_sequence(x[rows], lengths[rows], batch_first=True, enforce_sorted=False)
    _, (h_n, _) = lstm(packed)
    final[rows] = h_n[0]
return final
"""),
    ],
    "token_loss": [
        Mistake("mean over every position", why="the padded positions count in the sum and in the mean", code="""
return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))
"""),
        Mistake("ignore_index hard-coded to 0", why="pad_idx is an argument: another vocabulary pads with another id", code="""
return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=0)
"""),
        Mistake("view on a non-contiguous tensor", why="view needs contiguous memory; unpacked or transposed logits are not", code="""
return nn.functional.cross_entropy(logits.view(-1, logits.shape[-1]), targets.view(-1), ignore_index=pad_idx)
"""),
        Mistake("[B, T, C] passed unflattened", why="a 3-d input is read as [batch, classes, seq_len]", code="""
return nn.functional.cross_entropy(logits, targets, ignore_index=pad_idx)
"""),
        Mistake("mean of the rows' means", why="short rows weigh as much as long ones, and an all-padding row gives NaN", code="""
per_token = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), reduction="none")
per_token = per_token.reshape(targets.shape)
mask = (targets != pad_idx).to(per_token.dtype)
return ((per_token * mask).sum(dim=1) / mask.sum(dim=1)).mean()
"""),
        Mistake("masked sum over every position", why="divides by batch * seq_len, not by the number of real tokens", code="""
per_token = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), reduction="none")
mask = (targets.reshape(-1) != pad_idx).to(per_token.dtype)
return (per_token * mask).mean()
"""),
        Mistake("sum instead of mean", why="the loss then grows with the batch and the lengths", code="""
return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=pad_idx,
                                   reduction="sum")
"""),
        Mistake("softmax before the loss", why="cross_entropy applies log_softmax itself: wants raw logits", code="""
probs = torch.softmax(logits, dim=-1)
return nn.functional.cross_entropy(probs.reshape(-1, probs.shape[-1]), targets.reshape(-1), ignore_index=pad_idx)
"""),
        Mistake("log of softmax, then NLL", why="softmax underflows to 0 for far-apart logits: log(0) = -inf", code="""
log_probs = torch.log(torch.softmax(logits, dim=-1))
return nn.functional.nll_loss(log_probs.reshape(-1, log_probs.shape[-1]), targets.reshape(-1), ignore_index=pad_idx)
"""),
        Mistake("returns loss.item()", why="a Python float has no gradient: nothing to backpropagate", code="""
return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1),
                                   ignore_index=pad_idx).item()
"""),
        Mistake("pads overwritten in the caller's targets", why="targets[...] = -100 changes the caller's tensor", code="""
targets[targets == pad_idx] = -100
return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))
"""),
        Mistake("targets flattened in another order", why="targets.t() flattens time-major while logits are batch-major", code="""
return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.t().reshape(-1), ignore_index=pad_idx)
"""),
        Mistake("mask built on the CPU from a list", why="a tensor made with torch.tensor(...) lives on the CPU", code="""
per_token = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), reduction="none")
mask = torch.tensor([float(t != pad_idx) for t in targets.reshape(-1).tolist()], dtype=per_token.dtype)
return (per_token * mask).sum() / mask.sum()
"""),
    ],
    "learned_init": [
        Mistake("state not expanded to the batch", why="nn.LSTM wants [layers, batch, hidden]", code={1: """
return self.lstm(x, (self.h0, self.c0))
"""}),
        Mistake("plain tensors, not parameters", why="a tensor attribute is neither registered nor learned", code={0: """
self.h0 = torch.zeros(num_layers, 1, hidden_size)
self.c0 = torch.zeros(num_layers, 1, hidden_size)
"""}),
        Mistake("fresh random state every call", why="random initial state: not learned, not reproducible", code={1: """
batch = x.shape[0]
h0 = torch.randn(self.lstm.num_layers, batch, self.lstm.hidden_size)
c0 = torch.randn(self.lstm.num_layers, batch, self.lstm.hidden_size)
return self.lstm(x, (h0, c0))
"""}),
        Mistake("parameters that do not require grad", why="requires_grad=False: never updated", code={0: """
self.h0 = nn.Parameter(torch.zeros(num_layers, 1, hidden_size), requires_grad=False)
self.c0 = nn.Parameter(torch.zeros(num_layers, 1, hidden_size), requires_grad=False)
"""}),
        Mistake("random initial values", why="an untrained model should start like the default zero state", code={0: """
self.h0 = nn.Parameter(torch.randn(num_layers, 1, hidden_size))
self.c0 = nn.Parameter(torch.randn(num_layers, 1, hidden_size))
"""}),
        Mistake("h0 used for both states", why="the cell state gets its own parameter", code={1: """
batch = x.shape[0]
h0 = self.h0.expand(-1, batch, -1).contiguous()
return self.lstm(x, (h0, h0))
"""}),
        Mistake("returns lists", why="nn.LSTM returns (output, (h_n, c_n)): tuples", code={1: """
batch = x.shape[0]
h0 = self.h0.expand(-1, batch, -1).contiguous()
c0 = self.c0.expand(-1, batch, -1).contiguous()
output, (h_n, c_n) = self.lstm(x, (h0, c0))
return [output, [h_n, c_n]]
"""}),
        Mistake("broadcast against CPU zeros", why="torch.zeros without device=: fails when the model is on a GPU", code={1: """
batch = x.shape[0]
h0 = self.h0 + torch.zeros(self.lstm.num_layers, batch, self.lstm.hidden_size)
c0 = self.c0 + torch.zeros(self.lstm.num_layers, batch, self.lstm.hidden_size)
return self.lstm(x, (h0, c0))
"""}),
        Mistake("registered as buffers", why="a buffer moves with the model but is not a parameter: never learned", code={0: """
self.register_buffer("h0", torch.zeros(num_layers, 1, hidden_size))
self.register_buffer("c0", torch.zeros(num_layers, 1, hidden_size))
"""}),
        Mistake("parameters detached before expanding", why="no gradient reaches h0 and c0", code={1: """
batch = x.shape[0]
h0 = self.h0.detach().expand(-1, batch, -1).contiguous()
c0 = self.c0.detach().expand(-1, batch, -1).contiguous()
return self.lstm(x, (h0, c0))
"""}),
        Mistake("batch size read from dim 1", why="x is batch_first: dim 1 is seq_len", code={1: """
batch = x.shape[1]
h0 = self.h0.expand(-1, batch, -1).contiguous()
c0 = self.c0.expand(-1, batch, -1).contiguous()
return self.lstm(x, (h0, c0))
"""}),
    ],
    "train_step": [
        Mistake("lengths moved to the device", why="pack_padded_sequence needs the lengths on the CPU", code="""
ids, lengths, labels = (t.to(device) for t in batch)
model.to(device)
model.train()
optimizer.zero_grad()
loss = loss_fn(model(ids, lengths), labels)
loss.backward()
optimizer.step()
return loss.item()
"""),
        Mistake("no zero_grad", why="gradients accumulate across steps", code="""
ids, lengths, labels = batch
model.to(device)
model.train()
loss = loss_fn(model(ids.to(device), lengths), labels.to(device))
loss.backward()
optimizer.step()
return loss.item()
"""),
        Mistake("returns the loss tensor", why="keeps the graph alive and is not a float", code="""
ids, lengths, labels = batch
model.to(device)
model.train()
optimizer.zero_grad()
loss = loss_fn(model(ids.to(device), lengths), labels.to(device))
loss.backward()
optimizer.step()
return loss
"""),
        Mistake("zero_grad between backward and step", why="clears the gradients before they are used", code="""
ids, lengths, labels = batch
model.to(device)
model.train()
loss = loss_fn(model(ids.to(device), lengths), labels.to(device))
loss.backward()
optimizer.zero_grad()
optimizer.step()
return loss.item()
"""),
        Mistake("labels left on the CPU", why="logits on the GPU vs labels on the CPU", code="""
ids, lengths, labels = batch
model.to(device)
model.train()
optimizer.zero_grad()
loss = loss_fn(model(ids.to(device), lengths), labels)
loss.backward()
optimizer.step()
return loss.item()
"""),
        Mistake("ids left on the CPU", why="the model on the GPU cannot read CPU ids", code="""
ids, lengths, labels = batch
model.to(device)
model.train()
optimizer.zero_grad()
loss = loss_fn(model(ids, lengths), labels.to(device))
loss.backward()
optimizer.step()
return loss.item()
"""),
        Mistake("forgets model.train()", why="an earlier evaluation left dropout off", code="""
ids, lengths, labels = batch
model.to(device)
optimizer.zero_grad()
loss = loss_fn(model(ids.to(device), lengths), labels.to(device))
loss.backward()
optimizer.step()
return loss.item()
"""),
        Mistake("never moves the model", why="model on the CPU, data on the GPU", code="""
ids, lengths, labels = batch
model.train()
optimizer.zero_grad()
loss = loss_fn(model(ids.to(device), lengths), labels.to(device))
loss.backward()
optimizer.step()
return loss.item()
"""),
        Mistake("every tensor of the batch moved", why="lengths must stay on the CPU for pack_padded_sequence", code="""
ids, lengths, labels = [t.to(device) for t in batch]
model.to(device)
model.train()
optimizer.zero_grad()
loss = loss_fn(model(ids, lengths), labels)
loss.backward()
optimizer.step()
return loss.item()
"""),
        Mistake("forward under torch.no_grad()", why="no graph: backward has nothing to differentiate", code="""
ids, lengths, labels = batch
model.to(device)
model.train()
optimizer.zero_grad()
with torch.no_grad():
    loss = loss_fn(model(ids.to(device), lengths), labels.to(device))
loss.requires_grad_(True)
loss.backward()
optimizer.step()
return loss.item()
"""),
    ],
    "predict_batched": [
        Mistake("one giant batch", why="every activation of the whole data set at once: out of memory on a GPU", code="""
ids, lengths, _ = collate_batch([(torch.as_tensor(list(s)), 0) for s in sequences], pad_idx=pad_idx)
model.eval()
with torch.no_grad():
    return model(ids.to(device), lengths).argmax(dim=1).cpu()
"""),
        Mistake("shuffle=True", why="predictions no longer line up with the inputs", code="""
loader = DataLoader(TextDataset(sequences, [0] * len(sequences)), batch_size=batch_size, shuffle=True,
                    collate_fn=lambda items: collate_batch(items, pad_idx=pad_idx))
model.eval()
with torch.no_grad():
    return torch.cat([model(ids.to(device), lengths).argmax(dim=1).cpu() for ids, lengths, _ in loader])
"""),
        Mistake("sorted by length, order not restored", why="bucketing is fine, but undo the sort", code="""
order = sorted(range(len(sequences)), key=lambda i: len(sequences[i]))
dataset = TextDataset([sequences[i] for i in order], [0] * len(sequences))
loader = DataLoader(dataset, batch_size=batch_size, collate_fn=lambda items: collate_batch(items, pad_idx=pad_idx))
model.eval()
with torch.no_grad():
    return torch.cat([model(ids.to(device), lengths).argmax(dim=1).cpu() for ids, lengths, _ in loader])
"""),
        Mistake("no model.eval()", why="dropout stays on: predictions change from run to run", code="""
loader = DataLoader(TextDataset(sequences, [0] * len(sequences)), batch_size=batch_size,
                    collate_fn=lambda items: collate_batch(items, pad_idx=pad_idx))
with torch.no_grad():
    return torch.cat([model(ids.to(device), lengths).argmax(dim=1).cpu() for ids, lengths, _ in loader])
"""),
        Mistake("pads with <UNK> (1)", why="the padding value is confused with a real token id", code="""
loader = DataLoader(TextDataset(sequences, [0] * len(sequences)), batch_size=batch_size,
                    collate_fn=lambda items: collate_batch(items, pad_idx=1))
model.eval()
with torch.no_grad():
    return torch.cat([model(ids.to(device), lengths).argmax(dim=1).cpu() for ids, lengths, _ in loader])
"""),
        Mistake("returns logits", why="the task asks for class ids", code="""
loader = DataLoader(TextDataset(sequences, [0] * len(sequences)), batch_size=batch_size,
                    collate_fn=lambda items: collate_batch(items, pad_idx=pad_idx))
model.eval()
with torch.no_grad():
    return torch.cat([model(ids.to(device), lengths).cpu() for ids, lengths, _ in loader])
"""),
        Mistake("gradients recorded", why="no torch.no_grad(): the graph of every batch is kept", code="""
loader = DataLoader(TextDataset(sequences, [0] * len(sequences)), batch_size=batch_size,
                    collate_fn=lambda items: collate_batch(items, pad_idx=pad_idx))
model.eval()
return torch.cat([model(ids.to(device), lengths).argmax(dim=1).cpu() for ids, lengths, _ in loader])
"""),
        Mistake("lengths moved to the device", why="pack_padded_sequence needs the lengths on the CPU", code="""
loader = DataLoader(TextDataset(sequences, [0] * len(sequences)), batch_size=batch_size,
                    collate_fn=lambda items: collate_batch(items, pad_idx=pad_idx))
model.eval()
with torch.no_grad():
    return torch.cat([model(ids.to(device), lengths.to(device)).argmax(dim=1).cpu() for ids, lengths, _ in loader])
"""),
        Mistake("sorts the caller's list by length", why="bucketing in place: the caller's list and the output order change", code="""
sequences.sort(key=len)
loader = DataLoader(TextDataset(sequences, [0] * len(sequences)), batch_size=batch_size,
                    collate_fn=lambda items: collate_batch(items, pad_idx=pad_idx))
model.eval()
with torch.no_grad():
    return torch.cat([model(ids.to(device), lengths).argmax(dim=1).cpu() for ids, lengths, _ in loader])
"""),
        Mistake("argmax over the batch dim", why="dim=0 picks, for every class, the row with the highest logit", code="""
dataset = TextDataset(sequences, [0] * len(sequences))
loader = DataLoader(dataset, batch_size=batch_size, shuffle=False,
                    collate_fn=lambda items: collate_batch(items, pad_idx=pad_idx))
model.eval()
predictions = []
with torch.no_grad():
    for ids, lengths, _ in loader:
        predictions.append(model(ids.to(device), lengths).argmax(dim=0).cpu())
return torch.cat(predictions)
"""),
    ],
    "save_bundle": [
        Mistake("vocabulary not saved", why="a script cannot map words to the model's rows", code="""
folder = Path(directory)
folder.mkdir(parents=True, exist_ok=True)
torch.save(model.state_dict(), folder / "model.pt")
config = {**hparams, "vocab_size": len(vocab), "pad_idx": vocab.pad_idx,
          "num_classes": len(class_names), "class_names": list(class_names)}
(folder / "config.json").write_text(json.dumps(config))
return folder
"""),
        Mistake("pickles the whole model", why="needs the class to load, and weights_only loading refuses it", code="""
folder = Path(directory)
folder.mkdir(parents=True, exist_ok=True)
torch.save(model, folder / "model.pt")
vocab.save(folder / "vocab.json")
config = {**hparams, "vocab_size": len(vocab), "pad_idx": vocab.pad_idx,
          "num_classes": len(class_names), "class_names": list(class_names)}
(folder / "config.json").write_text(json.dumps(config))
return folder
"""),
        Mistake("config holds only hparams", why="vocab_size, pad_idx, num_classes and class_names are missing", code="""
folder = Path(directory)
folder.mkdir(parents=True, exist_ok=True)
torch.save(model.state_dict(), folder / "model.pt")
vocab.save(folder / "vocab.json")
(folder / "config.json").write_text(json.dumps(hparams))
return folder
"""),
        Mistake("vocabulary saved as its stoi dict", why="not the format the loader reads", code="""
folder = Path(directory)
folder.mkdir(parents=True, exist_ok=True)
torch.save(model.state_dict(), folder / "model.pt")
(folder / "vocab.json").write_text(json.dumps(vocab.stoi))
config = {**hparams, "vocab_size": len(vocab), "pad_idx": vocab.pad_idx,
          "num_classes": len(class_names), "class_names": list(class_names)}
(folder / "config.json").write_text(json.dumps(config))
return folder
"""),
        Mistake("folder not created", why="saving into a missing folder fails", code="""
folder = Path(directory)
torch.save(model.state_dict(), folder / "model.pt")
vocab.save(folder / "vocab.json")
config = {**hparams, "vocab_size": len(vocab), "pad_idx": vocab.pad_idx,
          "num_classes": len(class_names), "class_names": list(class_names)}
(folder / "config.json").write_text(json.dumps(config))
return folder
"""),
        Mistake("class names not saved", why="the script can only print numbers", code="""
folder = Path(directory)
folder.mkdir(parents=True, exist_ok=True)
torch.save(model.state_dict(), folder / "model.pt")
vocab.save(folder / "vocab.json")
config = {**hparams, "vocab_size": len(vocab), "pad_idx": vocab.pad_idx, "num_classes": len(class_names)}
(folder / "config.json").write_text(json.dumps(config))
return folder
"""),
        Mistake("config built by updating hparams", why="config = hparams is the caller's dict: update() changes it", code="""
folder = Path(directory)
folder.mkdir(parents=True, exist_ok=True)
torch.save(model.state_dict(), folder / "model.pt")
vocab.save(folder / "vocab.json")
config = hparams
config.update({"vocab_size": len(vocab), "pad_idx": vocab.pad_idx, "num_classes": len(class_names),
               "class_names": list(class_names)})
(folder / "config.json").write_text(json.dumps(config))
return folder
"""),
        Mistake("mkdir without parents=True", why="a folder inside a missing folder cannot be created", code="""
folder = Path(directory)
folder.mkdir(exist_ok=True)
torch.save(model.state_dict(), folder / "model.pt")
vocab.save(folder / "vocab.json")
config = {**hparams, "vocab_size": len(vocab), "pad_idx": vocab.pad_idx,
          "num_classes": len(class_names), "class_names": list(class_names)}
(folder / "config.json").write_text(json.dumps(config))
return folder
"""),
        Mistake("paths joined as strings", why="directory may be a Path: str + Path raises, and / is the portable join", code="""
Path(directory).mkdir(parents=True, exist_ok=True)
torch.save(model.state_dict(), directory + "/model.pt")
vocab.save(directory + "/vocab.json")
config = {**hparams, "vocab_size": len(vocab), "pad_idx": vocab.pad_idx,
          "num_classes": len(class_names), "class_names": list(class_names)}
with open(directory + "/config.json", "w") as f:
    json.dump(config, f)
return Path(directory)
"""),
        Mistake("returns the argument as given", why="a str comes back as a str; the docstring promises a Path", code="""
folder = Path(directory)
folder.mkdir(parents=True, exist_ok=True)
torch.save(model.state_dict(), folder / "model.pt")
vocab.save(folder / "vocab.json")
config = {**hparams, "vocab_size": len(vocab), "pad_idx": vocab.pad_idx,
          "num_classes": len(class_names), "class_names": list(class_names)}
(folder / "config.json").write_text(json.dumps(config))
return directory
"""),
    ],
}
