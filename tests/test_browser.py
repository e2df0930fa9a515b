"""The course in a real browser: the student's lab and the instructor's, as a person meets them.

Playwright drives Debian's Chromium (/usr/bin/chromium; `.ci/run` installs it). Two Jupyter
servers start once for the module, on free ports with a token, in temporary folders:
- the student lab, started the way the student copy's `make lab` starts it (from notebooks/,
  with the student-side config of `jupyter/` on JUPYTER_CONFIG_PATH) in a fresh student copy
  written by `autograder.release`;
- the instructor's lab (`make formgrader`) in a throw-away course directory.
Screenshots go to $COURSE_SCREENSHOTS when it is set.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ASSIGNMENT = "01_tensors"
TOKEN = "course-browser-test"
ROOT = Path(__file__).resolve().parent.parent
# What `make test` (or a grading run) exports and a student's shell does not have.
NOT_A_STUDENT = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MPLBACKEND",
                 "COURSE_DEVICE", "NBGRADER_EXECUTION", "PYTEST_XDIST_WORKER", "JUPYTER_CONFIG_PATH")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A Jupyter server started in its own process group, stopped with the module."""

    def __init__(self, name: str, cwd: Path, root: Path, side: Path, extra_env: dict[str, str]):
        self.name, self.port, self.log = name, _free_port(), side / f"{name}.log"
        env = {k: v for k, v in os.environ.items()
               if k not in NOT_A_STUDENT and not k.startswith("COURSE_SANDBOX")}
        env.update({
            "IPYTHONDIR": str(side / "ipython"), "JUPYTER_CONFIG_DIR": str(side / f"{name}-config"),
            "JUPYTER_RUNTIME_DIR": str(side / f"{name}-runtime"),
            "MPLCONFIGDIR": str(side / "matplotlib"), "JUPYTER_DATA_DIR": str(side / "data"),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            **extra_env,
        })
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--allow-root", "--no-browser",
             "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
             f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
            cwd=cwd, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def get(self, path: str) -> int:
        try:
            with urllib.request.urlopen(f"{self.url}{path}?token={TOKEN}", timeout=10) as r:
                return r.status
        except urllib.error.HTTPError as err:
            return err.code

    def wait(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"the {self.name} server exited ({self.proc.returncode}):\n{self.log_text()}")
            try:
                if self.get("/api/status") == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        pytest.fail(f"the {self.name} server did not answer within {timeout} s:\n{self.log_text()}")

    def log_text(self, limit: int | None = 4000) -> str:
        text = self.log.read_text(errors="replace")
        return text[-limit:] if limit else text

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


SHORT_UNTIL = "test_linear_forward_hidden"  # short notebooks end with exercise 1's tests


def grading(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def short(nb: dict) -> dict:
    """The notebook up to exercise 1's tests: a written question and one exercise, so that
    Validate and grading take seconds rather than a whole notebook's run."""
    end = next(i for i, c in enumerate(nb["cells"]) if grading(c).get("grade_id") == SHORT_UNTIL)
    return {**nb, "cells": nb["cells"][: end + 1]}


def answered(student: Path) -> dict:
    """The student notebook with every answer cell filled in from solutions/."""
    from autograder.sample_class import STUDENT_ANSWER

    source = json.loads((ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
    answers = {grading(c)["grade_id"]: c["source"] for c in source["cells"] if grading(c).get("solution")}
    nb = json.loads(student.read_text())
    for cell in nb["cells"]:
        if grading(cell).get("solution"):
            code = cell["cell_type"] == "code"
            cell["source"] = answers[grading(cell)["grade_id"]] if code else STUDENT_ANSWER
    return nb


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """The student copy's lab and the instructor's formgrader lab, started together."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's Chromium (`apt-get install -y chromium`, "
                    "what .ci/run does), or point COURSE_CHROMIUM at a Chromium binary")
    from autograder import release
    from autograder.sample_class import make_course

    base = tmp_path_factory.mktemp("browser")
    copy = release.write(base / "student-copy", [ASSIGNMENT])
    folder = copy / "notebooks" / ASSIGNMENT
    student_nb = json.loads((folder / f"{ASSIGNMENT}.ipynb").read_text())
    (folder / "short.ipynb").write_text(json.dumps(short(student_nb)))
    (folder / "short-complete.ipynb").write_text(json.dumps(short(answered(folder / f"{ASSIGNMENT}.ipynb"))))
    course = make_course(base / "course", ASSIGNMENT)
    side = base / "side"
    side.mkdir()
    # as the student copy's `make lab` does: jupyter/prepare.py --stamp notebooks, then
    # `cd notebooks && jupyterlab` with jupyter/ on the config path
    subprocess.run([sys.executable, str(copy / "jupyter" / "prepare.py"), "--stamp", str(copy / "notebooks")],
                   env={**os.environ, "JUPYTER_DATA_DIR": str(side / "data")}, check=True)
    student = Server("student", copy / "notebooks", copy / "notebooks", side,
                     {"JUPYTER_CONFIG_PATH": str(copy / "jupyter")})
    instructor = Server("instructor", course, course, side, {})
    # the feedback page is graded meanwhile (nbgrader subprocesses), for the last two tests
    pool = ThreadPoolExecutor(1)
    feedback = pool.submit(grade_feedback, base, folder / f"{ASSIGNMENT}.ipynb")
    try:
        student.wait()
        instructor.wait()
        yield {"student": student, "instructor": instructor, "copy": copy, "course": course,
               "feedback": feedback}
    finally:
        student.stop()
        instructor.stop()
        pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _shot(page, name: str) -> None:
    folder = os.environ.get("COURSE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def open_notebook(page, server: Server, path: str, notebook: Path) -> None:
    """Open ``path`` in the lab and wait until every cell of it is in the page, kernel idle."""
    page.goto(f"{server.url}/lab/tree/{path}?reset&token={TOKEN}")  # reset: only this notebook
    count = len(json.loads(notebook.read_text())["cells"])
    page.wait_for_function(f"() => document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) "
                           f".jp-Notebook .jp-Cell').length === {count}", timeout=60_000)
    page.wait_for_selector("#jp-main-statusbar >> text=/Idle/", timeout=90_000)


def student_notebook(servers) -> Path:
    return servers["copy"] / "notebooks" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"


def cells(page):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")


def cell_index(page, notebook: Path, starts: str) -> int:
    """The index of the first cell of ``notebook`` whose source starts with ``starts``, scrolled
    into view in the page (the lab renders cell editors lazily)."""
    for i, cell in enumerate(json.loads(notebook.read_text())["cells"]):
        if "".join(cell["source"]).lstrip().startswith(starts):
            cells(page).nth(i).scroll_into_view_if_needed()
            return i
    raise AssertionError(f"no cell of {notebook.name} starts with {starts!r}")


def run_menu(page, menu: str, label: str) -> None:
    page.locator(".lm-MenuBar-item", has_text=re.compile(f"^{menu}$")).click()
    page.locator(".lm-Menu:visible .lm-Menu-item", has_text=re.compile(f"^{label}")).first.click()


def menu_labels(page, menu: str, shot: str = "") -> list[str]:
    page.locator(".lm-MenuBar-item", has_text=re.compile(f"^{menu}$")).click()
    labels = page.locator(".lm-Menu:visible .lm-Menu-itemLabel").all_inner_texts()
    if shot:
        _shot(page, shot)
    page.keyboard.press("Escape")
    return labels


def test_student_lab_runs_everything_with_plots_and_the_local_device(servers, page):
    """Run All on the untouched student notebook: every cell runs (the unanswered exercises'
    test cells show their error and the run goes on), every figure appears, and the setup cell
    picks the device itself rather than a grading setting."""
    nb_path = student_notebook(servers)
    open_notebook(page, servers["student"], f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb", nb_path)
    _shot(page, "01-student-opened")
    assert page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty").count() == 0, (
        "the untouched notebook shows as modified once its kernel started (kernel metadata differs "
        "from what JupyterLab writes: student/jupyter/prepare.py --stamp)")
    nb = json.loads(nb_path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    run_menu(page, "Run", "Run All Cells")
    prompts = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt")
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline:
        texts = [t.strip() for t in prompts.all_text_contents()]
        if len(texts) == len(code) and "[*]:" not in texts and re.fullmatch(r"\[\d+\]:", texts[-1]):
            break
        time.sleep(1)
    _shot(page, "02-student-run-all")
    texts = [t.strip() for t in prompts.all_text_contents()]
    not_run = [i for i, t in enumerate(texts) if not re.fullmatch(r"\[\d+\]:", t)]
    assert not not_run, (f"Run All stopped: {len(not_run)} of {len(code)} code cells did not run "
                         f"(first: code cell {not_run[0]}); every code cell but the setup and the "
                         "answers must carry the 'raises-exception' tag (autograder/build.py)")
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count()
    assert errors >= 8, f"expected the unanswered exercises' test cells to show errors, saw {errors}"
    # a figure cell that needs an unanswered exercise stops with its error; every other one shows
    figures_shown, missing = 0, []
    for i, source in enumerate("".join(c["source"]) for c in nb["cells"]):
        if "plt.show()" not in source:
            continue
        cell = cells(page).nth(i)
        cell.scroll_into_view_if_needed()
        if cell.locator(".jp-OutputArea-output img").count():
            figures_shown += 1
        elif not cell.locator("[data-mime-type='application/vnd.jupyter.stderr']").count():
            missing.append(i)
    assert not missing and figures_shown, (
        f"figure cells {missing} ran without an error but show no image ({figures_shown} shown): "
        "plots are not reaching the lab (a grading backend such as MPLBACKEND=Agg in the server's "
        "environment?)")
    # the kernel's own view: no grading settings, torch's default threads
    last = cells(page).nth(len(nb["cells"]) - 1)
    last.scroll_into_view_if_needed()
    last.click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")
    page.keyboard.press("Enter")
    page.keyboard.type("import json, os, torch; print(json.dumps({'threads': torch.get_num_threads(), "
                       "'env': {k: v for k, v in os.environ.items() if k.startswith(('COURSE_DEVICE', "
                       "'COURSE_SANDBOX', 'NBGRADER', 'MPLBACKEND', 'OMP_', 'MKL_'))}}))")
    page.keyboard.press("Shift+Enter")
    probe = cells(page).nth(len(nb["cells"])).locator(".jp-OutputArea-output")
    probe.first.wait_for()
    seen = json.loads(probe.first.text_content())
    default = subprocess.run([sys.executable, "-c", "import torch; print(torch.get_num_threads())"],
                             env={k: v for k, v in os.environ.items() if k not in NOT_A_STUDENT},
                             capture_output=True, text=True, check=True).stdout.strip()
    inline = {"MPLBACKEND": "module://matplotlib_inline.backend_inline"}  # ipykernel sets it
    assert seen in ({"threads": int(default), "env": {}}, {"threads": int(default), "env": inline}), (
        f"the lab's kernel sees {seen}; a student's kernel has torch's default {default} threads "
        "and no grading variables (the lab must not load the instructor's grading config)")
    setup = cells(page).nth(cell_index(page, nb_path, "import math")).locator(".jp-OutputArea").text_content()
    assert "Using device:" in setup, f"the setup cell printed no device line: {setup!r}"
    assert "(requested)" not in setup, (
        f"the setup cell says {setup.strip()!r}: the lab's kernels got COURSE_DEVICE from a grading "
        "config; the student lab must not load the instructor's nbgrader_config.py")


def test_student_lab_locks_test_cells(servers, page):
    """Typing into a test cell and deleting it are refused; an exercise cell takes typing."""
    nb_path = student_notebook(servers)
    open_notebook(page, servers["student"], f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb", nb_path)
    test_i = cell_index(page, nb_path, "# Checks linear_forward")
    exercise_i = cell_index(page, nb_path, "def linear_forward")
    before = cells(page).count()
    for i, should_change in ((exercise_i, True), (test_i, False)):
        editor = cells(page).nth(i).locator(".cm-content")
        text = editor.inner_text()
        editor.click()
        page.keyboard.type("qqq")  # no command-mode shortcut, should a locked cell leave edit mode
        changed = editor.inner_text() != text
        assert changed == should_change, (
            f"typing into cell {i} {'was refused' if should_change else 'changed it'}: "
            + ("the exercise cell must stay editable" if should_change else
               "test cells must keep nbgrader's editable: false (autograder/build.py)"))
    _shot(page, "03-student-typed")
    page.keyboard.press("Escape")
    cells(page).nth(test_i).locator(".jp-InputPrompt").click()
    page.keyboard.press("Escape")
    page.keyboard.press("d")
    page.keyboard.press("d")
    time.sleep(0.5)
    _shot(page, "04-student-delete-refused")
    assert cells(page).count() == before, "a test cell was deleted: it must keep deletable: false"
    assert cells(page).nth(test_i).locator(".cm-content").inner_text().startswith("# Checks linear_forward")
    # the same keys do delete an ordinary cell, so the refusal above is the lock's doing
    plain = cell_index(page, nb_path, "ids = torch.tensor")
    cells(page).nth(plain).locator(".jp-InputPrompt").click()
    page.keyboard.press("Escape")
    page.keyboard.press("d")
    page.keyboard.press("d")
    page.wait_for_function(f"() => document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) "
                           f".jp-Notebook .jp-Cell').length === {before - 1}", timeout=5_000)
    page.keyboard.press("z")  # undo, so that an autosave keeps the notebook whole


def validate(page) -> str:
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Toolbar").get_by_text("Validate").click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for()
    page.wait_for_function(
        "() => { const d = document.querySelector('.jp-Dialog'); "
        "return d && !/Validating/i.test(d.innerText) }", timeout=150_000)
    return dialog.inner_text()


def test_validate_reports_failing_and_passing_notebooks(servers, page):
    """The Validate button on the first exercise unanswered, then answered (short notebooks)."""
    folder = student_notebook(servers).parent
    open_notebook(page, servers["student"], f"{ASSIGNMENT}/short.ipynb", folder / "short.ipynb")
    failing = validate(page)
    _shot(page, "05-validate-failing")
    assert re.search(r"fail|error", failing, re.I) and "NotImplementedError" in failing, (
        f"Validate on the unanswered notebook did not report failing tests: {failing[:500]!r}")
    page.locator(".jp-Dialog").get_by_role("button", name="Ok").click()
    open_notebook(page, servers["student"], f"{ASSIGNMENT}/short-complete.ipynb",
                  folder / "short-complete.ipynb")
    passing = validate(page)
    _shot(page, "05-validate-passing")
    assert re.search(r"Success", passing) and "NotImplementedError" not in passing, (
        f"Validate on the complete notebook did not pass: {passing[:800]!r}")


def test_formgrader_only_in_the_instructor_lab(servers, page):
    student, instructor = servers["student"], servers["instructor"]
    assert student.get("/formgrader") == 404, "the student lab serves formgrader"
    open_notebook(page, student, f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb", student_notebook(servers))
    labels = menu_labels(page, "Nbgrader", "06-student-menu")
    assert "Assignment List" in labels, f"the student lab's Nbgrader menu: {labels}"
    assert not {"Formgrader", "Course List"} & set(labels), f"instructor tools in the student lab: {labels}"
    assert page.locator("text=Create Assignment").count() == 0, "Create Assignment shows in the student lab"
    assert page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Toolbar").get_by_text("Validate").count() == 1

    assert instructor.get("/formgrader") == 200, f"no formgrader in the instructor lab:\n{instructor.log_text()}"
    page.goto(f"{instructor.url}/lab?token={TOKEN}")
    page.wait_for_selector(".lm-MenuBar-item")
    labels = menu_labels(page, "Nbgrader", "07-instructor-menu")
    assert "Formgrader" in labels, f"the instructor lab's Nbgrader menu: {labels}"
    run_menu(page, "Nbgrader", "Formgrader")
    frame = page.frame_locator("iframe").first
    frame.locator("text=Manage Assignments").first.wait_for(timeout=60_000)
    _shot(page, "08-instructor-formgrader")


# --- feedback: what a student gets back ------------------------------------------------------
PWN = "window.__pwned = (window.__pwned || []).concat"


def grade_feedback(base: Path, student: Path) -> Path:
    """Feedback for a complete submission that carries an equation and four script injections
    (markdown <img onerror> and <script>, a Javascript output, an HTML output with onerror)."""
    from autograder.sample_class import grade_class, make_course, submit

    course = make_course(base / "feedback-course", ASSIGNMENT,
                         extra_config="from autograder import feedback as _feedback\n"
                                      "_feedback.configure(c)\n")
    source = course / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    source.write_text(json.dumps(short(json.loads(source.read_text())), indent=1))
    nb = short(answered(student))
    nb["cells"][1:1] = [
        {"cell_type": "markdown", "id": "eve-md", "metadata": {}, "source":
         "An equation: $h_t = \\tanh(W_{hh} h_{t-1} + b)$.\n\n"
         f"<img src=\"x\" onerror=\"{PWN}('markdown img')\">\n\n<script>{PWN}('markdown script')</script>"},
        {"cell_type": "code", "id": "eve-code", "metadata": {}, "execution_count": 1, "outputs": [
            {"output_type": "display_data", "metadata": {}, "data": {
                "application/javascript": f"{PWN}('js output')", "text/plain": "<js>"}},
            {"output_type": "display_data", "metadata": {}, "data": {
                "text/html": f"<img src=\"x\" onerror=\"{PWN}('html output')\">", "text/plain": "<img>"}}],
         "source": "from IPython.display import HTML, Javascript, display\n"
                   f"display(Javascript(\"{PWN}('js output')\"))\n"
                   f"display(HTML('<img src=\"x\" onerror=\"{PWN}(`html output`)\">'))"},
    ]
    submit(course, ASSIGNMENT, "eve", nb)
    result = grade_class(course, ASSIGNMENT, ["eve"])["eve"]
    if result.feedback is None:
        raise RuntimeError(f"no feedback was generated in {course / 'feedback'}")
    return result.feedback


@pytest.fixture(scope="module")
def feedback_page(servers) -> Path:
    """The feedback page, graded in the background while the lab tests ran."""
    return servers["feedback"].result(timeout=300)


def _submitted_notebook(feedback: Path) -> Path:
    course = feedback.parents[3]
    return course / "submitted" / "eve" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"


def _offline_page(browser, javascript: bool):
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.route(re.compile(r"^https?://"), lambda route: route.abort())
    return context, page, requests


def test_feedback_reads_offline_with_named_exercises_and_equations(feedback_page, browser):
    """With no script and no network: every graded cell named, the equation drawn as MathML."""
    context, page, requests = _offline_page(browser, javascript=False)
    try:
        page.goto(feedback_page.as_uri())
        _shot(page, "09-feedback-summary")
        summary = page.locator("#toc li").all_inner_texts()
        assert summary, "the feedback page has no score summary"
        unnamed = [t for t in summary if t.startswith(("Test cell", "Written response"))]
        assert not unnamed, (f"{len(unnamed)} of {len(summary)} summary lines name no exercise: "
                             f"{unnamed[:3]} (autograder/feedback.py NameExercises + course_feedback template)")
        assert any(t.startswith("Exercise 1: a linear layer by hand, visible checks") for t in summary), summary
        equation = page.locator("math").first
        assert equation.count() and equation.is_visible(), "the equation is not MathML on the feedback page"
        text = page.locator("body").inner_text()
        assert "\\tanh" not in text and "$h_t" not in text, "the equation shows as raw LaTeX"
        off_machine = [u for u in requests if not u.startswith(("file:", "data:"))]
        assert not off_machine, f"the feedback page asks the network for {off_machine[:3]}"
    finally:
        context.close()


def test_feedback_runs_no_script_from_the_submission(feedback_page, browser, tmp_path):
    """The submission's injections run in a plain nbconvert page of the submitted notebook (so
    they are live), and none of them runs on the feedback page (the sanitiser, issue 11)."""
    import nbformat
    from nbconvert import HTMLExporter

    plain = tmp_path / "plain.html"
    submitted = nbformat.read(_submitted_notebook(feedback_page), as_version=4)
    plain.write_text(HTMLExporter().from_notebook_node(submitted)[0])
    context, page, _ = _offline_page(browser, javascript=True)
    try:
        page.goto(plain.as_uri())
        page.wait_for_timeout(1000)
        live = page.evaluate("() => window.__pwned || []")
        assert {"markdown img", "html output"} <= set(live), (
            f"the injections did not run even without sanitising ({live}): this test proves nothing")
        page.goto(feedback_page.as_uri())
        page.wait_for_timeout(1000)
        _shot(page, "10-feedback-scripts")
        ran = page.evaluate("() => window.__pwned || []")
        assert not ran, f"the submission's scripts ran on the feedback page: {ran}"
    finally:
        context.close()


def test_student_lab_log_has_no_warnings(servers):
    """After everything above, the student server logged no warning or error but the 404 this
    module asked for on purpose (formgrader's URL)."""
    lines = [line for line in servers["student"].log_text(limit=None).splitlines()
             if line.startswith(("[W", "[E", "[C")) and "404 GET /formgrader" not in line]
    assert not lines, "the student lab's log warns:\n" + "\n".join(lines[:10])
