"""Offline HTML (autograder/feedback.py): equations as MathML, graded cells named by exercise."""

from __future__ import annotations

import json
import re
from pathlib import Path

from traitlets.config import Config

from autograder import feedback

ROOT = Path(__file__).resolve().parent.parent


def test_math_becomes_mathml_and_code_stays_as_written():
    src = ("Cost `$x$` and $a_1$, not \\$5 or $5 or $ 3 $.\n\n$$\\sum_i x_i$$\n\n"
           "```\n$y$\n```\n")
    out = feedback.math_to_mathml(src)
    assert out.count("<math") == 2, out
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in out
    for kept in ("`$x$`", "\\$5", "$5 or $ 3 $", "```\n$y$\n```"):
        assert kept in out, f"{kept!r} was changed: {out!r}"


def test_aligned_equations_become_a_table():
    out = feedback.latex_to_mathml("\\begin{aligned} a &= b && \\text{note}\\\\ c &= d \\end{aligned}", True)
    assert out is not None and out.count("<mtr>") == 2 and "<mtext>note</mtext>" in out, out


def test_every_equation_of_the_course_converts():
    failed: list[str] = []
    for path in sorted((ROOT / "solutions").glob("*/*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "markdown":
                feedback.math_to_mathml("".join(cell["source"]), failed)
    assert not failed, f"equations latex2mathml cannot convert (they would show as LaTeX): {failed[:5]}"


def test_graded_cells_are_named_by_their_exercise():
    nb = json.loads((ROOT / "notebooks" / "01_tensors" / "01_tensors.ipynb").read_text())
    labels = feedback.exercise_labels(nb["cells"])
    graded = [c["metadata"]["nbgrader"]["grade_id"] for c in nb["cells"]
              if c.get("metadata", {}).get("nbgrader", {}).get("grade")]
    assert set(labels) == set(graded)
    assert labels["test_linear_forward"] == "Exercise 1: a linear layer by hand, visible checks"
    assert labels["test_linear_forward_hidden"] == "Exercise 1: a linear layer by hand, hidden checks"
    assert re.fullmatch(r"Question 1, written answer", labels["q_views_copies"]), labels["q_views_copies"]


def test_configure_puts_the_preprocessors_before_the_css_step_once():
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    c = Config()
    c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor]
    feedback.configure(c)
    feedback.configure(c)
    assert c.GenerateFeedback.preprocessors == [
        GetGrades, feedback.NameExercises, feedback.MathToMathML, CSSHTMLHeaderPreprocessor]
    assert c.HTMLExporter.template_name == feedback.FEEDBACK_TEMPLATE


def test_the_course_config_uses_the_offline_feedback():
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT / "autograder")).load_config()
    steps = config.GenerateFeedback.preprocessors
    assert feedback.NameExercises in steps and feedback.MathToMathML in steps
    assert config.HTMLExporter.template_name == feedback.FEEDBACK_TEMPLATE
