"""Stage 1, collect: the archived LMS downloads, unpacked without trusting them, then
nbgrader's zip_collect with our file-name rules; the roster and the list of attempts.

``nbgrader zip_collect`` extracts every archived download before it collects, and one hostile
member (``../`` in its name, a name longer than the file system allows, a zip bomb, a bad CRC)
used to stop the whole class, in this run and every later one, because downloads are kept.
:class:`SafeExtractor` replaces nbgrader's extractor (``--extractor=`` or the config): each
member is checked on its own, what cannot be extracted safely is skipped and listed in
``<downloaded>/<A>/extract-report.json`` with the reason, and every other member is extracted.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
import re
import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from nbgrader.plugins import FileNameCollectorPlugin
from nbgrader.plugins.zipcollect import ExtractorPlugin
from traitlets import Integer, Unicode

from autograder.grading.common import (
    Settings,
    expected_notebooks,
    file_sha,
    gradebook,
    run_nbgrader,
)

DEFAULT_REGEXP = (
    r"(?:.*/)?(?P<student_id>[A-Za-z0-9][\w.@+-]*?)_"
    r"(?P<timestamp>\d{4}-?\d\d-?\d\d(?:[T_ ]?)\d\d[-:]?\d\d[-:]?\d\d(?:Z|UTC)?)_"
    r"(?P<file_id>[^/]+)$"
)


# --- LMS file names -----------------------------------------------------------------------
def normalize_timestamp(text: str) -> str:
    """``2026-11-20T09-15-00Z`` (and variants) -> ``2026-11-20 09:15:00 UTC`` for nbgrader."""
    digits = re.sub(r"\D", "", text)
    if len(digits) != 14:
        raise ValueError(f"timestamp {text!r} does not have 14 digits (YYYYMMDDhhmmss)")
    stamp = dt.datetime.strptime(digits, "%Y%m%d%H%M%S")
    return stamp.strftime("%Y-%m-%d %H:%M:%S UTC")


@dataclass
class Attempt:
    path: str
    student: str
    timestamp: str
    file_id: str
    renamed_from: str = ""
    chosen: bool = False


def parse_download(path: str, regexp: str, expected: list[str]) -> Attempt | None:
    """One file of an LMS download as an attempt, or None when its name does not fit.

    A notebook with the wrong name (``01_tensors (1).ipynb``, ``Untitled.ipynb``) counts as the
    assignment's notebook when the assignment has one notebook and the same attempt (student
    and timestamp) holds no correctly named one.
    """
    if not path.endswith(".ipynb"):
        return None
    m = re.match(regexp, path)
    if not m:
        return None
    info = m.groupdict()
    try:
        stamp = normalize_timestamp(info.get("timestamp") or "")
    except ValueError:
        return None
    attempt = Attempt(path, info["student_id"], stamp, info["file_id"])
    if attempt.file_id in expected:
        return attempt
    if len(expected) != 1:
        return None
    folder = os.path.dirname(path)
    for sibling in os.listdir(folder or "."):
        other = re.match(regexp, os.path.join(folder, sibling))
        if other and other["student_id"] == attempt.student and other["file_id"] in expected:
            with contextlib.suppress(ValueError):
                if normalize_timestamp(other["timestamp"]) == stamp:
                    return None
    attempt.renamed_from, attempt.file_id = attempt.file_id, expected[0]
    return attempt


class LmsCollector(FileNameCollectorPlugin):
    """zip_collect plugin: our LMS file names, normalised timestamps, forgiving notebook names."""

    named_regexp = Unicode(DEFAULT_REGEXP).tag(config=True)

    def collect(self, submitted_file: str) -> dict | None:
        coursedir = self.parent.coursedir
        expected = expected_notebooks(
            Path(coursedir.root), coursedir.assignment_id, coursedir.source_directory)
        try:
            attempt = parse_download(submitted_file, self.named_regexp, expected)
        except Exception as err:  # noqa: BLE001 - one odd name never stops the collection
            self.log.warning("Skipping %s: %s", submitted_file, err)
            return None
        if attempt is None:
            self.log.warning("Skipping %s: its name does not fit %s", submitted_file, self.named_regexp)
            return None
        if attempt.renamed_from:
            self.log.warning("Collecting %s as %s", attempt.renamed_from, attempt.file_id)
        return {"student_id": attempt.student, "timestamp": attempt.timestamp,
                "file_id": attempt.file_id}


def scan_downloads(extracted: Path, regexp: str, expected: list[str]) -> tuple[list[Attempt], list[str]]:
    """Every attempt found in an extracted download (newest per student marked chosen), and
    the files that were not collected."""
    attempts, ignored = [], []
    for path in sorted(str(p) for p in extracted.rglob("*") if p.is_file()):
        attempt = parse_download(path, regexp, expected)
        if attempt is None:
            ignored.append(os.path.relpath(path, extracted))
        else:
            attempts.append(attempt)
    newest: dict[tuple[str, str], Attempt] = {}
    for a in attempts:  # same order and tie-break as zip_collect: later wins on equal stamps
        key = (a.student, a.file_id)
        if key not in newest or a.timestamp >= newest[key].timestamp:
            newest[key] = a
    for a in newest.values():
        a.chosen = True
    return attempts, ignored


def import_roster(settings: Settings, roster: Path) -> list[str]:
    """Add or update every student of a CSV roster (id,first_name,last_name,email)."""
    if not roster.is_file():
        raise SystemExit(f"no roster file {roster}: give ROSTER=path/to/class.csv "
                         "(id,first_name,last_name,email) or --no-roster")
    try:
        with open(roster, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
    except (UnicodeDecodeError, csv.Error) as err:
        raise SystemExit(f"{roster} is not a UTF-8 CSV file ({err}); export the roster as CSV UTF-8") from None
    if rows and "id" not in rows[0]:
        raise SystemExit(f"{roster}: the roster needs an 'id' column (id,first_name,last_name,email)")
    ids = []
    with gradebook(settings) as gb:
        for row in rows:
            sid = (row.get("id") or "").strip()
            if not sid:
                continue
            fields = {k: (row.get(k) or "").strip() or None for k in ("first_name", "last_name", "email")}
            gb.update_or_create_student(sid, **fields)
            ids.append(sid)
    return ids


def zip_problem(archive: Path) -> str:
    """Why ``archive`` is not a usable zip file, or "" when it is one."""
    import zipfile

    if not zipfile.is_zipfile(archive):
        return "is not a zip file"
    try:
        with zipfile.ZipFile(archive) as z:
            bad = z.testzip()
    except Exception as err:  # noqa: BLE001 - BadZipFile, zlib.error, EOFError...: all mean damaged
        return f"is a damaged zip file ({type(err).__name__}: {err})"
    return f"is a damaged zip file (member {bad!r} fails its CRC check)" if bad else ""


def collect_zip(settings: Settings, archive: Path, regexp: str) -> tuple[list[Attempt], list[str]]:
    """Archive the LMS download (kept for good) and run nbgrader's zip_collect over all of them."""
    course = Path(settings.course)
    if not archive.exists():
        raise SystemExit(f"no such file: {archive}")
    problem = zip_problem(archive)
    if problem:  # checked before archiving: a bad file kept there would break every later run
        raise SystemExit(f"{archive} {problem}; download the submissions from the LMS again "
                         "(nothing was collected or changed)")
    downloads = course / "downloaded" / settings.assignment
    store = downloads / "archive"
    store.mkdir(parents=True, exist_ok=True)
    digest = file_sha(archive)[:10]
    if not any(p.stem.endswith(digest) for p in store.iterdir()):
        shutil.copy2(archive, store / f"{archive.stem}-{digest}{archive.suffix}")
    run_nbgrader(course, "zip_collect", settings.assignment, "--force",
                 "--collector=autograder.grading.collect.LmsCollector",
                 "--extractor=autograder.grading.collect.SafeExtractor",
                 f"--LmsCollector.named_regexp={regexp}", db_url=settings.db_url)
    expected = expected_notebooks(course, settings.assignment, settings.source_dir)
    from autograder.grading.collect import read_report

    attempts, ignored = scan_downloads(downloads / "extracted", regexp, expected)
    refused = [f"{r.get('member', '?')[:80]!r} in {r.get('archive', '?')}: not extracted ({r.get('why', '')})"
               for r in read_report(downloads)]
    return attempts, refused + ignored


def write_attempts(report: Path, attempts: list[Attempt]) -> None:
    report.mkdir(parents=True, exist_ok=True)
    with open(report / "attempts.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["student", "timestamp", "file", "collected_as", "chosen"])
        for a in sorted(attempts, key=lambda a: (a.student, a.timestamp)):
            w.writerow([a.student, a.timestamp, a.path, a.file_id, a.chosen])


REPORT = "extract-report.json"


def safe_member_path(name: str, max_component_bytes: int = 255, max_path_bytes: int = 1024) -> tuple[str | None, str]:
    """(relative path to extract to, "") or (None, why it is refused)."""
    if "\x00" in name:
        return None, "a NUL byte in its name"
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return None, "'..' in its name (it would land outside the extraction folder)"
    if not parts:
        return None, "an empty name"
    for p in parts:
        if len(p.encode("utf-8", "surrogateescape")) > max_component_bytes:
            return None, f"a name part longer than {max_component_bytes} bytes"
    rel = "/".join(parts)
    if len(rel.encode("utf-8", "surrogateescape")) > max_path_bytes:
        return None, f"a path longer than {max_path_bytes} bytes"
    return rel, ""


class SafeExtractor(ExtractorPlugin):
    """Extract each download member by member, within bounds (see the module docstring)."""

    max_members = Integer(20_000, help="Members read per archive.").tag(config=True)
    max_member_mb = Integer(50, help="Largest member extracted, MB (uncompressed).").tag(config=True)
    max_total_mb = Integer(2_000, help="Bytes extracted per archive, MB.").tag(config=True)

    def extract(self, archive_path: str, extracted_path: str) -> None:
        refused: list[dict] = []
        os.makedirs(extracted_path, exist_ok=True)
        for entry in sorted(os.listdir(archive_path)):
            src = os.path.join(archive_path, entry)
            if not os.path.isfile(src):
                continue
            try:
                if zipfile.is_zipfile(src):
                    self._unzip(src, os.path.join(extracted_path, Path(entry).stem), refused)
                else:
                    rel, why = safe_member_path(entry)
                    if rel is None:
                        refused.append({"archive": entry, "member": entry, "why": why})
                        continue
                    shutil.copyfile(src, os.path.join(extracted_path, rel))
            except Exception as err:  # noqa: BLE001 - one bad archive never stops the others
                refused.append({"archive": entry, "member": "*", "why": f"{type(err).__name__}: {str(err)[:200]}"})
        report = Path(extracted_path).parent / REPORT
        with contextlib.suppress(OSError):
            report.write_text(json.dumps(refused, indent=1, ensure_ascii=True))
        for item in refused:
            self.log.warning("Not extracted: %s in %s (%s)", item["member"][:120], item["archive"], item["why"])

    def _unzip(self, src: str, dest: str, refused: list[dict]) -> None:
        name = os.path.basename(src)
        budget = self.max_total_mb * 2**20
        with zipfile.ZipFile(src) as zf:
            infos = zf.infolist()
            if len(infos) > self.max_members:
                refused.append({"archive": name, "member": "*",
                                "why": f"{len(infos)} members; only the first {self.max_members} read"})
            for info in infos[: self.max_members]:
                member = info.filename
                if info.is_dir():
                    continue
                mode = info.external_attr >> 16
                if stat.S_ISLNK(mode):
                    refused.append({"archive": name, "member": member, "why": "a symbolic link"})
                    continue
                rel, why = safe_member_path(member)
                if rel is None:
                    refused.append({"archive": name, "member": member, "why": why})
                    continue
                limit = min(self.max_member_mb * 2**20, budget)
                if info.file_size > limit:
                    refused.append({"archive": name, "member": member,
                                    "why": f"{info.file_size:,} bytes uncompressed (limit {limit:,})"})
                    continue
                target = os.path.join(dest, rel)
                try:
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    written = 0
                    with zf.open(info) as fin, open(target, "wb") as fout:
                        while chunk := fin.read(1 << 20):
                            written += len(chunk)
                            if written > limit:  # the header lied about the size
                                raise ValueError(f"more than {limit:,} bytes uncompressed")
                            fout.write(chunk)
                    budget -= written
                except Exception as err:  # noqa: BLE001 - CRC errors, bombs, odd names
                    with contextlib.suppress(OSError):
                        os.remove(target)
                    refused.append({"archive": name, "member": member, "why": f"{type(err).__name__}: {str(err)[:160]}"})


def read_report(downloads: Path) -> list[dict]:
    try:
        data = json.loads((downloads / REPORT).read_text())
        return data if isinstance(data, list) else []
    except (OSError, ValueError):
        return []
