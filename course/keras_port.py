"""Test support for notebook 07 (from Keras to PyTorch): small fixtures its test cells use.

Nothing here answers an exercise: the toy tokenizer has a fixed vocabulary and the pipeline that
section 2 of the notebook spells out, and is never trained (Exercise 1's work is the training with
the special tokens); the weights are random arrays in Keras' layouts (Exercise 6 loads them); the
CSV reader only reads back what Exercise 8 writes.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

__all__ = ["TOY_REVIEWS", "keras_layout_weights", "read_csv_rows", "toy_wordpiece"]

TOY_WORDS = ("great", "sound", "battery", "died", "the", ",", "!", "bad", "##s")
TOY_REVIEWS = ("The battery died after two days.", "Great sound, great battery!", "the screen cracked; refund please",
               "Battery life is great and the sound is clear", "Two days later the screen died")


def toy_wordpiece(pad_id: int = 0):
    """Test support: a tiny untrained WordPiece tokenizer whose "[PAD]" has id ``pad_id`` (0 to 4).

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
    """Test support: random float32 arrays laid out as a Keras Embedding -> LSTM -> Dense export.

    Keys and shapes: "embedding" [vocab, emb], "lstm_kernel" [emb, 4 * units],
    "lstm_recurrent_kernel" [units, 4 * units], "lstm_bias" [4 * units],
    "dense_kernel" [units, classes], "dense_bias" [classes]; standard normal times ``scale``.
    """
    shapes = {"embedding": (vocab, emb), "lstm_kernel": (emb, 4 * units), "lstm_recurrent_kernel": (units, 4 * units),
              "lstm_bias": (4 * units,), "dense_kernel": (units, classes), "dense_bias": (classes,)}
    return {name: (rng.normal(size=shape) * scale).astype(np.float32) for name, shape in shapes.items()}


def read_csv_rows(path: str | Path) -> list[list[str]]:
    """Test support: every row of a CSV file as a list of str (the header included)."""
    with open(path, newline="") as f:
        return list(csv.reader(f))
