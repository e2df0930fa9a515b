"""Given inference side of notebook 06: load a saved LSTM classifier bundle and predict raw text.

A bundle is a folder with three files, written by the notebook's ``save_bundle`` exercise:

- ``model.pt``: the classifier's ``state_dict`` (tensors only; loaded with ``weights_only=True``),
  with the parameter names of the course's LSTM classifiers: ``embedding.*``, ``lstm.*``, ``fc.*``;
- ``vocab.json``: the vocabulary, as written by ``course.text.Vocabulary.save``;
- ``config.json``: the hyperparameters needed to rebuild the network (``CONFIG_KEYS``) and the
  class names in label order.

This module imports nothing from a notebook: it rebuilds the network from ``config.json`` and
reads one text at a time, unpadded, so it needs no packing. Run it in a fresh process with
``python -m course.lstm BUNDLE_DIR "some text" ["more text" ...]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import torch
from torch import nn

from course.text import Vocabulary, tokenize

__all__ = [
    "BUNDLE_FILES", "CONFIG_KEYS", "Bundle", "BundleError", "load_bundle", "predict_in_fresh_process",
    # test fixtures of notebook 06
    "BagModel", "CountingLSTM", "DeviceSpyLoss", "DeviceSpyModel", "SumModel", "TinyLSTMClassifier",
    "bundle_predictions", "seeded",
    "seeded_counting_lstm", "sum_model_classes", "two_batches",
]

BUNDLE_FILES = ("model.pt", "vocab.json", "config.json")
CONFIG_KEYS = (
    "vocab_size",
    "embedding_dim",
    "hidden_size",
    "num_layers",
    "bidirectional",
    "num_classes",
    "pad_idx",
    "max_len",
    "class_names",
)


class BundleError(RuntimeError):
    """A bundle folder is incomplete or inconsistent; the message says what is missing."""


class _OneTextLSTM(nn.Module):
    """Embedding -> LSTM -> last layer's final state(s) -> Linear, for one unpadded sequence."""

    def __init__(self, config: dict):
        super().__init__()
        self.embedding = nn.Embedding(
            config["vocab_size"], config["embedding_dim"], padding_idx=config["pad_idx"]
        )
        self.lstm = nn.LSTM(
            config["embedding_dim"],
            config["hidden_size"],
            num_layers=config["num_layers"],
            bidirectional=config["bidirectional"],
            batch_first=True,
        )
        directions = 2 if config["bidirectional"] else 1
        self.fc = nn.Linear(config["hidden_size"] * directions, config["num_classes"])
        self.directions = directions

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """ids: [1, T] int64 with T >= 0 -> logits [1, num_classes]; T == 0 reads the zero state."""
        width = self.lstm.hidden_size * self.directions
        if ids.shape[1] == 0:
            return self.fc(torch.zeros(1, width, device=ids.device))
        _, (h_n, _) = self.lstm(self.embedding(ids))  # h_n: [layers * directions, 1, H]
        return self.fc(h_n[-self.directions :].permute(1, 0, 2).reshape(1, width))


class Bundle:
    """A loaded bundle: ``model`` (eval mode), ``vocab``, ``config``; ``predict(text)`` gives a class name."""

    def __init__(self, model: nn.Module, vocab: Vocabulary, config: dict):
        self.model, self.vocab, self.config = model, vocab, config
        self.class_names: list[str] = list(config["class_names"])

    def encode(self, text: str) -> torch.Tensor:
        """Token ids [1, T] of ``text``: course tokenizer, this bundle's vocabulary, first max_len tokens."""
        ids = self.vocab.encode(tokenize(text))[: int(self.config["max_len"])]
        return torch.tensor([ids], dtype=torch.long)

    def logits(self, text: str) -> torch.Tensor:
        """Logits [num_classes] for one text, on the CPU."""
        with torch.no_grad():
            return self.model(self.encode(text))[0]

    def predict(self, text: str) -> str:
        """The predicted class name for one raw text."""
        return self.class_names[int(self.logits(text).argmax())]

    def __repr__(self) -> str:
        keys = ", ".join(f"{k}={self.config[k]}" for k in CONFIG_KEYS if k != "class_names")
        return f"Bundle({keys}, classes={self.class_names})"


def load_bundle(directory: str | Path) -> Bundle:
    """Read model.pt, vocab.json and config.json from ``directory``; rebuild the model on the CPU."""
    folder = Path(directory)
    missing = [name for name in BUNDLE_FILES if not (folder / name).is_file()]
    if missing:
        raise BundleError(
            f"bundle {folder} lacks {', '.join(missing)}: an inference script needs the weights "
            "(model.pt), the vocabulary (vocab.json) and the hyperparameters (config.json)"
        )
    config = json.loads((folder / "config.json").read_text())
    absent = [key for key in CONFIG_KEYS if key not in config]
    if absent:
        raise BundleError(f"{folder / 'config.json'} lacks {', '.join(absent)}; it needs {CONFIG_KEYS}")
    vocab = Vocabulary.load(folder / "vocab.json")
    if len(vocab) != config["vocab_size"]:
        raise BundleError(
            f"vocab.json holds {len(vocab)} tokens but config.json says vocab_size="
            f"{config['vocab_size']}: the vocabulary saved is not the one the model was trained with"
        )
    if len(config["class_names"]) != config["num_classes"]:
        raise BundleError(
            f"config.json has {len(config['class_names'])} class_names for num_classes="
            f"{config['num_classes']}"
        )
    try:
        state = torch.load(folder / "model.pt", map_location="cpu", weights_only=True)
    except Exception as err:  # noqa: BLE001 - a pickled module or a corrupt file: say which
        raise BundleError(
            f"{folder / 'model.pt'} is not a plain state_dict of tensors ({type(err).__name__}); "
            "save model.state_dict(), not the model object"
        ) from None
    if not isinstance(state, dict):
        raise BundleError(f"{folder / 'model.pt'} holds a {type(state).__name__}, not a state_dict")
    model = _OneTextLSTM(config)
    try:
        model.load_state_dict(state)
    except RuntimeError as err:
        raise BundleError(
            f"model.pt does not fit the network described by config.json: {str(err)[:400]}"
        ) from None
    return Bundle(model.eval(), vocab, config)


def predict_in_fresh_process(directory: str | Path, texts: Sequence[str], timeout: float = 120) -> list[str]:
    """Labels printed by ``python -m course.lstm DIRECTORY TEXT...`` run in a new Python process.

    The new process shares nothing with the caller but the files in ``directory``, which proves the
    bundle stands on its own. A failure in that process raises ``BundleError`` with its message.
    """
    texts = [" ".join(str(text).split()) for text in texts]  # one line per text on the way back
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
    result = subprocess.run(
        [sys.executable, "-m", "course.lstm", str(directory), *texts],
        capture_output=True, text=True, timeout=timeout, env=env,
    )
    if result.returncode != 0:
        raise BundleError(f"`python -m course.lstm` failed in a fresh process: {result.stderr.strip()[-600:]}")
    lines = result.stdout.rstrip("\n").split("\n") if texts else []
    if len(lines) != len(texts):
        raise BundleError(f"expected {len(texts)} lines from the fresh process, got {len(lines)}")
    return [line.split("\t", 1)[0] for line in lines]


# ---------------------------------------------------------------------------------------------
# Test fixtures for notebook 06's test cells: small models whose behaviour is known, shared by the
# visible and hidden checks so that the test cells stay short. None of them answers an exercise.


def seeded(module: nn.Module, generator: torch.Generator, scale: float = 0.5) -> nn.Module:
    """Overwrite every parameter of ``module`` with N(0, scale^2) draws from ``generator``, in the order
    of the parameters' names (so the order in which a student defines the layers does not matter); return it."""
    with torch.no_grad():
        for _, param in sorted(module.named_parameters()):
            param.copy_(torch.randn(param.shape, generator=generator) * scale)
    return module


class CountingLSTM(nn.LSTM):
    """An ``nn.LSTM`` that records the shape of every input it is called on (``self.seen``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen: list[tuple[int, ...]] = []

    def forward(self, input, hx=None):  # noqa: A002 (nn.LSTM's own argument name)
        self.seen.append(tuple(input.shape))
        return super().forward(input, hx)


def seeded_counting_lstm(generator: torch.Generator, *args, **kwargs) -> CountingLSTM:
    """A batch_first ``CountingLSTM(*args, **kwargs)`` with seeded weights."""
    return seeded(CountingLSTM(*args, batch_first=True, **kwargs), generator)


class BagModel(nn.Module):
    """Mean of the real tokens' embeddings -> Linear (moves lengths itself where it needs them)."""

    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(12, 4, padding_idx=0)
        self.fc = nn.Linear(4, 3)

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        mask = (torch.arange(ids.shape[1])[None, :] < lengths[:, None]).to(ids.device)
        summed = (self.embedding(ids) * mask[..., None]).sum(dim=1)
        return self.fc(summed / lengths.to(ids.device)[:, None])


class DeviceSpyModel(nn.Module):
    """Records where its inputs live (``seen``) and where it was moved (``moved_to``); computes on the CPU.

    For a training step run with ``device=torch.device("meta")``: the logits come from the CPU ids it
    was built with, so the step can finish (``.item()``) although the data on the meta device has none.
    """

    def __init__(self, cpu_ids: torch.Tensor):
        super().__init__()
        self.fc = nn.Linear(3, 3)
        self.cpu_ids = cpu_ids
        self.seen: dict = {}
        self.moved_to: str | None = None

    def to(self, *args, **kwargs):
        self.moved_to = torch.device(args[0] if args else kwargs["device"]).type
        return self

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        self.seen = {"ids": ids.device.type, "lengths": lengths.device.type, "training": self.training}
        return self.fc(self.cpu_ids[:, :3].float())


class DeviceSpyLoss(nn.Module):
    """Cross-entropy against the CPU labels it was built with; records the device of the labels it gets."""

    def __init__(self, cpu_labels: torch.Tensor):
        super().__init__()
        self.cpu_labels = cpu_labels
        self.seen: str | None = None

    def forward(self, logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        self.seen = labels.device.type
        return nn.functional.cross_entropy(logits, self.cpu_labels)


def two_batches(generator: torch.Generator) -> list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    """Two post-padded batches ``(ids, lengths, labels)`` for ``BagModel``, ids 1..11, 3 classes."""
    out = []
    for lens in ([3, 1, 4], [2, 4, 4, 1]):
        ids = torch.randint(1, 12, (len(lens), 4), generator=generator)
        for b, n in enumerate(lens):
            ids[b, n:] = 0
        out.append((ids, torch.tensor(lens), torch.randint(0, 3, (len(lens),), generator=generator)))
    return out


class SumModel(nn.Module):
    """Logits peak at (sum of the row's ids + its length) % classes; records every call in ``calls``."""

    def __init__(self, classes: int = 5):
        super().__init__()
        self.classes = classes
        self.dummy = nn.Parameter(torch.zeros(1))
        self.calls: list[dict] = []

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        self.calls.append({"size": ids.shape[0], "training": self.training, "grad": torch.is_grad_enabled(),
                           "lengths": lengths.device.type})
        target = (ids.sum(dim=1) + lengths.to(ids.device)) % self.classes
        return nn.functional.one_hot(target, self.classes).float() * 3.0 + self.dummy


def sum_model_classes(sequences: Sequence[Sequence[int]], classes: int = 5) -> list[int]:
    """What ``SumModel(classes)`` predicts for each unpadded sequence."""
    return [(sum(int(t) for t in s) + len(s)) % classes for s in sequences]


class TinyLSTMClassifier(nn.Module):
    """Embedding -> LSTM -> Linear with the parameter names a bundle uses (no forward: tests save it)."""

    def __init__(self, vocab_size: int, emb: int, hidden: int, classes: int, layers: int = 1,
                 bidirectional: bool = False):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, emb, padding_idx=0)
        self.lstm = nn.LSTM(emb, hidden, num_layers=layers, bidirectional=bidirectional, batch_first=True)
        self.fc = nn.Linear(hidden * (2 if bidirectional else 1), classes)


def bundle_predictions(folder: str | Path, texts: Sequence[str]) -> list[str]:
    """Labels from this module reading a bundle: in this process, then in a fresh Python process.

    Raises AssertionError with a teaching message when the bundle cannot be read or the two disagree;
    where no program may be started (a grading sandbox) the in-process labels stand alone.
    """
    try:
        bundle = load_bundle(folder)
    except Exception as err:
        raise AssertionError(f"course.lstm could not load the bundle: {type(err).__name__}: {str(err)[-500:]}. "
                             "Likely cause: a file is missing or holds something else than described") from None
    labels = [bundle.predict(t) for t in texts]
    try:
        fresh = predict_in_fresh_process(folder, texts)
    except PermissionError:
        print("(this grading sandbox starts no programs: the in-process check stands in for the fresh process)")
        return labels
    except Exception as err:
        raise AssertionError(f"{type(err).__name__}: {str(err)[-500:]}") from None
    if fresh != labels:
        raise AssertionError(f"a fresh process predicted {fresh}, this process {labels} from the same bundle")
    return fresh


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: print ``label<TAB>text`` for each text."""
    parser = argparse.ArgumentParser(prog="python -m course.lstm", description=__doc__.split("\n")[0])
    parser.add_argument("bundle", type=Path, help="folder with model.pt, vocab.json, config.json")
    parser.add_argument("texts", nargs="+", help="raw texts to classify")
    args = parser.parse_args(argv)
    try:
        bundle = load_bundle(args.bundle)
    except BundleError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for text in args.texts:
        print(f"{bundle.predict(text)}\t{text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
