"""Pretrained subword tokenizers for notebook 07's full tier (never the default path).

Notebook 07 trains its own WordPiece tokenizer offline. Loading a published one, such as
``bert-base-uncased``'s, is an explicit choice: by name it needs the network (the Hugging Face
Hub), from a ``tokenizer.json`` file it does not.

    from course.subword import load_pretrained_tokenizer
    bert = load_pretrained_tokenizer("bert-base-uncased")        # network
    bert = load_pretrained_tokenizer("/path/to/tokenizer.json")  # offline
"""

from __future__ import annotations

import os
from pathlib import Path

from course.data import FullTierUnavailable

__all__ = ["load_pretrained_tokenizer", "special_token_ids"]


def load_pretrained_tokenizer(name_or_path: str | os.PathLike = "bert-base-uncased"):
    """A ``tokenizers.Tokenizer`` from a ``tokenizer.json`` file, or by name from the Hugging Face Hub.

    A path that ends in ``.json`` or names an existing file is read offline; anything else is a
    model name on the Hub and needs the network. An unreachable Hub or an unknown name raises
    ``FullTierUnavailable`` with what to do instead; a missing file raises ``FileNotFoundError``.
    """
    from tokenizers import Tokenizer

    text = os.fspath(name_or_path)
    path = Path(text)
    if path.suffix == ".json" or path.is_file():
        if not path.is_file():
            raise FileNotFoundError(f"no tokenizer file at {path}")
        return Tokenizer.from_file(str(path))
    try:
        return Tokenizer.from_pretrained(text)
    except Exception as err:  # noqa: BLE001 - the Hub raises many kinds; all mean the same here
        raise FullTierUnavailable(
            f"could not load the tokenizer {text!r} from the Hugging Face Hub "
            f"({type(err).__name__}: {str(err)[:200]}). Loading a tokenizer by name needs the "
            "network; offline, pass the path of a tokenizer.json file you saved earlier "
            "(tokenizer.save(path)), or train your own as notebook 07 does"
        ) from None


def special_token_ids(tokenizer, tokens=("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")) -> dict[str, int]:
    """``{token: id}`` for the special tokens this tokenizer knows (read from it, never assumed)."""
    found = {}
    for token in tokens:
        token_id = tokenizer.token_to_id(token)
        if token_id is not None:
            found[token] = int(token_id)
    return found
