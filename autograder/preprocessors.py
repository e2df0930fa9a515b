"""nbgrader preprocessors that close holes in the defaults (see shared NBGRADER_NOTES).

They subclass ``NbGraderPreprocessor``: nbgrader silently skips preprocessors that do not.
"""

from __future__ import annotations

import json
import re
import secrets
from queue import Empty
from time import monotonic

from jupyter_core.utils import ensure_async, run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Bool, Integer, List, Unicode

from autograder.exercises import split_hidden

# A claim comment with the spaces before it (the sentence it guards keeps its punctuation).
CLAIM_COMMENT = re.compile(r"[ \t]*<!--\s*claim:.*?-->", re.DOTALL)

# Cell metadata that makes nbclient skip a cell or tolerate its error.
EXECUTION_TAGS = ("skip-execution", "raises-exception", "skip", "skip-test")


class StripExecutionTags(NbGraderPreprocessor):
    """Remove every tag and execution hint a student could use to skip a test cell."""

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        meta = cell.setdefault("metadata", NotebookNode())
        tags = list(meta.get("tags", []))
        if tags:
            self.log.info("Stripping tags %s from cell %d", tags, index)
            meta.pop("tags", None)
        for key in ("execution", "skip", "jupyter_skip"):
            meta.pop(key, None)
        return cell, resources


class StripClaims(NbGraderPreprocessor):
    """Drop the ``<!-- claim: ... -->`` comments (autograder.claims) from Markdown cells.

    They check the instructor's run; a student who opens a cell to edit it would read them as
    noise or as hints (some evaluate an exercise's function). Runs first in generate_assignment,
    before nbgrader computes checksums and saves cells, so the gradebook and the release agree.
    """

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        if cell.cell_type == "markdown" and "claim:" in cell.source:
            cell.source = CLAIM_COMMENT.sub("", cell.source)
        return cell, resources


class StripGradeTracebacks(NbGraderPreprocessor):
    """Replace tracebacks in grade cells by the exception's one-line summary.

    A traceback quotes the source lines of the failing test, which for hidden tests would
    leak them into the feedback. The exception type and message stay: they teach.
    """

    note = Unicode(
        "(traceback removed: the test's code is not shown in feedback)"
    ).tag(config=True)

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        grade = cell.get("metadata", {}).get("nbgrader", {}).get("grade", False)
        if cell.cell_type != "code" or not grade:
            return cell, resources
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                summary = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
                output["traceback"] = [summary, self.note]
        return cell, resources


class RemoveSourceOfHiddenCells(NbGraderPreprocessor):
    """Blank the source of grade cells whose grade_id is listed (belt and braces for feedback)."""

    grade_ids = List(Unicode(), default_value=[]).tag(config=True)

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in self.grade_ids:
            cell.source = "# (test source withheld)"
        return cell, resources


class ResilientExecute(Execute):
    """nbgrader's Execute, made hard to crash by one student's notebook.

    - A cell that kills the kernel (``os._exit``, a segfault, memory exhaustion) gets an error
      output and zero points; the kernel is restarted, the cells that ran before it are replayed
      silently, and grading goes on, so later cells are still graded.
    - A cell that times out and leaves the kernel unresponsive (it ignores the interrupt), or
      that runs out of memory (the kernel would keep the memory, held by the traceback), is
      treated the same way instead of failing every later cell.
    - A cell's output is capped at ``max_output_bytes``; error outputs are always kept and a
      dropped stderr stream still counts as stderr, so cutting output never raises a grade.
    - Every autograded test cell must prove it ran to its end: a random token printed after
      its last line has to come back, or the cell scores zero. A student cell that rebinds
      ``builtins.exec`` or tampers with IPython so that later cells silently do nothing
      would otherwise earn full marks. ``grade_cell_prelude`` (one line) runs first in each
      test cell, e.g. to restore the course's checkers.
    """

    max_output_bytes = Integer(
        1_000_000, help="Bytes of output kept per cell; the rest is dropped with a note."
    ).tag(config=True)
    max_kernel_restarts = Integer(
        3, help="Kernel restarts per notebook; after that, remaining cells are not run."
    ).tag(config=True)
    probe_timeout = Integer(
        10, help="Seconds a kernel gets to answer after an interrupted timeout before a restart."
    ).tag(config=True)
    verify_grade_cells = Bool(
        True, help="Require each autograded test cell to print a per-run token at its end."
    ).tag(config=True)
    grade_cell_prelude = Unicode(
        "", help="One line of code run at the start of every autograded test cell."
    ).tag(config=True)
    test_timeout = Integer(
        0, help="Seconds per autograded test cell (0: the same as every other cell)."
    ).tag(config=True)

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        """Test cells run outside IPython's history: ``In``, ``_ih`` and ``_i`` never hold a
        hidden test for a student's later cell to print."""
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            store_history = False
        return await super().async_execute_cell(cell, cell_index, execution_count, store_history)

    execute_cell = run_sync(async_execute_cell)

    def _get_timeout(self, cell: NotebookNode | None) -> int | None:
        grade = cell is not None and cell.get("metadata", {}).get("nbgrader", {}).get("grade")
        if grade and self.test_timeout > 0:
            return self.test_timeout
        return super()._get_timeout(cell)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict | None = None, km=None):
        self._replay: list[int] = []
        self._restarts = 0
        self._out_bytes: dict[int, int] = {}
        self._cut: dict[int, set[str]] = {}
        self._nonce = ""
        self._nonce_seen = False
        return super().preprocess(nb, resources, km)

    # --- output cap -------------------------------------------------------------------
    def output(self, outs, msg, display_id, cell_index):
        msg_type = msg.get("msg_type")
        content = msg.get("content", {})
        if msg_type == "error":
            content["traceback"] = list(content.get("traceback", []))[-60:]
            return super().output(outs, msg, display_id, cell_index)
        size = len(content.get("text", "")) + sum(
            len(v) if isinstance(v, str) else len(json.dumps(v)) for v in content.get("data", {}).values()
        )
        used = self._out_bytes.get(cell_index, 0) + size
        self._out_bytes[cell_index] = used
        if self._nonce and self._nonce in content.get("text", ""):
            self._nonce_seen = True
        if used > self.max_output_bytes:
            kind = content.get("name", msg_type) if msg_type == "stream" else msg_type
            self._cut.setdefault(cell_index, set()).add(kind)
            return None
        return super().output(outs, msg, display_id, cell_index)

    def _note_cut(self, cell: NotebookNode, index: int) -> None:
        kinds = self._cut.pop(index, None)
        if not kinds:
            return
        note = f"[grader: output cut after {self.max_output_bytes} bytes]\n"
        cell.outputs.append(NotebookNode(output_type="stream", name="stdout", text=note))
        if "stderr" in kinds:
            cell.outputs.append(NotebookNode(output_type="stream", name="stderr", text=note))

    # --- crashes and unresponsive kernels -----------------------------------------------
    @staticmethod
    def _error(cell: NotebookNode, ename: str, evalue: str) -> None:
        cell.outputs.append(NotebookNode(
            output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]))

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, index: int):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade") or not self.verify_grade_cells:
            return self._run_cell(cell, resources, index)
        original = cell.source
        self._nonce, self._nonce_seen = f"grader-ran-{secrets.token_hex(12)}", False
        try:
            cell.source = self.wrap_test(original, self._nonce, self.grade_cell_prelude)
            cell, resources = self._run_cell(cell, resources, index)
        finally:
            cell.source = original
        self._nonce_seen |= self._strip_nonce(cell)
        # nbgrader credits a cell at its first execute_result, before looking at a later error;
        # a test cell here scores only when it ran to its end with no error (none ends on a value)
        for out in cell.outputs:
            if out.get("output_type") == "execute_result":
                out["output_type"] = "display_data"
                out.pop("execution_count", None)
        failed = any(o.get("output_type") == "error" for o in cell.outputs)
        if not failed:
            # nbgrader scores a cell that wrote to stderr as failed; a warning (a deprecation, torch
            # copying a tensor) is not a failure: the cell passes when it ran to its end, no error
            for out in cell.outputs:
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    out["name"] = "stdout"
        if not failed and not self._nonce_seen and cell.source.strip():
            self._error(cell, "GradingIntegrityError", "this test cell did not run to its end "
                        "(something in the notebook skipped or intercepted its code)")
        self._nonce = ""
        return cell, resources

    @staticmethod
    def wrap_test(source: str, nonce: str, prelude: str = "") -> str:
        """``source`` with ``prelude`` first and a token printed last; the value of a final
        expression is still the cell's result (nbgrader reads partial credit from it)."""
        import ast

        try:
            tree = ast.parse(source)
        except SyntaxError:
            return source
        if not tree.body:
            return source
        lines = source.split("\n")
        head = [prelude.strip()] if prelude.strip() else []
        last = tree.body[-1]
        # the source holds the token reversed: a hook that echoes cell sources cannot fake it
        token = f"print({nonce[::-1]!r}[::-1])"
        if isinstance(last, ast.Expr):
            expr = ast.get_source_segment(source, last.value)
            before = lines[: last.lineno - 1] + [lines[last.lineno - 1][: last.col_offset]]
            after = lines[last.end_lineno - 1][last.end_col_offset:].strip()
            quiet = ";" if after.startswith(";") or source.rstrip().endswith(";") else ""
            body = "\n".join(before).rstrip()
            return "\n".join(head + [body, f"_grader_value = ({expr})", token, f"_grader_value{quiet}"])
        return "\n".join(head + [source, token])

    def _strip_nonce(self, cell: NotebookNode) -> bool:
        seen = False
        for out in list(cell.outputs):
            if out.get("output_type") == "stream" and self._nonce in out.get("text", ""):
                seen = True
                out["text"] = out["text"].replace(self._nonce + "\n", "").replace(self._nonce, "")
                if not out["text"]:
                    cell.outputs.remove(out)
        return seen

    def _run_cell(self, cell: NotebookNode, resources: ResourcesDict, index: int):
        seal = getattr(self.km, "seal", None)  # a sandboxed kernel's folder closes before student code
        if seal is not None:
            seal()
        if cell.cell_type != "code" or not cell.source.strip():
            return super().preprocess_cell(cell, resources, index)
        if self._restarts > self.max_kernel_restarts:
            cell.outputs = []
            self._error(cell, "KernelDied", "not run: the kernel died too often in earlier cells")
            return cell, self.resources
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._note_cut(cell, index)
            self._error(cell, "KernelDied", "the kernel died while running this cell (os._exit, a "
                        "crash or too much memory); later cells ran in a restarted kernel")
            self._restart()
            return cell, self.resources
        except CellTimeoutError:
            self._note_cut(cell, index)
            self._error(cell, "CellTimeoutError", "the cell ran past its time limit")
            if not self._responsive():
                self._error(cell, "KernelUnresponsive", "the kernel ignored the interrupt after "
                            "the timeout; later cells ran in a restarted kernel")
                self._restart()
            return cell, self.resources
        self._note_cut(cell, index)
        errors = [o for o in cell.outputs if o.get("output_type") == "error"]
        timed_out = any(o.get("ename") == "CellTimeoutError" for o in errors)
        out_of_memory = any(o.get("ename") == "MemoryError" or "can't allocate memory" in str(o.get("evalue"))
                            for o in errors)
        if out_of_memory:
            self._error(cell, "KernelRestarted", "this cell ran out of memory; later cells ran in a "
                        "restarted kernel")
            self._restart()
        elif not timed_out:
            self._replay.append(index)
        elif not self._responsive():
            self._error(cell, "KernelUnresponsive", "the kernel ignored the interrupt after the "
                        "timeout; later cells ran in a restarted kernel")
            self._restart()
        return cell, self.resources

    def _wait(self, msg_id: str, timeout: float) -> dict | None:
        async def wait() -> dict | None:
            deadline = monotonic() + timeout
            while (left := deadline - monotonic()) > 0:
                try:
                    msg = await ensure_async(self.kc.shell_channel.get_msg(timeout=left))
                except Empty:
                    return None
                if msg.get("parent_header", {}).get("msg_id") == msg_id:
                    return msg
            return None

        return run_sync(wait)()

    def _responsive(self) -> bool:
        try:
            return self._wait(self.kc.execute("", silent=True, store_history=False),
                              self.probe_timeout) is not None
        except Exception:  # noqa: BLE001 - a dead kernel is an unresponsive one
            return False

    def _restart(self) -> None:
        self._restarts += 1
        if self._restarts > self.max_kernel_restarts:
            return
        self.log.warning("Restarting the kernel (%d) and replaying %d cells",
                         self._restarts, len(self._replay))
        run_sync(self.km.restart_kernel)(now=True)
        run_sync(self.kc.wait_for_ready)(timeout=self.startup_timeout)
        for i in self._replay:
            source = self.nb.cells[i].source
            msg_id = self.kc.execute(source, silent=True, store_history=False, stop_on_error=False)
            if self._wait(msg_id, self._get_timeout(self.nb.cells[i]) or 600) is None:
                break


class ScrubHiddenTestEchoes(NbGraderPreprocessor):
    """Remove any output that repeats a line of hidden test code (feedback only).

    A student's cell can register an IPython hook that prints the source of every cell it
    sees, so the hidden tests would come back in the test cells' output. Runs before
    ClearHiddenTests, which needs the hidden source still in place to find it. Hidden-test
    regions in cells that are not grade cells (a student's copy) are dropped here, where
    ClearHiddenTests would stop the whole feedback with an error.
    """

    begin = Unicode("BEGIN HIDDEN TESTS").tag(config=True)
    end = Unicode("END HIDDEN TESTS").tag(config=True)
    min_chars = Integer(12, help="Shorter hidden lines are too common to match on.").tag(config=True)
    note = Unicode("(output removed by the grader: it repeated hidden test code)").tag(config=True)

    def hidden_lines(self, nb: NotebookNode) -> set[str]:
        """Lines that occur only in hidden blocks: a line the student can also read in a visible
        test (``_out = f(_x)``) is no secret, and the visible failure message must survive."""
        lines: set[str] = set()
        visible: set[str] = set()
        for cell in nb.cells:
            shown, hidden = split_hidden(cell.get("source", ""), self.begin, self.end)
            lines.update(line.strip() for line in hidden if len(line.strip()) >= self.min_chars)
            visible.update(line.strip() for line in shown)
        return lines - visible

    def _without_region(self, source: str) -> str:
        return "\n".join(split_hidden(source, self.begin, self.end)[0])

    @staticmethod
    def _texts(output: NotebookNode) -> list[str]:
        texts = [output.get("text", ""), output.get("evalue", "")]
        texts += list(output.get("traceback", []))
        for value in output.get("data", {}).values():
            texts.append(value if isinstance(value, str) else json.dumps(value))
        return [t if isinstance(t, str) else "".join(t) for t in texts]

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict):
        hidden = self.hidden_lines(nb)
        for cell in nb.cells:  # markers in a student's own cell would make ClearHiddenTests fail
            grade = cell.get("metadata", {}).get("nbgrader", {}).get("grade")
            if not grade and self.begin in cell.get("source", ""):
                cell.source = self._without_region(cell.source)
        if not hidden:
            return nb, resources
        for cell in nb.cells:
            for n, output in enumerate(cell.get("outputs", [])):
                if any(line in text for text in self._texts(output) for line in hidden):
                    self.log.warning("Removing an output that repeats hidden test code")
                    cell.outputs[n] = NotebookNode(output_type="stream", name="stdout",
                                                   text=self.note + "\n")
        return nb, resources
