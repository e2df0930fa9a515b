"""Feedback and executed-notebook HTML that reads offline: named exercises, equations as MathML.

- ``NameExercises`` labels every graded cell with its exercise ("Exercise 1: a linear layer by
  hand, visible checks"), which ``templates/course_feedback`` shows in the score summary instead
  of nbgrader's "Test cell" for each.
- ``MathToMathML`` turns ``$...$`` and ``$$...$$`` in markdown cells into MathML when the HTML is
  written (latex2mathml). Browsers draw MathML themselves: no MathJax, no CDN, no script at all,
  so equations show offline and in a page that runs no scripts. An expression it cannot convert
  stays as its LaTeX source and is logged.
- ``configure(c)`` puts both into nbgrader's GenerateFeedback (autograder/nbgrader_config.py);
  ``html_exporter()`` is the same for the executed solutions of ``make demo``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

TEMPLATES = Path(__file__).resolve().parent / "templates"
FEEDBACK_TEMPLATE = "course_feedback"
HTML_TEMPLATE = "course_html"

# fenced code, inline code spans (kept as they are), display math, inline math
_MATH = re.compile(
    r"(?P<fence>^(?P<f>```|~~~).*?^(?P=f)[ \t]*$)"
    r"|(?P<code>(?P<ticks>`+).+?(?P=ticks))"
    r"|(?<!\\)\$\$(?P<display>.+?)(?<!\\)\$\$"
    r"|(?<![\\$\w])\$(?P<inline>[^\s$](?:[^$\n]*?[^\s$\\])?)\$(?![\w$])",
    re.S | re.M,
)


def _heading(source: str) -> str:
    for line in source.splitlines():
        if line.startswith("#"):
            return re.sub(r"\s*\(\d+ points?.*\)\s*$", "", line.lstrip("#").strip())
    return ""


def exercise_labels(cells: list) -> dict[str, str]:
    """grade_id -> a reader's name for every graded cell, from the prompt heading above it."""
    labels: dict[str, str] = {}
    heading = ""
    for cell in cells:
        meta = (cell.get("metadata") or {}).get("nbgrader") or {}
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        if cell.get("cell_type") == "markdown" and not meta.get("grade") and source.lstrip().startswith("#"):
            heading = _heading(source) or heading
        gid = meta.get("grade_id")
        if not gid or not meta.get("grade"):
            continue
        if meta.get("solution"):
            kind = "written answer" if cell.get("cell_type") == "markdown" else "answer"
        elif gid.endswith("_hidden"):
            kind = "hidden checks"
        else:
            kind = "visible checks" if gid.startswith("test_") else "graded cell"
        name = heading or gid
        labels[gid] = f"{name}, {kind}" if name != gid else f"{gid} ({kind})"
    return labels


class NameExercises(NbGraderPreprocessor):
    """Put each graded cell's exercise name in ``metadata.course_label`` for the feedback page."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict):
        labels = exercise_labels(nb.cells)
        for cell in nb.cells:
            gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if gid in labels:
                cell.metadata["course_label"] = labels[gid]
        return nb, resources


_ALIGNED = re.compile(r"\\begin\{(aligned|align\*?)\}(.*?)\\end\{\1\}", re.S)


def _aligned_as_array(latex: str) -> str:
    """``aligned``/``align`` (which latex2mathml does not know) as an ``array``: the first column
    right-aligned, the others left, ``&&`` (a new column pair, for notes) as one more column."""

    def swap(m: re.Match) -> str:
        body = m.group(2).replace("&&", "&")
        cols = max(row.count("&") for row in re.split(r"\\\\", body)) + 1
        return "\\begin{array}{r" + "l" * (cols - 1) + "}" + body + "\\end{array}"

    return _ALIGNED.sub(swap, latex)


def latex_to_mathml(latex: str, display: bool = False) -> str | None:
    from latex2mathml.converter import convert

    try:
        return convert(_aligned_as_array(latex.strip()), display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - latex2mathml raises many kinds; the LaTeX stays then
        return None


def math_to_mathml(source: str, failed: list[str] | None = None) -> str:
    """``source`` (markdown) with its math as MathML; code spans and fences untouched."""

    def swap(m: re.Match) -> str:
        if m.group("fence") or m.group("code"):
            return m.group(0)
        display = m.group("display") is not None
        latex = m.group("display") if display else m.group("inline")
        out = latex_to_mathml(latex, display)
        if out is None:
            if failed is not None:
                failed.append(latex)
            return m.group(0)
        out = out.replace("\n", "")
        # a blank line around a display keeps it out of the paragraph markdown wraps it in
        return f"\n\n{out}\n\n" if display else out

    return _MATH.sub(swap, source)


class MathToMathML(NbGraderPreprocessor):
    """Equations in markdown cells as MathML, so the HTML needs no MathJax (see module doc)."""

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, index: int):
        if cell.cell_type == "markdown" and "$" in cell.source:
            failed: list[str] = []
            cell.source = math_to_mathml(cell.source, failed)
            for latex in failed:
                self.log.warning("Cell %d: could not convert $%s$ to MathML; it shows as LaTeX",
                                 index, html.escape(latex)[:80])
        return cell, resources


def configure(c) -> None:
    """Named exercises, MathML and the offline feedback template for nbgrader's feedback.

    Call it in the nbgrader config after ``c.GenerateFeedback.preprocessors`` is set: the two
    preprocessors go in before nbconvert's CSS step (idempotent)."""
    import nbgrader

    preprocessors = [p for p in c.GenerateFeedback.preprocessors
                     if p not in (NameExercises, MathToMathML)]
    at = next((i for i, p in enumerate(preprocessors)
               if getattr(p, "__name__", str(p)).endswith("CSSHTMLHeaderPreprocessor")), len(preprocessors))
    c.GenerateFeedback.preprocessors = [*preprocessors[:at], NameExercises, MathToMathML, *preprocessors[at:]]
    nbgrader_templates = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES), str(nbgrader_templates)]
    c.HTMLExporter.template_name = FEEDBACK_TEMPLATE


def html_exporter():
    """nbconvert's HTML exporter for executed notebooks: MathML, no CDN scripts."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name=HTML_TEMPLATE, extra_template_basedirs=[str(TEMPLATES)])
    exporter.register_preprocessor(MathToMathML(), enabled=True)
    return exporter
