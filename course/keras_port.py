"""Small fixtures for notebook 07's tests (from Keras to PyTorch): nothing here answers an exercise."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

__all__ = ["TOY_REVIEWS", "keras_layout_weights", "read_csv_rows", "toy_wordpiece"]

TOY_WORDS = ("great", "sound", "battery", "died", "the", ",", "!", "bad", "##s")
TOY_REVIEWS = ("The battery died after two days.", "Great sound, great battery!", "the screen cracked; refund please",
               "Battery life is great and the sound is clear", "Two days later the screen died")


def toy_wordpiece(pad_id: int = 0):
    """A tiny untrained WordPiece tokenizer (BERT normalizer and pre-tokenizer) whose "[PAD]" has id ``pad_id``.

    Ids: the special tokens "[UNK]", "[CLS]", "[SEP]", "[MASK]" with "[PAD]" inserted at ``pad_id``
    (0 to 4), then ``TOY_WORDS`` from id 5 on.
    """
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

    if not 0 <= pad_id <= 4:
        raise ValueError(f"pad_id must be 0 to 4, got {pad_id}")
    names = ["[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    names.insert(pad_id, "[PAD]")
    tokenizer = Tokenizer(models.WordPiece({w: i for i, w in enumerate([*names, *TOY_WORDS])}, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    return tokenizer


def keras_layout_weights(
    rng: np.random.Generator, vocab: int, emb: int, units: int, classes: int, scale: float = 1.0
) -> dict[str, np.ndarray]:
    """Random float32 arrays with the layouts of a Keras Embedding -> LSTM(units) -> Dense(classes) export."""
    shapes = {"embedding": (vocab, emb), "lstm_kernel": (emb, 4 * units), "lstm_recurrent_kernel": (units, 4 * units),
              "lstm_bias": (4 * units,), "dense_kernel": (units, classes), "dense_bias": (classes,)}
    return {name: (rng.normal(size=shape) * scale).astype(np.float32) for name, shape in shapes.items()}


def read_csv_rows(path: str | Path) -> list[list[str]]:
    """Every row of a CSV file as a list of strings (the header included)."""
    with open(path, newline="") as f:
        return list(csv.reader(f))
