"""nbgrader preprocessors that close holes in the defaults (see shared NBGRADER_NOTES).

They subclass ``NbGraderPreprocessor``: nbgrader silently skips preprocessors that do not.
"""

from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import List, Unicode

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
