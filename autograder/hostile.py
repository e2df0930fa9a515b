"""Hostile and broken submissions, built from an assignment's solution, each with the outcome
the grading pipeline must produce. Used by tests/test_grading_pipeline.py and the benchmark.

    python -m autograder.hostile 01_tensors OUT_DIR    # OUT_DIR/lms.zip + roster.csv + cases.json

Each case is one student of an LMS download (``<student>_<timestamp>_<file>``). Exercises are
picked by position, so the suite follows the notebook when exercises change. "Wrong" answers
are catalogued mistakes (tests/mistakes/NN.py) when there are any: they return plausible
values, so a fooled checker would pass them; otherwise the stub.
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from autograder.exercises import load_assignment, replace_solution

ROOT = Path(__file__).resolve().parent.parent
STAMP = "2026-11-20T09-00-00"
LATER = "2026-11-21T18-30-00"


@dataclass
class Expect:
    """What grading one case must produce."""

    status: str = "graded"  # graded | repaired | unreadable | no submission
    lost: tuple[str, ...] | str = ()  # exercises that must lose points; "all" or "none"
    exact: bool = True  # False: these and possibly others (the student broke their own notebook)
    flags: tuple[str, ...] = ()  # substrings each of which some flag must contain
    notes: tuple[str, ...] = ()  # substrings each of which some note must contain
    on_roster: bool = True
    max_feedback_kb: int = 2_000
    feedback_lacks: tuple[str, ...] = ()  # strings that must not be in the feedback page
    feedback_has: tuple[str, ...] = ()  # strings that must be in it (the visible message)


@dataclass
class Case:
    student: str
    what: str  # one line for the README table
    outcome: str  # the expected outcome, in words
    files: list[tuple[str, bytes]] = field(default_factory=list)  # LMS file name, content
    expect: Expect = field(default_factory=Expect)


class Builder:
    """Submissions derived from the solution and the student version of one assignment."""

    def __init__(self, assignment: str, root: Path = ROOT):
        self.assignment = assignment
        self.solution_path = root / "solutions" / assignment / f"{assignment}.ipynb"
        self.stub_path = root / "notebooks" / assignment / f"{assignment}.ipynb"
        self.info = load_assignment(self.solution_path)
        self.exercises = list(self.info.exercises)
        self.solution = json.loads(self.solution_path.read_text(encoding="utf-8"))
        self.stub = json.loads(self.stub_path.read_text(encoding="utf-8"))
        catalogue = root / "tests" / "mistakes" / f"{assignment}.py"
        self.mistakes = {}
        if catalogue.exists():
            from autograder.mistakes import load_catalogue

            self.mistakes = load_catalogue(catalogue)

    # --- pieces ----------------------------------------------------------------------------
    def ex(self, i: int) -> str:
        return self.exercises[i % len(self.exercises)]

    def complete(self) -> dict:
        return copy.deepcopy(self.solution)

    def stubbed(self) -> dict:
        return copy.deepcopy(self.stub)

    @staticmethod
    def index(nb: dict, grade_id: str) -> int:
        for i, cell in enumerate(nb["cells"]):
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
                return i
        raise KeyError(grade_id)

    def tests_of(self, exercise: str) -> list[str]:
        return list(self.info.exercises[exercise].test_ids)

    def wrong(self, nb: dict, exercise: str, prefer: tuple[str, ...] = ("forget", "squared", "ignores")) -> dict:
        """``exercise`` answered by a plausible mistake (values wrong, no exception)."""
        options = self.mistakes.get(exercise, [])
        chosen = next((m for m in options if any(p in m.name for p in prefer)), options[0] if options else None)
        cell = nb["cells"][self.index(nb, exercise)]
        if chosen is None:  # no catalogue: the student version's cell
            cell["source"] = self.stub["cells"][self.index(self.stub, exercise)]["source"]
        else:
            cell["source"] = replace_solution(_src(cell), chosen.code)
        return nb

    def answer(self, nb: dict, exercise: str, code: str) -> dict:
        cell = nb["cells"][self.index(nb, exercise)]
        cell["source"] = replace_solution(_src(cell), code)
        return nb

    @staticmethod
    def insert_after(nb: dict, grade_id: str, source: str) -> dict:
        nb["cells"].insert(Builder.index(nb, grade_id) + 1, _code(source))
        return nb

    def file(self, student: str, nb: dict | bytes, stamp: str = STAMP, name: str | None = None) -> tuple[str, bytes]:
        body = nb if isinstance(nb, bytes) else json.dumps(nb, indent=1).encode()
        return f"{student}_{stamp}_{name or self.assignment + '.ipynb'}", body


def _src(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _code(source: str) -> dict:
    return {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": source}


# --- the cases -------------------------------------------------------------------------------
def build_cases(assignment: str = "01_tensors", root: Path = ROOT) -> list[Case]:
    b = Builder(assignment, root)
    e0, e1, e2, e3, e4, e5 = (b.ex(i) for i in range(6))
    cases: list[Case] = []

    def add(student: str, what: str, outcome: str, nb: dict | bytes | None, expect: Expect,
            files: list[tuple[str, bytes]] | None = None) -> None:
        cases.append(Case(student, what, outcome, files or [b.file(student, nb)], expect))

    # baselines
    add("complete", "the instructor's solution", "every autograded point, no flags",
        b.complete(), Expect(lost="none"))
    add("stub", "the untouched student version", "zero", b.stubbed(), Expect(lost="all"))
    partial = b.stubbed()
    for name in b.exercises[::2]:
        partial["cells"][b.index(partial, name)] = copy.deepcopy(b.solution["cells"][b.index(b.solution, name)])
    add("partial", "every other exercise answered", "points for exactly those exercises",
        partial, Expect(lost=tuple(b.exercises[1::2])))
    add("mistake", f"a catalogued mistake in {e0}", f"loses points in {e0} only",
        b.wrong(b.complete(), e0), Expect(lost=(e0,)))
    add("warns", f"a correct {e0} whose code makes torch print a UserWarning (to stderr) in its tests",
        "every autograded point (stock nbgrader scores any stderr output as a failed test)",
        b.answer(b.complete(), e0, "torch.tensor(torch.zeros(1))  # copy-constructing warns\n"
                 + _solution_body(b, e0)), Expect(lost="none"))

    # execution: loops, crashes, output, memory
    add("infinite_loop", f"`while True: pass` in {e0}",
        "its test cells time out and score zero; all other exercises graded",
        b.answer(b.complete(), e0, "while True:\n    pass"), Expect(lost=(e0,), flags=("timeout in cell",)))
    add("hang_no_interrupt", f"{e1} ignores SIGINT, then loops",
        "the kernel is restarted after the timeout; only that exercise lost",
        b.answer(b.complete(), e1, "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"),
        Expect(lost=(e1,), flags=("kernel hung", "installs a signal handler")))
    add("syntax_error", f"a syntax error in {e2}", f"loses {e2} only",
        b.answer(b.complete(), e2, "return (1 +"), Expect(lost=(e2,)))
    add("sys_exit", "a cell calling sys.exit()", "full marks (IPython turns it into an error in that cell); flagged",
        b.insert_after(b.complete(), e0, "import sys\nsys.exit('bye')"), Expect(lost="none", flags=("calls sys.exit",)))
    add("os_exit", "a cell calling os._exit(1)", "kernel restarted, earlier cells replayed; full marks; flagged",
        b.insert_after(b.complete(), e0, "import os\nos._exit(1)"),
        Expect(lost="none", flags=("kernel died in cell", "calls os._exit")))
    add("segfault", "a cell that segfaults (ctypes.string_at(0))", "kernel restarted; full marks; flagged",
        b.insert_after(b.complete(), e1, "import ctypes\nctypes.string_at(0)"),
        Expect(lost="none", flags=("kernel died in cell", "imports ctypes")))
    add("crash_in_answer", f"{e3} calls os._exit(1)", f"each of its test cells kills the kernel: {e3} lost, rest graded",
        b.answer(b.complete(), e3, "import os\nos._exit(1)"), Expect(lost=(e3,), flags=("kernel died in cell",)))
    add("huge_output", "a cell printing 30 MB", "output cut at 1 MB per cell; full marks; small feedback",
        b.insert_after(b.complete(), e0, "for _ in range(300):\n    print('x' * 100_000)"),
        Expect(lost="none", flags=("output cut",), max_feedback_kb=3_000))
    add("memory_hog", "a cell allocating memory until it fails",
        "MemoryError at the kernel's address-space limit, kernel restarted; full marks; flagged",
        b.insert_after(b.complete(), e0, "def hog():\n    blocks = []\n    while True:\n"
                       "        blocks.append(bytearray(64 * 2**20))\nhog()"),
        Expect(lost="none", flags=("ran out of memory",)))

    # the grading cells themselves
    nb = b.wrong(b.complete(), e0)
    for tid in b.tests_of(e0):
        nb["cells"].pop(b.index(nb, tid))
    add("deleted_tests", f"wrong {e0}, its test cells deleted", f"test cells restored; {e0} lost; flagged",
        nb, Expect(lost=(e0,), flags=("deleted",)))
    nb = b.wrong(b.complete(), e1)
    for tid in b.tests_of(e1):
        nb["cells"][b.index(nb, tid)]["source"] = "pass"
    add("edited_tests", f"wrong {e1}, its test cells replaced by `pass`", f"restored; {e1} lost; flagged",
        nb, Expect(lost=(e1,), flags=("edited",)))
    nb = b.complete()
    moved = [nb["cells"].pop(b.index(nb, tid)) for tid in b.tests_of(e0)]
    nb["cells"].extend(moved)
    add("reordered_tests", f"{e0}'s test cells moved to the end", "graded where they stand: full marks; flagged",
        nb, Expect(lost="none", flags=("reordered",)))
    nb = b.wrong(b.complete(), e2)
    for tid in b.tests_of(e2):
        nb["cells"][b.index(nb, tid)]["metadata"]["nbgrader"]["points"] = 100
    add("points_edited", f"wrong {e2}, its tests' points set to 100", "points restored from the gradebook; flagged",
        nb, Expect(lost=(e2,), flags=("points of",)))
    nb = b.wrong(b.complete(), e3)
    for tid in b.tests_of(e3):
        nb["cells"][b.index(nb, tid)]["metadata"] = {}
    add("metadata_stripped", f"wrong {e3}, nbgrader metadata removed from its tests",
        "missing test cells added back and graded; flagged", nb, Expect(lost=(e3,), flags=("lost its metadata",)))
    nb = b.wrong(b.complete(), e4)
    tags = [["skip-execution"], ["raises-exception", "skip"]]
    for n, tid in enumerate(b.tests_of(e4)):
        nb["cells"][b.index(nb, tid)]["metadata"]["tags"] = tags[n % 2]
    add("execution_tags", f"wrong {e4}, tests tagged skip-execution / raises-exception / skip",
        "tags stripped, tests run; flagged", nb, Expect(lost=(e4,), flags=("tagged",)))

    # monkeypatching
    add("patch_libraries", f"wrong {e0}; rebinds torch.allclose, torch.equal, numpy.allclose, numpy.testing",
        "tests compare plain Python values: still fail (correct answers relying on the patched "
        "functions may fail too); flagged",
        b.insert_after(b.wrong(b.complete(), e0), e0,
                       "import numpy, numpy.testing, torch\ntorch.allclose = lambda *a, **k: True\n"
                       "torch.equal = lambda *a, **k: True\nnumpy.allclose = lambda *a, **k: True\n"
                       "numpy.testing.assert_allclose = lambda *a, **k: None"),
        Expect(lost=(e0,), exact=False, flags=("rebinds torch.allclose", "rebinds numpy.testing.assert_allclose")))
    add("patch_checkers", f"wrong {e1}; rebinds check_close & co. and course.checks",
        "each test cell first re-imports fresh checkers: still fail; flagged",
        b.insert_after(b.wrong(b.complete(), e1), e1,
                       "import course, course.checks\nnoop = lambda *a, **k: None\n"
                       "course.checks.check_close = course.checks.check_equal = noop\n"
                       "course.check_close = course.check_equal = noop\n"
                       "check_close = check_equal = check_shape = check_dtype = check_true = noop"),
        Expect(lost=(e1,), flags=("rebinds course.checks.check_close", "redefines checker")))
    add("patch_builtins", f"wrong {e2}; rebinds builtins abs, isinstance, AssertionError",
        "built-ins put back before every cell: still fail; flagged",
        b.insert_after(b.wrong(b.complete(), e2), e2,
                       "import builtins\nbuiltins.abs = lambda x: 0\nbuiltins.isinstance = lambda *a: True\n"
                       "builtins.AssertionError = StopIteration"),
        Expect(lost=(e2,), flags=("rebinds builtins.abs",)))
    add("hijack_exec", "stub; rebinds builtins.exec so that later cells do nothing",
        "test cells must print a per-run token: none does, all score zero; flagged",
        b.insert_after(b.stubbed(), e0, "import builtins\nbuiltins.exec = lambda *a, **k: None"),
        Expect(lost="all", flags=("rebinds builtins.exec",)))
    add("blank_cells", "stub; an IPython input transformer blanks every later cell",
        "no token from the test cells: all zero; flagged",
        b.insert_after(b.stubbed(), e0, "get_ipython().input_transformers_post.append(lambda lines: [])"),
        Expect(lost="all", flags=("get_ipython",)))
    add("echo_and_hijack", "stub; echoes every cell's source (token included) and rebinds builtins.exec",
        "the source holds the token reversed, so the echo cannot fake it: all zero; flagged",
        b.insert_after(b.stubbed(), e0,
                       "import builtins\nget_ipython().events.register('pre_run_cell', lambda info: "
                       "print(info.raw_cell))\nbuiltins.exec = lambda *a, **k: None"),
        Expect(lost="all", flags=("rebinds builtins.exec", "get_ipython")))
    add("echo_hidden", "a pre_run_cell hook printing every cell's source (hidden tests)",
        "full marks; feedback scrubbed of every hidden-test line; flagged",
        b.insert_after(b.complete(), e0,
                       "get_ipython().events.register('pre_run_cell', lambda info: print(info.raw_cell))"),
        Expect(lost="none", flags=("get_ipython",)))

    # files outside the submission
    add("read_gradebook", "a cell reading ../../../gradebook.db and the solutions",
        "PermissionError from the kernel's guard; full marks; flagged",
        b.insert_after(b.complete(), e0,
                       "import glob\ndata = open('../../../gradebook.db', 'rb').read()\n"
                       "print(glob.glob('../../../solutions/*/*.ipynb'))"),
        Expect(lost="none", flags=("touches files outside its folder", "sandbox refused")))
    steal = ("import json, pathlib\n"
             f"src = pathlib.Path('../../../solutions/{assignment}/{assignment}.ipynb').read_text()\n"
             "for c in json.loads(src)['cells']:\n"
             "    if c['metadata'].get('nbgrader', {}).get('solution'):\n"
             "        exec(''.join(c['source']))")
    add("steal_solution", f"stub; execs the reference {e5} read from solutions/",
        "refused by the guard: scores what the stub scores; flagged",
        b.insert_after(b.stubbed(), e5, steal), Expect(lost="all", flags=("touches files outside", "sandbox refused")))
    add("plant_files", "writes a .pth into site-packages and an IPython start-up file",
        "site-packages is read-only and HOME a private tmpfs: nothing persists; full marks; flagged",
        b.insert_after(b.complete(), e0,
                       "import os, site\n"
                       "open(os.path.expanduser('~/.ipython/profile_default/startup/00-evil.py'), 'w')\n"
                       "open(site.getsitepackages()[0] + '/zz_evil.pth', 'w').write('import os')"),
        Expect(lost="none", flags=("touches files outside", "imports 'site'")))

    # broken files and LMS quirks
    good = json.dumps(b.complete(), indent=1).encode()
    add("malformed_json", "a notebook cut off halfway (invalid JSON)", "zero, flagged, an explanatory feedback page",
        good[: len(good) // 2], Expect(status="unreadable", lost="all", notes=("not valid JSON",)))
    add("not_a_notebook", "valid JSON that is not a notebook", "zero, flagged",
        b'{"hello": "world"}', Expect(status="unreadable", lost="all", notes=("not a notebook",)))
    latin = b.complete()
    latin["cells"].insert(0, {"cell_type": "markdown", "metadata": {}, "source": "Réponses de Zoë, café"})
    add("non_utf8", "the solution saved as cp1252 (not UTF-8)", "re-encoded (original kept): full marks",
        json.dumps(latin, indent=1, ensure_ascii=False).encode("cp1252"),
        Expect(status="repaired", lost="none", notes=("not UTF-8",)))
    add("missing_notebook", "on the roster; uploaded only a .txt", "no submission: zero",
        None, Expect(status="no submission", lost="all"),
        files=[(f"missing_notebook_{STAMP}_{assignment}.txt", b"my answers are in my head")])
    add("wrong_name", f"uploaded as '{assignment} (1).ipynb'", "collected under the right name: full marks; noted",
        None, Expect(lost="none", notes=("submitted as",)),
        files=[b.file("wrong_name", b.complete(), name=f"{assignment} (1).ipynb")])
    add("extra_notebook", "Untitled.ipynb (stub) next to the real notebook, same attempt",
        "the correctly named one is graded: full marks", None, Expect(lost="none"),
        files=[b.file("extra_notebook", b.stubbed(), name="Untitled.ipynb"),
               b.file("extra_notebook", b.complete())])
    add("two_attempts", "an early stub, then the solution a day later", "newest wins (full marks); older kept",
        None, Expect(lost="none"),
        files=[b.file("two_attempts", b.stubbed()), b.file("two_attempts", b.complete(), stamp=LATER)])
    add("late_regret", "the solution, then a stub a day later", "newest wins: zero (the instructor sees both)",
        None, Expect(lost="all"),
        files=[b.file("late_regret", b.complete()), b.file("late_regret", b.stubbed(), stamp=LATER)])
    add("not_on_roster", "the solution from a student missing from the roster", "graded, flagged 'not on the roster'",
        b.complete(), Expect(lost="none", flags=("not on the roster",), on_roster=False))
    cases += sandbox_cases(b, add)
    return cases


# Names an attack leaves behind on the grading machine, checked after the run.
SHM_MARK = "course-hostile-shm"
OUTSIDE_MARK = "course-hostile-outside.txt"


def sandbox_cases(b: Builder, add: Callable) -> list[Case]:
    """The attacks of issue 11: forged verdicts, the guard switched off, harming other students,
    files that used to stop the whole class, leaks, script injection and resources. Each runs
    with honest students in the same download; what they may not do is flagged or refused."""
    e0, e1, e2, e3, e4, e5, e6, e7 = (b.ex(i) for i in range(8))
    a = b.assignment

    # 1. points for nothing: forged results and replaced checkers
    add("displayhook_stub", f"{e0} calls sys.displayhook('x'), then raises NotImplementedError",
        f"a test cell scores only when it ran to its end: {e0} lost; flagged",
        b.answer(b.complete(), e0, "import sys\nsys.displayhook('x')\nraise NotImplementedError()"),
        Expect(lost=(e0,), flags=("imports 'sys'",)))
    add("meta_path", f"wrong {e1}; a sys.meta_path finder serving a fake course.checks",
        "fresh checkers are imported from the read-only course package: still fails; flagged",
        b.insert_after(b.wrong(b.complete(), e1), e1,
                       "import sys, types\nclass F:\n    def find_spec(self, name, path, target=None):\n"
                       "        return None\nsys.meta_path.insert(0, F())\n"
                       "fake = types.ModuleType('course.checks')\nsys.modules['course.checks'] = fake"),
        Expect(lost=(e1,), exact=False, flags=("policy:", "imports 'sys'")))
    add("course_path", f"wrong {e2}; writes checks.py into its folder and prepends it to course.__path__",
        "the prelude's reload may find the fake: whatever it scores, it is flagged",
        b.insert_after(b.wrong(b.complete(), e2), e2,
                       "import course\nopen('checks.py', 'w').write('def check_close(*a, **k): pass\\n')\n"
                       "course.__path__.insert(0, '.')"),
        Expect(lost=(), exact=False, flags=("dunder attribute .__path__",)))
    add("modules_update", f"wrong {e3}; sys.modules.update() with a fake checkers module",
        "whatever it scores, it is flagged", b.insert_after(b.wrong(b.complete(), e3), e3,
                                               "import sys, types\nm = types.ModuleType('x')\n"
                                               "m.check_close = m.check_equal = lambda *a, **k: None\n"
                                               "sys.modules.update({'course.checks': m})"),
        Expect(lost=(), exact=False, flags=("imports 'sys'",)))
    add("settrace_alias", "stub; `t = sys.settrace; t(f)` with a tracer that swallows errors",
        "zero; flagged", b.insert_after(b.stubbed(), e0,
                                        "import sys\nt = sys.settrace\nt(lambda *a: None)"),
        Expect(lost="all", exact=False, flags=("imports 'sys'",)))
    add("thread_rebind", f"wrong {e4}; a thread that keeps rebinding the checkers",
        "a thread can win a race against the prelude: whatever it scores, it is flagged",
        b.insert_after(b.wrong(b.complete(), e4), e4,
                                               "import threading, time\ndef loop():\n    while True:\n"
                                               "        globals()['check_close'] = lambda *a, **k: None\n"
                                               "        time.sleep(0.001)\n"
                                               "threading.Thread(target=loop, daemon=True).start()"),
        Expect(lost=(), exact=False, flags=("imports 'threading'", "uses globals")))
    add("alarm_rebind", f"wrong {e5}; a SIGALRM timer that rebinds the checkers",
        "a timer can win a race against the prelude: whatever it scores, it is flagged",
        b.insert_after(b.wrong(b.complete(), e5), e5,
                                               "import signal\ndef h(*a):\n    globals()['check_close'] = "
                                               "lambda *a, **k: None\nsignal.signal(signal.SIGALRM, h)\n"
                                               "signal.setitimer(signal.ITIMER_REAL, 0.01, 0.01)"),
        Expect(lost=(), exact=False, flags=("imports 'signal'",)))
    add("ast_transformer", "stub; %config InteractiveShell.ast_transformers rewrites every test cell",
        "zero (test cells must print the grader's token); flagged as a magic",
        b.insert_after(b.stubbed(), e0, "import ast\nclass Blank(ast.NodeTransformer):\n"
                       "    def visit_Module(self, node):\n        return ast.Module(body=[], type_ignores=[])\n"
                       "%config InteractiveShell.ast_transformers = [Blank()]"),
        Expect(lost="all", exact=False, flags=("IPython internals",)))
    add("frame_reader", f"{e0} returns an object whose __eq__ reads the expected value from the caller's frame",
        "whatever it scores, it is flagged for review",
        b.answer(b.complete(), e0, "import inspect\nclass Liar:\n    def __eq__(self, other):\n"
                 "        return True\n    def tolist(self):\n        f = inspect.currentframe().f_back\n"
                 "        return f.f_locals.get('expected')\nreturn Liar()"),
        Expect(lost=(), exact=False, flags=("imports 'inspect'", ".f_back")))
    add("getattr_reach", f"wrong {e6}; getattr/setattr reach the checkers by name",
        "still fails; flagged", b.insert_after(b.wrong(b.complete(), e6), e6,
                                               "import course\nsetattr(getattr(course, 'checks'), "
                                               "'check_close', lambda *a, **k: None)"),
        Expect(lost=(e6,), exact=False, flags=("uses getattr", "uses setattr")))
    add("format_dunder", "a format string that walks to a function's globals",
        "full marks (it forges nothing here); flagged", b.insert_after(
            b.complete(), e0, f"print('{{0.__globals__}}'.format({e0})[:0])"),
        Expect(lost="none", flags=("format string",)))

    # 2. the in-kernel guard switched off: the sandbox still holds
    add("guard_off", "stub; empties the guard's lists through gc, then reads solutions/ and the gradebook",
        "nothing of the course exists inside the sandbox: zero; flagged",
        b.insert_after(b.stubbed(), e0,
                       "import gc, glob\nfor o in gc.get_objects():\n    if isinstance(o, list) and o "
                       "and all(isinstance(x, str) and x.startswith('/') for x in o):\n        o.clear()\n"
                       f"print(glob.glob('../../../solutions/*/*.ipynb'), glob.glob('/work/*/solutions/{a}/*'))\n"
                       "print(open('../../../gradebook.db', 'rb').read(10))"),
        Expect(lost="all", exact=False, flags=("imports 'gc'",)))
    add("launcher_shadow", "writes ipykernel_launcher.py and torch.py into its folder, then kills the kernel",
        "the restarted kernel starts from a fresh copy with `python -P`: full marks; flagged",
        b.insert_after(b.complete(), e0,
                       "import os\nfor name in ('ipykernel_launcher.py', 'torch.py'):\n"
                       "    open(name, 'w').write('raise SystemExit(3)\\n')\nos._exit(1)"),
        Expect(lost="none", flags=("imports 'os'", "kernel died")))

    # 3. harming other students and later runs
    add("kill_everyone", "signals every pid it can see and scans /proc for the grader",
        "its PID namespace holds only itself: at worst it kills its own kernel; flagged",
        b.insert_after(b.complete(), e7,
                       "import os, signal\nfor p in os.listdir('/proc'):\n    if p.isdigit() and "
                       "int(p) not in (1, os.getpid()):\n        try:\n            os.kill(int(p), signal.SIGKILL)\n"
                       "        except OSError:\n            pass"),
        Expect(lost=(), exact=False, flags=("imports 'os'",)))
    add("pidfd_kill", "pidfd_send_signal on every pid (no audit event)", "only its own namespace; flagged",
        b.insert_after(b.complete(), e7,
                       "import os, signal\nfor p in range(2, 400):\n    try:\n        fd = os.pidfd_open(p)\n"
                       "        signal.pidfd_send_signal(fd, signal.SIGKILL)\n    except OSError:\n        pass"),
        Expect(lost=(), exact=False, flags=("imports 'os'",)))
    add("inject_kernels", "looks for other kernels' connection files to inject code into them",
        "none exist in its sandbox: full marks; flagged",
        b.insert_after(b.complete(), e0,
                       "import glob, os\nfound = glob.glob('/tmp/**/*.json', recursive=True) + "
                       "glob.glob('/root/**/kernel-*.json', recursive=True)\n"
                       "print([f for f in found if 'kernel' in f and not f.startswith(os.getcwd())])"),
        Expect(lost="none", flags=("imports 'glob'",)))
    add("daemon", "double-forks a daemon that sleeps and then signals everything",
        "everything in the sandbox dies with the kernel; nothing outlives the run; flagged",
        b.insert_after(b.complete(), e0,
                       "import os, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
                       "        time.sleep(600)\n        os.kill(-1, 9)\n    os._exit(0)"),
        Expect(lost="none", flags=("imports 'os'",)))
    add("flock_gradebook", "takes an exclusive flock on the gradebook and its lock file, then sleeps",
        "they do not exist in its sandbox: the class is graded; flagged",
        b.insert_after(b.complete(), e0,
                       "import fcntl\nfor name in ('../../../gradebook.db', '../../../.gradebook.db.lock'):\n"
                       "    try:\n        fcntl.flock(open(name, 'a'), fcntl.LOCK_EX)\n    except OSError as e:\n"
                       "        print(e)"),
        Expect(lost="none", flags=("imports 'fcntl'",)))

    # 4. files that used to stop the whole class
    add("deep_metadata", "a cell's metadata nested 100,000 deep", "unreadable, zero, the reason noted; others graded",
        _deep_json(b.complete(), 100_000), Expect(status="unreadable", lost="all", notes=("nested",)))
    add("huge_expression", "a cell holding a 200,000-term expression",
        "that cell fails in the kernel; full marks; flagged as not analysable (its feedback page "
        "is large: it shows the student's own 400 kB cell)",
        b.insert_after(b.complete(), e0, "x = " + "1+" * 200_000 + "1"),
        Expect(lost="none", flags=("review by hand",), max_feedback_kb=20_000))
    lots = b.complete()
    lots["cells"][b.index(lots, b.tests_of(e0)[0])]["metadata"]["nbgrader"]["points"] = "lots"
    add("points_lots", "`\"points\": \"lots\"` in a test cell's metadata",
        "unreadable, zero, the reason noted; others graded", lots,
        Expect(status="unreadable", lost="all", notes=("is not a number",)))
    add("dotdot_member", "its only file is a zip member named `../<student>_<stamp>_<nb>`",
        "not extracted (listed as refused); no submission", None,
        Expect(status="no submission", lost="all"),
        files=[("../" + b.file("dotdot_member", b.complete())[0], b.file("dotdot_member", b.complete())[1])])
    add("long_member", "a zip member whose name is over 255 bytes", "not extracted (listed); no submission", None,
        Expect(status="no submission", lost="all"),
        files=[(f"long_member_{STAMP}_{'x' * 300}.ipynb", json.dumps(b.complete()).encode())])
    add("zip_bomb", "a 60 MB member that compresses to a few kB", "not extracted (listed); no submission", None,
        Expect(status="no submission", lost="all"),
        files=[b.file("zip_bomb", b" " * (60 * 2**20))])

    # 5. hidden tests leaking into feedback
    add("history_leak", "a last cell printing base64(zlib(In))", "test cells stay out of In; flagged",
        _append(b.complete(), "import base64, zlib\nprint(base64.b64encode(zlib.compress('\\n'.join(In).encode())))"),
        Expect(lost="none", flags=("IPython input history",)))
    add("linecache_leak", f"{e0} reads the caller's source through linecache",
        "flagged (linecache is not an allowed import)",
        b.answer(b.complete(), e0, "import linecache\nprint(len(linecache.cache))\n" +
                 _solution_body(b, e0)),
        Expect(lost=(), exact=False, flags=("imports 'linecache'",)))
    add("visible_message", f"a catalogued mistake in {e0}",
        "loses it, and the visible test's failure message reaches the feedback",
        b.wrong(b.complete(), e0), Expect(lost=(e0,), feedback_has=("AssertionError",)))

    # 6. script injection into feedback and formgrader
    add("markdown_xss", "markdown with <img onerror>, <script> and a javascript: link",
        "rendered inert (no handler, script or link survives); full marks",
        _append(b.complete(), "<img src=x onerror=\"alert('xss-img')\"><script>alert('xss-script')</script>"
                "[click](javascript:alert('xss-link'))", markdown=True),
        Expect(lost="none", feedback_lacks=("onerror=", "<script>alert", "javascript:alert")))
    add("js_output", "an output with _repr_javascript_ and an HTML output with an onload handler",
        "JS output dropped, HTML sanitised; full marks", _append(
            b.complete(), "class J:\n    def _repr_javascript_(self):\n        return \"alert('xss-js')\"\n"
            "    def _repr_html_(self):\n        return \"<b onmouseover=alert('xss-html')>hi</b>\"\n"
            "display(J())"),
        Expect(lost="none", feedback_lacks=("<script>alert('xss-js')", "<b onmouseover")))

    # 7. resources
    add("fork_bomb", "forks until refused (children sleep)", "refused at the process limit; full marks",
        b.insert_after(b.complete(), e0,
                       "import os, time\nn = 0\nwhile n < 2000:\n    try:\n        pid = os.fork()\n"
                       "    except OSError as e:\n        print('refused after', n, e)\n        break\n"
                       "    if pid == 0:\n        time.sleep(5)\n        os._exit(0)\n    n += 1"),
        Expect(lost="none", flags=("imports 'os'",)))
    add("disk_fill", "writes 2 GiB into its folder", "stopped at the folder's size limit; nothing reaches "
        "feedback/; full marks", b.insert_after(
            b.complete(), e0, "block = b'0' * 2**20\ntry:\n    with open('fill.bin', 'wb') as fh:\n"
            "        for _ in range(2048):\n            fh.write(block)\nexcept OSError as e:\n    print(e)"),
        Expect(lost="none"))
    add("shm_and_outside", "writes into /dev/shm and three folders up", "private tmpfs: nothing outlives the run",
        b.insert_after(b.complete(), e0,
                       f"for name in ('/dev/shm/{SHM_MARK}', '../../../{OUTSIDE_MARK}', '/tmp/{OUTSIDE_MARK}'):\n"
                       "    try:\n        open(name, 'w').write('x')\n    except OSError as e:\n        print(e)"),
        Expect(lost="none"))
    add("network", "opens sockets to the outside and to loopback", "no network in the sandbox; full marks; flagged",
        b.insert_after(b.complete(), e0,
                       "import socket\nfor host in ('1.1.1.1', '127.0.0.1'):\n    try:\n"
                       "        socket.create_connection((host, 80), timeout=1)\n    except OSError as e:\n"
                       "        print(host, e)"),
        Expect(lost="none", flags=("imports 'socket'",)))
    add("other_students", "reads other students' submissions and autograded folders",
        "they do not exist in its sandbox: full marks; flagged",
        b.insert_after(b.complete(), e0,
                       "import glob\nprint(glob.glob('../../*/*/*.ipynb') + glob.glob('../../../submitted/*/*/*'))"),
        Expect(lost="none", flags=("imports 'glob'",)))
    return []


def _deep_json(nb: dict, depth: int) -> bytes:
    """``nb`` as JSON with one cell's metadata nested ``depth`` levels deep (built as text:
    Python's json cannot write it)."""
    text = json.dumps(nb, indent=1)
    marker = '"metadata": {'
    at = text.index(marker, text.index('"cells"'))
    deep = '"deep": ' + '{"x": ' * depth + "{}" + "}" * depth + ", "
    return (text[: at + len(marker)] + deep + text[at + len(marker):]).encode()


def _append(nb: dict, source: str, markdown: bool = False) -> dict:
    cell = _code(source) if not markdown else {"cell_type": "markdown", "metadata": {}, "source": source}
    nb["cells"].append(cell)
    return nb


def _solution_body(b: Builder, exercise: str) -> str:
    """The reference answer of ``exercise``, unindented, as a student would type it."""
    import textwrap

    from autograder.exercises import solution_regions

    src = _src(b.solution["cells"][b.index(b.solution, exercise)])
    first, last, _ = solution_regions(src)[0]
    return textwrap.dedent("\n".join(src.split("\n")[first:last + 1]))


UNMATCHED = ["README.txt", "notes_from_the_lms.ipynb"]  # names that fit no pattern: ignored, listed


def write_lms_zip(cases: list[Case], path: Path, extra: Callable[[zipfile.ZipFile], None] | None = None) -> Path:
    """The whole suite as one LMS download, plus files whose names fit no pattern."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for case in cases:
            for name, body in case.files:
                z.writestr(f"submissions/{name}", body)
        for name in UNMATCHED:
            z.writestr(f"submissions/{name}", b"{}")
        if extra:
            extra(z)
    return path


def write_roster(cases: list[Case], path: Path, extra: list[str] = ()) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "first_name", "last_name", "email"])
        for sid in [c.student for c in cases if c.expect.on_roster] + list(extra):
            w.writerow([sid, sid.split("_")[0].title(), "Student", f"{sid}@example.edu"])
    return path


def markdown_table(cases: list[Case], summary: dict | None = None) -> str:
    """The suite as a Markdown table; with a grading summary, the observed outcome too."""
    rows = {r["student"]: r for r in (summary or {}).get("students", [])}
    head = "| # | student | submission | expected outcome |" + (" observed |" if rows else "")
    lines = [head, "|" + "---|" * (5 if rows else 4)]
    for n, case in enumerate(cases, 1):
        line = f"| {n} | `{case.student}` | {case.what} | {case.outcome} |"
        if rows:
            r = rows.get(case.student)
            if r is None:
                line += " (not graded) |"
            else:
                shown = [f for f in r["flags"] if not f.startswith("cell ") or "refused" in f][:2]
                shown += [f.split(": ", 1)[-1] for f in r["flags"] if f.startswith("cell ")][:2]
                flag = f"; flags: {', '.join(dict.fromkeys(shown))}" if r["flags"] else ""
                note = f"; note: {r['notes'][0][:90]}" if r["notes"] and not r["flags"] else ""
                line += f" {r['status']}, {r['score']:g}/{r['max_auto']:g}{flag}{note} |"
        lines.append(line)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("assignment")
    parser.add_argument("out", type=Path)
    parser.add_argument("--table", type=Path, metavar="SUMMARY_JSON",
                        help="print the suite as a Markdown table with the outcomes of a graded run")
    args = parser.parse_args(argv)
    cases = build_cases(args.assignment)
    if args.table:
        print(markdown_table(cases, json.loads(args.table.read_text())))
        return 0
    write_lms_zip(cases, args.out / "lms.zip")
    write_roster(cases, args.out / "roster.csv")
    (args.out / "cases.json").write_text(json.dumps(
        [{k: v for k, v in asdict(c).items() if k != "files"} for c in cases], indent=1))
    print(f"{len(cases)} cases -> {args.out / 'lms.zip'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
