"""Unpacking an LMS download without trusting it (stage 1 of the pipeline: collect).

``nbgrader zip_collect`` extracts every archived download before it collects, and one hostile
member (``../`` in its name, a name longer than the file system allows, a zip bomb, a bad CRC)
used to stop the whole class, in this run and every later one, because downloads are kept.
:class:`SafeExtractor` replaces nbgrader's extractor (``--extractor=`` or the config): each
member is checked on its own, what cannot be extracted safely is skipped and listed in
``<downloaded>/<A>/extract-report.json`` with the reason, and every other member is extracted.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import zipfile
from pathlib import Path

from nbgrader.plugins.zipcollect import ExtractorPlugin
from traitlets import Integer

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
