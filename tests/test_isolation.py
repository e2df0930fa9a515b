"""The grading kernel's bubblewrap sandbox, the safe zip extractor and the notebook reader, each
checked directly (the hostile class in test_grading_pipeline.py checks them end to end)."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from autograder.grading import isolation
from autograder.grading.collect import SafeExtractor, read_report, safe_member_path

needs_bwrap = pytest.mark.skipif(isolation.check_bwrap() is not None,
                                 reason=f"bubblewrap unusable here: {isolation.check_bwrap()}")

PROBE = r"""
import json, os, socket, sys
out = {"cwd": os.getcwd(), "files": sorted(os.listdir(".")), "uid": os.getuid(), "pid": os.getpid(),
       "procs": sorted(p for p in os.listdir("/proc") if p.isdigit()),
       "repo": sorted(os.listdir(%(root)r)), "env": sorted(os.environ), "path0": sys.path[:1],
       "shm": os.listdir("/dev/shm"), "hash": os.environ.get("PYTHONHASHSEED"),
       "shadow": os.path.exists("/etc/shadow"), "sys": os.path.exists("/sys/fs/cgroup"),
       "extra": sorted(os.listdir(%(extra)r))}
try:
    socket.create_connection(("127.0.0.1", 22), timeout=1)
    out["net"] = "connected"
except OSError as e:
    out["net"] = type(e).__name__
open("written.txt", "w").write("x")
kdir = os.path.dirname(sys.argv[sys.argv.index("-f") + 1])
out["kdir"] = []
for folder in [kdir] + [os.path.join(kdir, d) for d in os.listdir(kdir)] + [kdir + ".stage"]:
    try:
        open(os.path.join(folder, "fill.bin"), "wb").write(b"x")
        out["kdir"].append(folder)
    except OSError:
        pass
print(json.dumps(out))
"""


def _run(cells: list[str], cwd: Path, timeout: int = 20, seal: bool = True, read_only: tuple = ()):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    client = NotebookClient(nb, kernel_name="python3", timeout=timeout, allow_errors=True,
                            interrupt_on_timeout=True, kernel_manager_class=isolation.SandboxedKernelManager,
                            resources={"metadata": {"path": str(cwd)}})
    client.km = client.create_kernel_manager()
    client.km.env = {"PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}
    client.km.guard = False
    client.km.pids_max = 64
    client.km.read_only = [str(p) for p in read_only]
    if seal:
        client.on_cell_start = lambda **kw: client.km.seal()
    client.execute()
    return nb


def _text(cell) -> str:
    return "".join(o.get("text", "") + o.get("ename", "") for o in cell.outputs)


@needs_bwrap
def test_a_sandboxed_kernel_sees_only_what_it_needs(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_TEST_SECRET", "leak")
    made: list[Path] = []
    real = isolation.make_cgroups

    def spy(*args):
        got = real(*args)
        made.extend(got)
        return got

    monkeypatch.setattr(isolation, "make_cgroups", spy)
    work, extra = tmp_path / "work", tmp_path / "extra"  # both under /tmp, like a clone in /tmp
    work.mkdir()
    extra.mkdir()
    (extra / "library.py").write_text("")
    (work / "beside.txt").write_text("given")
    tmp_path = work
    nb = _run([PROBE % {"root": str(ROOT), "extra": str(extra)},
               "import time\nwhile True:\n    time.sleep(0.01)",  # interrupted at the timeout
               "import os\nn = 0\ntry:\n    while n < 500:\n        if os.fork() == 0:\n"
               "            import time; time.sleep(3); os._exit(0)\n        n += 1\nexcept OSError:\n"
               "    print('refused at', n)"], tmp_path, timeout=6, read_only=(extra,))
    out = json.loads(_text(nb.cells[0]).strip().splitlines()[-1])
    assert out["cwd"] == str(tmp_path) and out["files"] == ["beside.txt"]
    assert out["repo"] == sorted({"course", "data", ".venv"} & set(os.listdir(ROOT))), out["repo"]
    assert out["uid"] != 0, "the kernel runs as an unprivileged user"
    assert len(out["procs"]) <= 3, f"it sees only its own PID namespace: {out['procs']}"
    assert out["net"] != "connected"
    assert "COURSE_TEST_SECRET" not in out["env"] and out["hash"] == "0"
    assert out["path0"] != [""] and out["shm"] == []
    assert not out["shadow"] and not out["sys"], "no secrets of the machine, no /sys"
    assert out["extra"] == ["library.py"], "a read-only folder under /tmp is not hidden by the private /tmp"
    if os.geteuid() == 0:
        assert out["kdir"] == [], f"the kernel could write on the grader's disk in {out['kdir']}"
    assert not (tmp_path / "written.txt").exists(), "what the kernel writes stays in its tmpfs"
    assert "KeyboardInterrupt" in _text(nb.cells[1]), "the interrupt reaches the kernel inside"
    assert "refused at" in _text(nb.cells[2]), "the process limit holds"
    assert made, "the kernel ran in cgroups"
    assert not [p for p in made if p.exists()], f"cgroups left behind: {made}"


def test_safe_member_paths():
    assert safe_member_path("a/b/s1_2026-11-20T09-00-00_01.ipynb")[0] == "a/b/s1_2026-11-20T09-00-00_01.ipynb"
    assert safe_member_path("./x//y")[0] == "x/y"
    for bad, why in (("../x.ipynb", "'..'"), ("a/../../x", "'..'"), ("x" * 300, "255 bytes"),
                     ("a\x00b", "NUL"), ("", "empty")):
        rel, reason = safe_member_path(bad)
        assert rel is None and why in reason, (bad, reason)
    assert safe_member_path("/etc/passwd")[0] == "etc/passwd"


def test_the_extractor_refuses_members_one_by_one(tmp_path):
    archive, extracted = tmp_path / "archive", tmp_path / "dl" / "extracted"
    archive.mkdir()
    with zipfile.ZipFile(archive / "lms.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("ok/s1_2026-11-20T09-00-00_01.ipynb", "{}")
        z.writestr("../escape.ipynb", "{}")
        z.writestr("y" * 300 + ".ipynb", "{}")
        z.writestr("big.ipynb", b" " * (3 * 2**20))
    (archive / "broken.zip").write_bytes(b"PK\x03\x04 not really a zip")
    SafeExtractor(max_member_mb=2).extract(str(archive), str(extracted))
    assert (extracted / "lms" / "ok" / "s1_2026-11-20T09-00-00_01.ipynb").exists()
    assert not (tmp_path / "dl" / "escape.ipynb").exists() and not (tmp_path / "escape.ipynb").exists()
    report = read_report(tmp_path / "dl")
    whys = " | ".join(f"{r['member'][:20]}: {r['why']}" for r in report)
    assert "'..'" in whys and "255 bytes" in whys and "uncompressed" in whys, whys
    assert len(report) == 3, whys


@pytest.mark.parametrize("mutate, why", [
    (lambda nb: nb["cells"][0]["metadata"].update(nbgrader={"points": "lots"}), "is not a number"),
    (lambda nb: nb["cells"][0]["metadata"].update(nbgrader={"grade_id": 5}), "grade_id"),
    (lambda nb: nb["cells"][0]["metadata"].update(nbgrader={"grade": "yes"}), "true or false"),
    (lambda nb: nb["cells"][0].update(metadata=[1]), "not a cell"),
])
def test_malformed_nbgrader_metadata_makes_one_notebook_unreadable(mutate, why):
    from autograder.grade import read_notebook_bytes

    nb = {"cells": [{"cell_type": "code", "metadata": {}, "source": "", "outputs": [], "execution_count": None}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    assert read_notebook_bytes(json.dumps(nb).encode())[0] is not None
    mutate(nb)
    data, how = read_notebook_bytes(json.dumps(nb).encode())
    assert data is None and why in how, how


def test_json_nested_100000_deep_is_unreadable_not_a_crash():
    from autograder.grade import read_notebook_bytes

    raw = ('{"cells": [], "metadata": ' + '{"x": ' * 100_000 + "{}" + "}" * 100_000 + "}").encode()
    data, how = read_notebook_bytes(raw)
    assert data is None and ("RecursionError" in how or "nested" in how), how


def test_make_grade_refuses_without_bubblewrap_unless_told(monkeypatch, capsys):
    from autograder.grading import pipeline

    monkeypatch.setattr(isolation, "check_bwrap", lambda: "bubblewrap (bwrap) is not installed")
    monkeypatch.delenv("COURSE_ALLOW_UNSANDBOXED", raising=False)
    with pytest.raises(SystemExit) as refused:
        pipeline.require_sandbox(False)
    assert "not installed" in str(refused.value) and "--allow-unsandboxed" in str(refused.value)
    mode = pipeline.require_sandbox(True)
    assert mode.startswith("NONE") and os.environ["COURSE_ALLOW_UNSANDBOXED"] == "1"
    assert "not sandboxed" in capsys.readouterr().err
    monkeypatch.setattr(isolation, "check_bwrap", lambda: None)
    assert pipeline.require_sandbox(False) == "bubblewrap" and "COURSE_ALLOW_UNSANDBOXED" not in os.environ


def test_a_sweep_spares_the_cgroups_of_live_graders(tmp_path):
    """Two graders on one machine: one run's clean-up must not kill the other's kernels."""
    import subprocess
    import sys

    made = isolation.make_cgroups(f"{os.getpid()}-ktest-live", 8, 2**28)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = isolation.make_cgroups(f"{int(dead.stdout)}-ktest-stale", 8, 2**28)
    if not made:
        pytest.skip("cgroups cannot be written here")
    try:
        isolation.sweep_cgroups()
        assert all(p.exists() for p in made), "a live grader's cgroup was swept"
        assert not any(p.exists() for p in stale), "a dead grader's cgroup was left behind"
    finally:
        isolation.remove_cgroups(made + stale)


def test_the_unsandboxed_fallback_still_gives_grading_settings_and_the_guard(tmp_path):
    """--allow-unsandboxed: no bubblewrap, but the kernel gets the grading settings, keeps its
    folder off sys.path (a planted torch.py is not imported) and installs the in-kernel guard."""
    import nbformat
    from nbclient import NotebookClient
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT / "autograder")).load_config()
    (tmp_path / "torch.py").write_text("raise SystemExit('the planted torch.py was imported')\n")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import os, sys, torch\n"
        "print(os.environ.get('MPLBACKEND'), sys.flags.safe_path, torch.__file__.endswith('torch.py'))\n"
        f"try:\n    os.listdir({str(ROOT / 'solutions')!r})\n    print('read solutions')\n"
        "except PermissionError:\n    print('refused')")]
    client = NotebookClient(nb, kernel_name="python3", timeout=60, allow_errors=True,
                            kernel_manager_class=isolation.UnsandboxedKernelManager,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.km = client.create_kernel_manager()
    client.km.env = dict(config.UnsandboxedKernelManager.env)  # what the course config gives it
    client.execute()
    out = _text(nb.cells[0]).split()
    assert out[:3] == ["Agg", "True", "False"], out
    assert out[-1] == "refused", "the in-kernel guard keeps the course's folders closed"
