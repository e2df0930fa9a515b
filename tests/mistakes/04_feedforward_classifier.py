"""Plausible wrong answers for notebook 04 (feed-forward classifier), one list per exercise.

Each ``code`` is what a student might type inside the solution region (a dict maps region index
to body for cells with several regions); at least one test cell of the exercise must fail for
every entry (checked by ``autograder.mistakes``). The first entry of each list is also caught by
the exercise's hidden test cell.
"""

from autograder.mistakes import Mistake

_BAG_INIT = """
self.embedding = nn.Embedding(vocab_size, emb_dim, padding_idx=pad_idx)
self.hidden = nn.Linear(emb_dim, hidden_dim)
self.out = nn.Linear(hidden_dim, num_classes)
"""

_ES_INIT = """
self.best_score = math.inf if mode == "min" else -math.inf
self.counter = 0
self.improved = False
self.should_stop = False
"""

_KB_INIT = """
self.compiled = {label: [(p, re.compile(p, re.IGNORECASE)) for p in pats]
                 for label, pats in patterns.items()}
self.default = default
"""

_KB_EXPLAIN = """
return {label: [p for p, rx in pats if rx.search(text)] for label, pats in self.compiled.items()}
"""

MISTAKES = {
    "BagOfEmbeddings": [
        Mistake("mask built on the CPU", why="torch.arange(T) without device=: wrong when ids are on a GPU", code={1: """
mask = torch.arange(ids.shape[1])[None, :] < lengths[:, None]
pooled = masked_mean(self.embedding(ids), mask)
return self.out(torch.relu(self.hidden(pooled)))
"""}),
        Mistake("mask from ids != 0", why="pad_idx ignored: with pad_idx=2 the padding is averaged in", code={1: """
pooled = masked_mean(self.embedding(ids), ids != 0)
return self.out(torch.relu(self.hidden(pooled)))
"""}),
        Mistake("mean over the padding too", why="divides by T and depends on the batch's padding", code={1: """
pooled = self.embedding(ids).mean(dim=1)
return self.out(torch.relu(self.hidden(pooled)))
"""}),
        Mistake("softmax in forward", why="CrossEntropyLoss expects logits", code={1: """
mask = lengths_to_mask(lengths.to(ids.device), ids.shape[1])
pooled = masked_mean(self.embedding(ids), mask)
return torch.softmax(self.out(torch.relu(self.hidden(pooled))), dim=1)
"""}),
        Mistake("no padding_idx", why="the <PAD> row is random and trainable", code={0: """
self.embedding = nn.Embedding(vocab_size, emb_dim)
self.hidden = nn.Linear(emb_dim, hidden_dim)
self.out = nn.Linear(hidden_dim, num_classes)
"""}),
        Mistake("masked sum instead of mean", why="long tweets get larger vectors", code={1: """
mask = lengths_to_mask(lengths.to(ids.device), ids.shape[1]).unsqueeze(-1).float()
pooled = (self.embedding(ids) * mask).sum(dim=1)
return self.out(torch.relu(self.hidden(pooled)))
"""}),
        Mistake("masked sum divided by T", why="the padded length is not the tweet's length", code={1: """
mask = lengths_to_mask(lengths.to(ids.device), ids.shape[1]).unsqueeze(-1).float()
pooled = (self.embedding(ids) * mask).sum(dim=1) / ids.shape[1]
return self.out(torch.relu(self.hidden(pooled)))
"""}),
        Mistake("no ReLU between the linear layers", why="two linear layers collapse into one", code={1: """
mask = lengths_to_mask(lengths.to(ids.device), ids.shape[1])
return self.out(self.hidden(masked_mean(self.embedding(ids), mask)))
"""}),
        Mistake("layers kept in a plain Python list", why="not registered: no parameters, nothing trains", code={
            0: """
self.layers = [nn.Embedding(vocab_size, emb_dim, padding_idx=pad_idx),
               nn.Linear(emb_dim, hidden_dim), nn.Linear(hidden_dim, num_classes)]
""",
            1: """
embedding, hidden, out = self.layers
mask = lengths_to_mask(lengths.to(ids.device), ids.shape[1])
return out(torch.relu(hidden(masked_mean(embedding(ids), mask))))
"""}),
        Mistake("pad_idx hard-coded to 0", why="ignores the pad_idx argument", code={0: """
self.embedding = nn.Embedding(vocab_size, emb_dim, padding_idx=0)
self.hidden = nn.Linear(emb_dim, hidden_dim)
self.out = nn.Linear(hidden_dim, num_classes)
"""}),
    ],
    "probabilities_and_predictions": [
        Mistake("subtracts the row max in place", why="logits -= ... shifts the caller's logits", code="""
logits -= logits.max(dim=1, keepdim=True).values
e = logits.exp()
return e / e.sum(dim=1, keepdim=True), logits.argmax(dim=1)
"""),
        Mistake("returns a list", why="the docstring promises a tuple (probs, preds)", code="""
return [torch.softmax(logits, dim=1), logits.argmax(dim=1)]
"""),
        Mistake("predictions rebuilt from Python lists", why="torch.tensor(...) is made on the CPU, whatever the logits' device", code="""
preds = torch.tensor([row.index(max(row)) for row in logits.tolist()])
return torch.softmax(logits, dim=1), preds
"""),
        Mistake("softmax over dim 0", why="normalises across the batch, not the classes", code="""
return torch.softmax(logits, dim=0), logits.argmax(dim=1)
"""),
        Mistake("naive exp / sum", why="overflows to nan for large logits", code="""
e = logits.exp()
return e / e.sum(dim=1, keepdim=True), logits.argmax(dim=1)
"""),
        Mistake("argmax over dim 0", why="picks an example per class", code="""
return torch.softmax(logits, dim=1), logits.argmax(dim=0)
"""),
        Mistake("sigmoid instead of softmax", why="rows do not sum to one", code="""
return torch.sigmoid(logits), logits.argmax(dim=1)
"""),
        Mistake("returns the max probability instead of the class", why="values, not indices", code="""
probs = torch.softmax(logits, dim=1)
return probs, probs.max(dim=1).values
"""),
        Mistake("log_softmax", why="log-probabilities are not probabilities", code="""
return torch.log_softmax(logits, dim=1), logits.argmax(dim=1)
"""),
        Mistake("casts to float32", why="the dtype of the logits must be kept", code="""
return torch.softmax(logits.float(), dim=1), logits.argmax(dim=1)
"""),
    ],
    "cross_entropy_loss": [
        Mistake("squeeze_ on the caller's labels", why="labels.squeeze_(1) reshapes the caller's [B, 1] labels", code="""
if labels.dim() == 2:
    labels.squeeze_(1)
return nn.functional.cross_entropy(logits, labels.long())
"""),
        Mistake("loss rebuilt from its value", why="torch.tensor(loss.item()) has no graph (and lives on the CPU)", code="""
return torch.tensor(nn.functional.cross_entropy(logits, labels.reshape(-1).long()).item())
"""),
        Mistake("logits cast to float32", why="float64 logits must give a float64 loss", code="""
return nn.functional.cross_entropy(logits.float(), labels.reshape(-1).long())
"""),
        Mistake("softmax before the loss", why="CrossEntropyLoss applies log-softmax itself", code="""
return nn.functional.cross_entropy(torch.softmax(logits, dim=1), labels.view(-1).long())
"""),
        Mistake("labels passed as they come", why="int32 and [B, 1] labels are rejected", code="""
return nn.functional.cross_entropy(logits, labels)
"""),
        Mistake("bare squeeze()", why="a batch of one becomes a 0-d target", code="""
return nn.functional.cross_entropy(logits, labels.squeeze().long())
"""),
        Mistake("nll_loss on raw logits", why="nll_loss expects log-probabilities", code="""
return nn.functional.nll_loss(logits, labels.view(-1).long())
"""),
        Mistake("sum reduction", why="the loss should be the mean over the batch", code="""
return nn.functional.cross_entropy(logits, labels.view(-1).long(), reduction="sum")
"""),
        Mistake("returns a Python float", why="loss.item() cannot be back-propagated", code="""
return nn.functional.cross_entropy(logits, labels.view(-1).long()).item()
"""),
        Mistake("labels cast to float", why="float targets of shape [B] are rejected", code="""
return nn.functional.cross_entropy(logits, labels.view(-1).float())
"""),
    ],
    "train_step": [
        Mistake("no zero_grad", why="stale gradients are added to this step's", code="""
ids, lengths, labels = batch
loss = loss_fn(model(ids.to(device), lengths), labels.to(device))
loss.backward()
optimizer.step()
return loss.item()
"""),
        Mistake("step before backward", why="steps with the stale gradients", code="""
ids, lengths, labels = batch
optimizer.zero_grad()
loss = loss_fn(model(ids.to(device), lengths), labels.to(device))
optimizer.step()
loss.backward()
return loss.item()
"""),
        Mistake("zero_grad between backward and step", why="the step sees zero gradients", code="""
ids, lengths, labels = batch
loss = loss_fn(model(ids.to(device), lengths), labels.to(device))
loss.backward()
optimizer.zero_grad()
optimizer.step()
return loss.item()
"""),
        Mistake("returns the loss tensor", why="keeps the graph alive; must be a float", code="""
ids, lengths, labels = batch
optimizer.zero_grad()
loss = loss_fn(model(ids.to(device), lengths), labels.to(device))
loss.backward()
optimizer.step()
return loss
"""),
        Mistake("returns the loss after the step", why="the docstring asks for the loss before the update", code="""
ids, lengths, labels = batch
optimizer.zero_grad()
loss = loss_fn(model(ids.to(device), lengths), labels.to(device))
loss.backward()
optimizer.step()
with torch.no_grad():
    return loss_fn(model(ids.to(device), lengths), labels.to(device)).item()
"""),
        Mistake("softmax before the loss", why="CrossEntropyLoss wants logits", code="""
ids, lengths, labels = batch
optimizer.zero_grad()
loss = loss_fn(torch.softmax(model(ids.to(device), lengths), dim=1), labels.to(device))
loss.backward()
optimizer.step()
return loss.item()
"""),
    ],
    "fit": [
        Mistake("no model.eval() for validation", why="dropout would stay on while validating", code="""
history = {"train_loss": [], "val_loss": [], "val_acc": []}
model.train()
for epoch in range(num_epochs):
    total, count = 0.0, 0
    for ids, lengths, labels in tqdm(train_loader, leave=False):
        ids, labels = ids.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(ids, lengths), labels)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(labels)
        count += len(labels)
    val_total, correct, val_count = 0.0, 0, 0
    with torch.no_grad():
        for ids, lengths, labels in val_loader:
            ids, labels = ids.to(device), labels.to(device)
            logits = model(ids, lengths)
            val_total += loss_fn(logits, labels).item() * len(labels)
            correct += (logits.argmax(dim=1) == labels).sum().item()
            val_count += len(labels)
    history["train_loss"].append(total / count)
    history["val_loss"].append(val_total / val_count)
    history["val_acc"].append(correct / val_count)
    if on_epoch_end is not None and on_epoch_end(epoch, history):
        break
return history
"""),
        Mistake("no torch.no_grad() for validation", why="records a graph for nothing", code="""
history = {"train_loss": [], "val_loss": [], "val_acc": []}
for epoch in range(num_epochs):
    model.train()
    total, count = 0.0, 0
    for ids, lengths, labels in tqdm(train_loader, leave=False):
        ids, labels = ids.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(ids, lengths), labels)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(labels)
        count += len(labels)
    model.eval()
    val_total, correct, val_count = 0.0, 0, 0
    for ids, lengths, labels in val_loader:
        ids, labels = ids.to(device), labels.to(device)
        logits = model(ids, lengths)
        val_total += loss_fn(logits, labels).item() * len(labels)
        correct += (logits.argmax(dim=1) == labels).sum().item()
        val_count += len(labels)
    history["train_loss"].append(total / count)
    history["val_loss"].append(val_total / val_count)
    history["val_acc"].append(correct / val_count)
    if on_epoch_end is not None and on_epoch_end(epoch, history):
        break
return history
"""),
        Mistake("eval() once, never back to train()", why="epochs after the first train in eval mode", code="""
history = {"train_loss": [], "val_loss": [], "val_acc": []}
model.train()
for epoch in range(num_epochs):
    total, count = 0.0, 0
    for ids, lengths, labels in tqdm(train_loader, leave=False):
        ids, labels = ids.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(ids, lengths), labels)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(labels)
        count += len(labels)
    model.eval()
    val_total, correct, val_count = 0.0, 0, 0
    with torch.no_grad():
        for ids, lengths, labels in val_loader:
            ids, labels = ids.to(device), labels.to(device)
            logits = model(ids, lengths)
            val_total += loss_fn(logits, labels).item() * len(labels)
            correct += (logits.argmax(dim=1) == labels).sum().item()
            val_count += len(labels)
    history["train_loss"].append(total / count)
    history["val_loss"].append(val_total / val_count)
    history["val_acc"].append(correct / val_count)
    if on_epoch_end is not None and on_epoch_end(epoch, history):
        break
return history
"""),
        Mistake("validation loss averaged per batch", why="a small last batch counts as much as a full one", code="""
history = {"train_loss": [], "val_loss": [], "val_acc": []}
for epoch in range(num_epochs):
    model.train()
    total, count = 0.0, 0
    for ids, lengths, labels in tqdm(train_loader, leave=False):
        ids, labels = ids.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(ids, lengths), labels)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(labels)
        count += len(labels)
    model.eval()
    batch_losses, correct, val_count = [], 0, 0
    with torch.no_grad():
        for ids, lengths, labels in val_loader:
            ids, labels = ids.to(device), labels.to(device)
            logits = model(ids, lengths)
            batch_losses.append(loss_fn(logits, labels).item())
            correct += (logits.argmax(dim=1) == labels).sum().item()
            val_count += len(labels)
    history["train_loss"].append(total / count)
    history["val_loss"].append(sum(batch_losses) / len(batch_losses))
    history["val_acc"].append(correct / val_count)
    if on_epoch_end is not None and on_epoch_end(epoch, history):
        break
return history
"""),
        Mistake("training loss of the last batch only", why="one batch is not the epoch", code="""
history = {"train_loss": [], "val_loss": [], "val_acc": []}
for epoch in range(num_epochs):
    model.train()
    for ids, lengths, labels in tqdm(train_loader, leave=False):
        ids, labels = ids.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(ids, lengths), labels)
        loss.backward()
        optimizer.step()
    model.eval()
    val_total, correct, val_count = 0.0, 0, 0
    with torch.no_grad():
        for ids, lengths, labels in val_loader:
            ids, labels = ids.to(device), labels.to(device)
            logits = model(ids, lengths)
            val_total += loss_fn(logits, labels).item() * len(labels)
            correct += (logits.argmax(dim=1) == labels).sum().item()
            val_count += len(labels)
    history["train_loss"].append(loss.item())
    history["val_loss"].append(val_total / val_count)
    history["val_acc"].append(correct / val_count)
    if on_epoch_end is not None and on_epoch_end(epoch, history):
        break
return history
"""),
        Mistake("ignores on_epoch_end", why="early stopping can never stop the loop", code="""
history = {"train_loss": [], "val_loss": [], "val_acc": []}
for epoch in range(num_epochs):
    model.train()
    total, count = 0.0, 0
    for ids, lengths, labels in tqdm(train_loader, leave=False):
        ids, labels = ids.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(ids, lengths), labels)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(labels)
        count += len(labels)
    model.eval()
    val_total, correct, val_count = 0.0, 0, 0
    with torch.no_grad():
        for ids, lengths, labels in val_loader:
            ids, labels = ids.to(device), labels.to(device)
            logits = model(ids, lengths)
            val_total += loss_fn(logits, labels).item() * len(labels)
            correct += (logits.argmax(dim=1) == labels).sum().item()
            val_count += len(labels)
    history["train_loss"].append(total / count)
    history["val_loss"].append(val_total / val_count)
    history["val_acc"].append(correct / val_count)
return history
"""),
        Mistake("no zero_grad in the loop", why="gradients accumulate over the epoch", code="""
history = {"train_loss": [], "val_loss": [], "val_acc": []}
for epoch in range(num_epochs):
    model.train()
    total, count = 0.0, 0
    for ids, lengths, labels in tqdm(train_loader, leave=False):
        ids, labels = ids.to(device), labels.to(device)
        loss = loss_fn(model(ids, lengths), labels)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(labels)
        count += len(labels)
    model.eval()
    val_total, correct, val_count = 0.0, 0, 0
    with torch.no_grad():
        for ids, lengths, labels in val_loader:
            ids, labels = ids.to(device), labels.to(device)
            logits = model(ids, lengths)
            val_total += loss_fn(logits, labels).item() * len(labels)
            correct += (logits.argmax(dim=1) == labels).sum().item()
            val_count += len(labels)
    history["train_loss"].append(total / count)
    history["val_loss"].append(val_total / val_count)
    history["val_acc"].append(correct / val_count)
    if on_epoch_end is not None and on_epoch_end(epoch, history):
        break
return history
"""),
        Mistake("train_step's losses averaged per batch", why="the last, smaller batch weighs as much as a full one", code="""
history = {"train_loss": [], "val_loss": [], "val_acc": []}
for epoch in range(num_epochs):
    model.train()
    losses = [train_step(model, batch, loss_fn, optimizer, device) for batch in tqdm(train_loader, leave=False)]
    model.eval()
    val_total, correct, val_count = 0.0, 0, 0
    with torch.no_grad():
        for ids, lengths, labels in val_loader:
            ids, labels = ids.to(device), labels.to(device)
            logits = model(ids, lengths)
            val_total += loss_fn(logits, labels).item() * len(labels)
            correct += (logits.argmax(dim=1) == labels).sum().item()
            val_count += len(labels)
    history["train_loss"].append(sum(losses) / len(losses))
    history["val_loss"].append(val_total / val_count)
    history["val_acc"].append(correct / val_count)
    if on_epoch_end is not None and on_epoch_end(epoch, history):
        break
return history
"""),
    ],
    "EarlyStopping": [
        Mistake("counter never reset", why="old bad epochs keep counting after an improvement", code={1: """
if self.mode == "min":
    better = value < self.best_score - self.min_delta
else:
    better = value > self.best_score + self.min_delta
if better:
    self.best_score, self.improved = value, True
else:
    self.counter += 1
    self.improved = False
    if self.counter >= self.patience:
        self.should_stop = True
return self.should_stop
"""}),
        Mistake("stops one epoch late", why="counter > patience waits patience + 1 epochs", code={1: """
if self.mode == "min":
    better = value < self.best_score - self.min_delta
else:
    better = value > self.best_score + self.min_delta
if better:
    self.best_score, self.counter, self.improved = value, 0, True
else:
    self.counter += 1
    self.improved = False
    if self.counter > self.patience:
        self.should_stop = True
return self.should_stop
"""}),
        Mistake("ignores min_delta", why="noise-level improvements reset the counter", code={1: """
if self.mode == "min":
    better = value < self.best_score
else:
    better = value > self.best_score
if better:
    self.best_score, self.counter, self.improved = value, 0, True
else:
    self.counter += 1
    self.improved = False
    if self.counter >= self.patience:
        self.should_stop = True
return self.should_stop
"""}),
        Mistake("best score follows every smaller value", why="best_score must change only on an improvement", code={1: """
if self.mode == "min":
    better = value < self.best_score - self.min_delta
    self.best_score = min(self.best_score, value)
else:
    better = value > self.best_score + self.min_delta
    self.best_score = max(self.best_score, value)
if better:
    self.counter, self.improved = 0, True
else:
    self.counter += 1
    self.improved = False
    if self.counter >= self.patience:
        self.should_stop = True
return self.should_stop
"""}),
        Mistake("ignores mode", why="in mode 'max' higher is better", code={0: """
self.best_score = math.inf
self.counter = 0
self.improved = False
self.should_stop = False
""", 1: """
better = value < self.best_score - self.min_delta
if better:
    self.best_score, self.counter, self.improved = value, 0, True
else:
    self.counter += 1
    self.improved = False
    if self.counter >= self.patience:
        self.should_stop = True
return self.should_stop
"""}),
        Mistake("an equal value counts as an improvement", why="<= instead of <", code={1: """
if self.mode == "min":
    better = value <= self.best_score - self.min_delta
else:
    better = value >= self.best_score + self.min_delta
if better:
    self.best_score, self.counter, self.improved = value, 0, True
else:
    self.counter += 1
    self.improved = False
    if self.counter >= self.patience:
        self.should_stop = True
return self.should_stop
"""}),
        Mistake("should_stop reset by a later improvement", why="once stopped, stays stopped", code={1: """
if self.mode == "min":
    better = value < self.best_score - self.min_delta
else:
    better = value > self.best_score + self.min_delta
if better:
    self.best_score, self.counter, self.improved = value, 0, True
else:
    self.counter += 1
    self.improved = False
self.should_stop = self.counter >= self.patience
return self.should_stop
"""}),
    ],
    "checkpoint": [
        Mistake("loss.item() on whatever comes", why="loss may be a Python float, which has no .item()", code={0: """
torch.save({"model_state": model.state_dict(), "optimizer_state": optimizer.state_dict(),
            "epoch": int(epoch), "loss": loss.item()}, path)
"""}),
        Mistake("map_location hard-coded to the CPU", why="the caller's map_location is ignored", code={1: """
checkpoint = torch.load(path, map_location="cpu")
model.load_state_dict(checkpoint["model_state"])
if optimizer is not None:
    optimizer.load_state_dict(checkpoint["optimizer_state"])
return {"epoch": checkpoint["epoch"], "loss": checkpoint["loss"]}
"""}),
        Mistake("returns the whole checkpoint", why="only epoch and loss are promised", code={1: """
checkpoint = torch.load(path, map_location=map_location)
model.load_state_dict(checkpoint["model_state"])
if optimizer is not None:
    optimizer.load_state_dict(checkpoint["optimizer_state"])
return checkpoint
"""}),
        Mistake("no optimizer state in the checkpoint", why="Adam's moments and step count are lost", code={
            0: """
torch.save({"model_state": model.state_dict(), "optimizer_state": {}, "epoch": int(epoch),
            "loss": float(loss)}, path)
""",
            1: """
checkpoint = torch.load(path, map_location=map_location)
model.load_state_dict(checkpoint["model_state"])
return {"epoch": checkpoint["epoch"], "loss": checkpoint["loss"]}
"""}),
        Mistake("pickles the whole model and optimizer", why="weights_only loading refuses it; breaks on refactors", code={
            0: """
torch.save({"model": model, "optimizer": optimizer, "epoch": epoch, "loss": loss}, path)
""",
            1: """
checkpoint = torch.load(path, map_location=map_location, weights_only=False)
model.load_state_dict(checkpoint["model"].state_dict())
if optimizer is not None:
    optimizer.load_state_dict(checkpoint["optimizer"].state_dict())
return {"epoch": checkpoint["epoch"], "loss": checkpoint["loss"]}
"""}),
        Mistake("ignores map_location", why="a GPU checkpoint cannot be opened on a CPU machine", code={1: """
checkpoint = torch.load(path)
model.load_state_dict(checkpoint["model_state"])
if optimizer is not None:
    optimizer.load_state_dict(checkpoint["optimizer_state"])
return {"epoch": checkpoint["epoch"], "loss": checkpoint["loss"]}
"""}),
        Mistake("loads the optimizer state unconditionally", why="optimizer is optional", code={1: """
checkpoint = torch.load(path, map_location=map_location)
model.load_state_dict(checkpoint["model_state"])
optimizer.load_state_dict(checkpoint["optimizer_state"])
return {"epoch": checkpoint["epoch"], "loss": checkpoint["loss"]}
"""}),
        Mistake("strict=False", why="silently ignores layers that do not match", code={1: """
checkpoint = torch.load(path, map_location=map_location)
model.load_state_dict(checkpoint["model_state"], strict=False)
if optimizer is not None:
    optimizer.load_state_dict(checkpoint["optimizer_state"])
return {"epoch": checkpoint["epoch"], "loss": checkpoint["loss"]}
"""}),
        Mistake("stores the loss as given", why="a loss tensor is not a float", code={0: """
torch.save({"model_state": model.state_dict(), "optimizer_state": optimizer.state_dict(),
            "epoch": epoch, "loss": loss}, path)
"""}),
    ],
    "classification_metrics": [
        Mistake("flat index computed in place", why="y_true *= C changes the caller's labels", code="""
y_true *= num_classes
y_true += y_pred
confusion = torch.bincount(y_true, minlength=num_classes ** 2).view(num_classes, num_classes)
tp = confusion.diag().double()
predicted = confusion.sum(dim=0).double()
support = confusion.sum(dim=1).double()
precision = torch.where(predicted > 0, tp / predicted.clamp(min=1), torch.zeros_like(tp))
recall = torch.where(support > 0, tp / support.clamp(min=1), torch.zeros_like(tp))
denom = precision + recall
f1 = torch.where(denom > 0, 2 * precision * recall / denom.clamp(min=1e-12), torch.zeros_like(tp))
w = support / support.sum()
return {"accuracy": (tp.sum() / support.sum()).item(), "precision_macro": precision.mean().item(),
        "recall_macro": recall.mean().item(), "f1_macro": f1.mean().item(),
        "precision_weighted": (precision * w).sum().item(), "recall_weighted": (recall * w).sum().item(),
        "f1_weighted": (f1 * w).sum().item(), "confusion": confusion}
"""),
        Mistake("confusion counted in torch.zeros", why="a float matrix of counts; the docstring promises int64", code="""
confusion = torch.zeros(num_classes, num_classes)
for t, p in zip(y_true.tolist(), y_pred.tolist()):
    confusion[t, p] += 1
tp = confusion.diag().double()
predicted = confusion.sum(dim=0).double()
support = confusion.sum(dim=1).double()
precision = torch.where(predicted > 0, tp / predicted.clamp(min=1), torch.zeros_like(tp))
recall = torch.where(support > 0, tp / support.clamp(min=1), torch.zeros_like(tp))
denom = precision + recall
f1 = torch.where(denom > 0, 2 * precision * recall / denom.clamp(min=1e-12), torch.zeros_like(tp))
w = support / support.sum()
return {"accuracy": (tp.sum() / support.sum()).item(), "precision_macro": precision.mean().item(),
        "recall_macro": recall.mean().item(), "f1_macro": f1.mean().item(),
        "precision_weighted": (precision * w).sum().item(), "recall_weighted": (recall * w).sum().item(),
        "f1_weighted": (f1 * w).sum().item(), "confusion": confusion}
"""),
        Mistake("confusion matrix transposed", why="rows must be the true classes", code="""
confusion = torch.bincount(y_pred * num_classes + y_true, minlength=num_classes ** 2).view(num_classes, num_classes)
tp = confusion.diag().double()
predicted = confusion.sum(dim=1).double()
support = confusion.sum(dim=0).double()
precision = torch.where(predicted > 0, tp / predicted.clamp(min=1), torch.zeros_like(tp))
recall = torch.where(support > 0, tp / support.clamp(min=1), torch.zeros_like(tp))
denom = precision + recall
f1 = torch.where(denom > 0, 2 * precision * recall / denom.clamp(min=1e-12), torch.zeros_like(tp))
w = support / support.sum()
return {"accuracy": (tp.sum() / support.sum()).item(), "precision_macro": precision.mean().item(),
        "recall_macro": recall.mean().item(), "f1_macro": f1.mean().item(),
        "precision_weighted": (precision * w).sum().item(), "recall_weighted": (recall * w).sum().item(),
        "f1_weighted": (f1 * w).sum().item(), "confusion": confusion}
"""),
        Mistake("macro F1 from macro precision and recall", why="macro F1 averages per-class F1 scores", code="""
confusion = torch.bincount(y_true * num_classes + y_pred, minlength=num_classes ** 2).view(num_classes, num_classes)
tp = confusion.diag().double()
predicted = confusion.sum(dim=0).double()
support = confusion.sum(dim=1).double()
precision = torch.where(predicted > 0, tp / predicted.clamp(min=1), torch.zeros_like(tp))
recall = torch.where(support > 0, tp / support.clamp(min=1), torch.zeros_like(tp))
denom = precision + recall
f1 = torch.where(denom > 0, 2 * precision * recall / denom.clamp(min=1e-12), torch.zeros_like(tp))
w = support / support.sum()
p, r = precision.mean().item(), recall.mean().item()
return {"accuracy": (tp.sum() / support.sum()).item(), "precision_macro": p, "recall_macro": r,
        "f1_macro": 2 * p * r / (p + r) if p + r > 0 else 0.0,
        "precision_weighted": (precision * w).sum().item(), "recall_weighted": (recall * w).sum().item(),
        "f1_weighted": (f1 * w).sum().item(), "confusion": confusion}
"""),
        Mistake("weighted by predicted counts", why="weights are the support (true counts)", code="""
confusion = torch.bincount(y_true * num_classes + y_pred, minlength=num_classes ** 2).view(num_classes, num_classes)
tp = confusion.diag().double()
predicted = confusion.sum(dim=0).double()
support = confusion.sum(dim=1).double()
precision = torch.where(predicted > 0, tp / predicted.clamp(min=1), torch.zeros_like(tp))
recall = torch.where(support > 0, tp / support.clamp(min=1), torch.zeros_like(tp))
denom = precision + recall
f1 = torch.where(denom > 0, 2 * precision * recall / denom.clamp(min=1e-12), torch.zeros_like(tp))
w = predicted / predicted.sum()
return {"accuracy": (tp.sum() / support.sum()).item(), "precision_macro": precision.mean().item(),
        "recall_macro": recall.mean().item(), "f1_macro": f1.mean().item(),
        "precision_weighted": (precision * w).sum().item(), "recall_weighted": (recall * w).sum().item(),
        "f1_weighted": (f1 * w).sum().item(), "confusion": confusion}
"""),
        Mistake("0/0 left as NaN", why="a class never predicted has precision 0/0", code="""
confusion = torch.bincount(y_true * num_classes + y_pred, minlength=num_classes ** 2).view(num_classes, num_classes)
tp = confusion.diag().double()
precision = tp / confusion.sum(dim=0).double()
support = confusion.sum(dim=1).double()
recall = tp / support
f1 = 2 * precision * recall / (precision + recall)
w = support / support.sum()
return {"accuracy": (tp.sum() / support.sum()).item(), "precision_macro": precision.mean().item(),
        "recall_macro": recall.mean().item(), "f1_macro": f1.mean().item(),
        "precision_weighted": (precision * w).sum().item(), "recall_weighted": (recall * w).sum().item(),
        "f1_weighted": (f1 * w).sum().item(), "confusion": confusion}
"""),
        Mistake("averages only over classes that occur", why="macro averages over all C classes", code="""
confusion = torch.bincount(y_true * num_classes + y_pred, minlength=num_classes ** 2).view(num_classes, num_classes)
tp = confusion.diag().double()
predicted = confusion.sum(dim=0).double()
support = confusion.sum(dim=1).double()
present = (support > 0) | (predicted > 0)
precision = torch.where(predicted > 0, tp / predicted.clamp(min=1), torch.zeros_like(tp))
recall = torch.where(support > 0, tp / support.clamp(min=1), torch.zeros_like(tp))
denom = precision + recall
f1 = torch.where(denom > 0, 2 * precision * recall / denom.clamp(min=1e-12), torch.zeros_like(tp))
w = support / support.sum()
return {"accuracy": (tp.sum() / support.sum()).item(), "precision_macro": precision[present].mean().item(),
        "recall_macro": recall[present].mean().item(), "f1_macro": f1[present].mean().item(),
        "precision_weighted": (precision * w).sum().item(), "recall_weighted": (recall * w).sum().item(),
        "f1_weighted": (f1 * w).sum().item(), "confusion": confusion}
"""),
        Mistake("number of classes from the data", why="a class absent from both gets no row", code="""
c = int(max(y_true.max(), y_pred.max())) + 1
confusion = torch.bincount(y_true * c + y_pred, minlength=c ** 2).view(c, c)
tp = confusion.diag().double()
predicted = confusion.sum(dim=0).double()
support = confusion.sum(dim=1).double()
precision = torch.where(predicted > 0, tp / predicted.clamp(min=1), torch.zeros_like(tp))
recall = torch.where(support > 0, tp / support.clamp(min=1), torch.zeros_like(tp))
denom = precision + recall
f1 = torch.where(denom > 0, 2 * precision * recall / denom.clamp(min=1e-12), torch.zeros_like(tp))
w = support / support.sum()
return {"accuracy": (tp.sum() / support.sum()).item(), "precision_macro": precision.mean().item(),
        "recall_macro": recall.mean().item(), "f1_macro": f1.mean().item(),
        "precision_weighted": (precision * w).sum().item(), "recall_weighted": (recall * w).sum().item(),
        "f1_weighted": (f1 * w).sum().item(), "confusion": confusion}
"""),
    ],
    "predict": [
        Mistake("returns a list", why="the docstring promises a tuple (name, probabilities)", code="""
ids = torch.tensor([vocab.encode(tokenize(text))], dtype=torch.long, device=device)
model.eval()
with torch.no_grad():
    probs = torch.softmax(model(ids, torch.tensor([ids.shape[1]])), dim=1)[0].cpu()
return [class_names[int(probs.argmax())], dict(zip(class_names, probs.tolist()))]
"""),
        Mistake("probabilities left as 0-d tensors", why="zip over a tensor gives tensors, not Python floats", code="""
ids = torch.tensor([vocab.encode(tokenize(text))], dtype=torch.long, device=device)
model.eval()
with torch.no_grad():
    probs = torch.softmax(model(ids, torch.tensor([ids.shape[1]])), dim=1)[0].cpu()
return class_names[int(probs.argmax())], dict(zip(class_names, probs))
"""),
        Mistake("splits on white space", why="training used tokenize(): case, punctuation, <user>", code="""
ids = torch.tensor([vocab.encode(text.split())], dtype=torch.long, device=device)
model.eval()
with torch.no_grad():
    probs = torch.softmax(model(ids, torch.tensor([ids.shape[1]])), dim=1)[0].cpu()
return class_names[int(probs.argmax())], dict(zip(class_names, probs.tolist()))
"""),
        Mistake("builds a new vocabulary from the text", why="ids then mean other words", code="""
tokens = tokenize(text)
new_vocab = Vocabulary.build([tokens])
ids = torch.tensor([new_vocab.encode(tokens)], dtype=torch.long, device=device)
model.eval()
with torch.no_grad():
    probs = torch.softmax(model(ids, torch.tensor([ids.shape[1]])), dim=1)[0].cpu()
return class_names[int(probs.argmax())], dict(zip(class_names, probs.tolist()))
"""),
        Mistake("no model.eval()", why="dropout stays on at prediction time", code="""
ids = torch.tensor([vocab.encode(tokenize(text))], dtype=torch.long, device=device)
with torch.no_grad():
    probs = torch.softmax(model(ids, torch.tensor([ids.shape[1]])), dim=1)[0].cpu()
return class_names[int(probs.argmax())], dict(zip(class_names, probs.tolist()))
"""),
        Mistake("encodes the raw string", why="iterates over characters", code="""
ids = torch.tensor([vocab.encode(text)], dtype=torch.long, device=device)
model.eval()
with torch.no_grad():
    probs = torch.softmax(model(ids, torch.tensor([ids.shape[1]])), dim=1)[0].cpu()
return class_names[int(probs.argmax())], dict(zip(class_names, probs.tolist()))
"""),
        Mistake("softmax over the batch dim", why="a batch of one gives all ones", code="""
ids = torch.tensor([vocab.encode(tokenize(text))], dtype=torch.long, device=device)
model.eval()
with torch.no_grad():
    probs = torch.softmax(model(ids, torch.tensor([ids.shape[1]])), dim=0)[0].cpu()
return class_names[int(probs.argmax())], dict(zip(class_names, probs.tolist()))
"""),
        Mistake("returns the class index", why="the docstring asks for the class name", code="""
ids = torch.tensor([vocab.encode(tokenize(text))], dtype=torch.long, device=device)
model.eval()
with torch.no_grad():
    probs = torch.softmax(model(ids, torch.tensor([ids.shape[1]])), dim=1)[0].cpu()
return int(probs.argmax()), dict(zip(class_names, probs.tolist()))
"""),
    ],
    "KeywordBaseline": [
        Mistake("re.match instead of re.search", why="match only looks at the start of the text", code={1: """
return {label: [p for p, rx in pats if rx.match(text)] for label, pats in self.compiled.items()}
"""}),
        Mistake("case-sensitive patterns", why="tweets shout in capitals", code={0: """
self.compiled = {label: [(p, re.compile(p)) for p in pats] for label, pats in patterns.items()}
self.default = default
"""}),
        Mistake("counts matches instead of patterns", why="one pattern repeated outweighs several", code={2: """
counts = {label: sum(len(rx.findall(text)) for _, rx in pats) for label, pats in self.compiled.items()}
best = max(counts, key=counts.get, default=self.default)
return best if counts.get(best) else self.default
"""}),
        Mistake("first class with any hit wins", why="ignores how many patterns fired", code={2: """
fired = self.explain(text)
for label, hits in fired.items():
    if hits:
        return label
return self.default
"""}),
        Mistake("ties go to the last class", why=">= in a loop keeps the later class", code={2: """
fired = self.explain(text)
best, best_n = self.default, 0
for label, hits in fired.items():
    if len(hits) >= best_n and hits:
        best, best_n = label, len(hits)
return best
"""}),
        Mistake("ignores the default", why="returns the first class when nothing fires", code={2: """
fired = self.explain(text)
return max(fired, key=lambda label: len(fired[label]))
"""}),
        Mistake("explain drops classes with no hits", why="every class must appear, with []", code={1: """
out = {}
for label, pats in self.compiled.items():
    hits = [p for p, rx in pats if rx.search(text)]
    if hits:
        out[label] = hits
return out
""", 2: """
fired = self.explain(text)
best = max(fired, key=lambda label: len(fired[label]), default=self.default)
return best if fired.get(best) else self.default
"""}),
    ],
}

# ---- grown for issues 13 and 15 (nb04): at least 10 per exercise

_TRAIN_STEP = """
ids, lengths, labels = batch
ids, labels = ids.to(device), labels.to(device)
{body}
return loss.item()
"""

_METRICS_HEAD = """
y_true, y_pred = y_true.long().view(-1), y_pred.long().view(-1)
confusion = torch.bincount(y_true * num_classes + y_pred, minlength=num_classes ** 2).view(num_classes, num_classes)
tp = confusion.diag().double()
predicted = confusion.sum(dim=0).double()
support = confusion.sum(dim=1).double()
precision = torch.where(predicted > 0, tp / predicted.clamp(min=1), torch.zeros_like(tp))
recall = torch.where(support > 0, tp / support.clamp(min=1), torch.zeros_like(tp))
denom = precision + recall
f1 = torch.where(denom > 0, 2 * precision * recall / denom.clamp(min=1e-12), torch.zeros_like(tp))
w = support / support.sum()
"""

_METRICS_RETURN = """
return {"accuracy": accuracy, "precision_macro": precision.mean().item(),
        "recall_macro": recall.mean().item(), "f1_macro": f1_macro,
        "precision_weighted": (precision * w).sum().item(), "recall_weighted": (recall * w).sum().item(),
        "f1_weighted": f1_weighted, "confusion": confusion}
"""

_PREDICT = """
ids = torch.tensor([vocab.encode(tokenize(text))], dtype=torch.long, device=device)
model.eval()
with torch.no_grad():
    logits = model(ids, torch.tensor([ids.shape[1]]))
{body}
"""

_FIT = """
history = {{"train_loss": [], "val_loss": [], "val_acc": []}}
for epoch in range(num_epochs):
    model.train()
    total, count = 0.0, 0
    for batch in tqdm(train_loader, leave=False):
        total += train_step(model, batch, loss_fn, optimizer, device) * len(batch[2])
        count += len(batch[2])
    model.eval()
    val_total, correct, val_count = 0.0, 0, 0
    with torch.no_grad():
        for ids, lengths, labels in val_loader:
            ids, labels = ids.to(device), labels.to(device)
            logits = model(ids, lengths)
            val_total += loss_fn(logits, labels).item() * len(labels)
            correct += (logits.argmax(dim=1) == labels).sum(){acc}
            val_count += len(labels)
    history["train_loss"].append(total / count)
    history["val_loss"].append(val_total / val_count)
    history["val_acc"].append(correct / val_count)
    {callback}
return history
"""

MISTAKES["class_weights"] = [
    Mistake("1 / n_c, not normalised", why="the mean weight per example is no longer 1", code="""
counts = torch.bincount(y_train.long(), minlength=num_classes).float()
return torch.where(counts > 0, 1.0 / counts.clamp(min=1), torch.zeros_like(counts))
"""),
    Mistake("N / n_c without the number of classes", why="every weight is C times too large", code="""
counts = torch.bincount(y_train.long(), minlength=num_classes).float()
return torch.where(counts > 0, len(y_train) / counts.clamp(min=1), torch.zeros_like(counts))
"""),
    Mistake("class frequencies instead of their inverse", why="the big classes get the big weights", code="""
counts = torch.bincount(y_train.long(), minlength=num_classes).float()
return counts / len(y_train)
"""),
    Mistake("inverse frequencies normalised to sum to 1", why="another normalisation than the docstring's", code="""
counts = torch.bincount(y_train.long(), minlength=num_classes).float()
w = torch.where(counts > 0, 1.0 / counts.clamp(min=1), torch.zeros_like(counts))
return w / w.sum()
"""),
    Mistake("largest count divided by each count", why="the largest class gets 1, not N / (C * n_max)", code="""
counts = torch.bincount(y_train.long(), minlength=num_classes).float()
return torch.where(counts > 0, counts.max() / counts.clamp(min=1), torch.zeros_like(counts))
"""),
    Mistake("bincount without minlength", why="a missing last class shortens the result", code="""
counts = torch.bincount(y_train.long()).float()
return torch.where(counts > 0, len(y_train) / (num_classes * counts.clamp(min=1)), torch.zeros_like(counts))
"""),
    Mistake("number of classes taken from the labels", why="num_classes ignored: absent classes change C", code="""
present = y_train.unique()
counts = torch.tensor([(y_train == c).sum().item() for c in range(num_classes)], dtype=torch.float32)
return torch.where(counts > 0, len(y_train) / (len(present) * counts.clamp(min=1)), torch.zeros_like(counts))
"""),
    Mistake("division by zero for an absent class", why="inf in the loss's weights", code="""
counts = torch.bincount(y_train.long(), minlength=num_classes).float()
return len(y_train) / (num_classes * counts)
"""),
    Mistake("float64 weights", why="the docstring promises float32", code="""
counts = torch.bincount(y_train.long(), minlength=num_classes).double()
return torch.where(counts > 0, len(y_train) / (num_classes * counts.clamp(min=1)), torch.zeros_like(counts))
"""),
    Mistake("labels shifted to start at 0, in place", why="y_train -= y_train.min() changes the caller's labels", code="""
y_train -= y_train.min()
counts = torch.bincount(y_train.long(), minlength=num_classes).float()
return torch.where(counts > 0, len(y_train) / (num_classes * counts.clamp(min=1)), torch.zeros_like(counts))
"""),
    Mistake("scikit-learn's balanced weights of the present classes", why="absent classes are dropped and C is the present count", code="""
import numpy as np
from sklearn.utils.class_weight import compute_class_weight
y = y_train.numpy()
return torch.tensor(compute_class_weight("balanced", classes=np.unique(y), y=y), dtype=torch.float32)
"""),
    Mistake("integer division", why="// floors the weights to whole numbers", code="""
counts = torch.bincount(y_train.long(), minlength=num_classes)
return torch.where(counts > 0, len(y_train) // (num_classes * counts.clamp(min=1)), torch.zeros_like(counts))
"""),
]

MISTAKES["train_step"] += [
    Mistake("backward called twice", why="the gradients are doubled", code=_TRAIN_STEP.format(body="""
optimizer.zero_grad()
loss = loss_fn(model(ids, lengths), labels)
loss.backward(retain_graph=True)
loss.backward()
optimizer.step()""")),
    Mistake("two optimizer steps", why="one batch, one step", code=_TRAIN_STEP.format(body="""
optimizer.zero_grad()
loss = loss_fn(model(ids, lengths), labels)
loss.backward()
optimizer.step()
optimizer.step()""")),
    Mistake("zero_grad after the step instead of before", why="the first step still sees the stale gradients", code=_TRAIN_STEP.format(body="""
loss = loss_fn(model(ids, lengths), labels)
loss.backward()
optimizer.step()
optimizer.zero_grad()""")),
    Mistake("logits detached before the loss", why="no graph: backward fails or nothing trains", code=_TRAIN_STEP.format(body="""
optimizer.zero_grad()
loss = loss_fn(model(ids, lengths).detach().requires_grad_(), labels)
loss.backward()
optimizer.step()""")),
]

MISTAKES["fit"] += [
    Mistake("validation accuracy left as a tensor", why="(...).sum() without .item() gives a tensor", code=_FIT.format(
        acc="", callback="if on_epoch_end is not None and on_epoch_end(epoch, history):\n        break")),
    Mistake("on_epoch_end given epochs counted from 1", why="the docstring counts epochs from 0", code=_FIT.format(
        acc=".item()", callback="if on_epoch_end is not None and on_epoch_end(epoch + 1, history):\n        break")),
    Mistake("on_epoch_end's answer ignored", why="returning True must stop training", code=_FIT.format(
        acc=".item()", callback="if on_epoch_end is not None:\n        on_epoch_end(epoch, history)")),
]

_ES_STEP = """
if self.mode == "min":
    better = value < {min_rule}
else:
    better = value > {max_rule}
if better:
    self.best_score, self.counter, self.improved = value, 0, True
else:
    self.counter += 1
    self.improved = False
    if self.counter >= self.patience:
        self.should_stop = True
return self.{returned}
"""

MISTAKES["EarlyStopping"] += [
    Mistake("min_delta taken as a relative improvement", why="value < best * (1 - min_delta) is another rule", code={
        1: _ES_STEP.format(min_rule="self.best_score * (1 - self.min_delta)",
                           max_rule="self.best_score * (1 + self.min_delta)", returned="should_stop")}),
    Mistake("min_delta subtracted in mode 'max' too", why="in mode 'max' an improvement must beat best + min_delta", code={
        1: _ES_STEP.format(min_rule="self.best_score - self.min_delta", max_rule="self.best_score - self.min_delta",
                           returned="should_stop")}),
    Mistake("step returns improved", why="the docstring says step returns should_stop", code={
        1: _ES_STEP.format(min_rule="self.best_score - self.min_delta", max_rule="self.best_score + self.min_delta",
                           returned="improved")}),
]

MISTAKES["checkpoint"] += [
    Mistake("saves epoch + 1", why="the epoch must be stored as given", code={0: """
torch.save({"model_state": model.state_dict(), "optimizer_state": optimizer.state_dict(),
            "epoch": int(epoch) + 1, "loss": float(loss)}, path)
"""}),
    Mistake("loads the whole dict as the model state", why="load_state_dict(checkpoint) sees the wrong keys", code={1: """
checkpoint = torch.load(path, map_location=map_location)
model.load_state_dict(checkpoint, strict=False)
if optimizer is not None:
    optimizer.load_state_dict(checkpoint["optimizer_state"])
return {"epoch": checkpoint["epoch"], "loss": checkpoint["loss"]}
"""}),
]

MISTAKES["classification_metrics"] += [
    Mistake("accuracy as the mean recall", why="that is balanced accuracy, not accuracy", code=_METRICS_HEAD + """
accuracy = recall.mean().item()
f1_macro = f1.mean().item()
f1_weighted = (f1 * w).sum().item()
""" + _METRICS_RETURN),
    Mistake("weighted F1 from weighted precision and recall", why="weighted F1 averages the per-class F1 scores", code=_METRICS_HEAD + """
accuracy = (tp.sum() / support.sum()).item()
f1_macro = f1.mean().item()
pw, rw = (precision * w).sum(), (recall * w).sum()
f1_weighted = (2 * pw * rw / (pw + rw)).item()
""" + _METRICS_RETURN),
    Mistake("macro F1 over the classes that occur only", why="the mean runs over all C classes", code=_METRICS_HEAD + """
accuracy = (tp.sum() / support.sum()).item()
seen = (support + predicted) > 0
f1_macro = f1[seen].mean().item()
f1_weighted = (f1 * w).sum().item()
""" + _METRICS_RETURN),
]

MISTAKES["predict"] += [
    Mistake("logits returned as probabilities", why="no softmax: the values do not sum to 1", code=_PREDICT.format(body="""
scores = logits[0].cpu()
return class_names[int(scores.argmax())], dict(zip(class_names, scores.tolist()))""")),
    Mistake("log-probabilities", why="log_softmax gives log-probabilities", code=_PREDICT.format(body="""
scores = torch.log_softmax(logits, dim=1)[0].cpu()
return class_names[int(scores.argmax())], dict(zip(class_names, scores.tolist()))""")),
]

MISTAKES["KeywordBaseline"] += [
    Mistake("explain returns the compiled patterns", why="the docstring asks for the pattern strings as given", code={
        0: _KB_INIT, 1: """
return {label: [rx for p, rx in pats if rx.search(text)] for label, pats in self.compiled.items()}
"""}),
    Mistake("ties go to the alphabetically first class", why="ties go to the class listed first in patterns", code={
        0: _KB_INIT, 1: _KB_EXPLAIN, 2: """
fired = self.explain(text)
best = max(sorted(fired), key=lambda label: len(fired[label]), default=self.default)
return best if fired.get(best) else self.default
"""}),
    Mistake("nothing fired: the first class instead of the default", why="default is for texts where no pattern fires", code={
        0: _KB_INIT, 1: _KB_EXPLAIN, 2: """
fired = self.explain(text)
return max(fired, key=lambda label: len(fired[label]), default=self.default)
"""}),
]
