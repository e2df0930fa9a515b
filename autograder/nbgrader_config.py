"""nbgrader configuration for the course: paths relative to this file, hardened defaults.

Use it from the repository root (the root's nbgrader_config.py loads this file), or pass
``--NbGrader.config_file=/abs/path/to/autograder/nbgrader_config.py``.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    CheckCellMetadata,
    ClearHiddenTests,
    ClearMarkScheme,
    ClearOutput,
    DeduplicateIds,
    GetGrades,
    OverwriteCells,
    OverwriteKernelspec,
)

from autograder.preprocessors import StripExecutionTags, StripGradeTracebacks  # noqa: E402

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

# --- where things live ---------------------------------------------------------------
c.CourseDirectory.course_id = "pytorch-nlp"
c.CourseDirectory.root = str(ROOT)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.db_url = os.environ.get(
    "NBGRADER_DB_URL", f"sqlite:///{ROOT / 'gradebook.db'}"
)
# Data reaches notebooks through the `course` package, never beside them.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".*"]
c.CourseDirectory.max_file_size = 1_000  # kB; anything larger beside a notebook is not copied

# --- a deterministic, contained grading kernel -----------------------------------------
# Kernels inherit this process's environment.
os.environ["PYTHONHASHSEED"] = "0"
for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(var, os.environ.get("COURSE_GRADING_THREADS", "1"))
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("COURSE_DEVICE", "cpu")

# --- execution limits ------------------------------------------------------------------
c.Execute.timeout = int(os.environ.get("COURSE_CELL_TIMEOUT", "120"))  # seconds per cell
c.Execute.interrupt_on_timeout = True
c.Execute.allow_errors = True
c.Execute.kernel_name = "python3"
c.ClearSolutions.code_stub = {
    "python": "# YOUR CODE HERE\nraise NotImplementedError()",
}
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 40

# --- autograde: undo anything a student did to the grading cells -----------------------
c.OverwriteCells.add_missing_cells = True
c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    OverwriteCells,
    StripExecutionTags,
    CheckCellMetadata,
]

# --- feedback: never show hidden tests, mark schemes or tracebacks quoting them ---------
c.GenerateFeedback.preprocessors = [
    GetGrades,
    ClearHiddenTests,
    ClearMarkScheme,
    StripGradeTracebacks,
    CSSHTMLHeaderPreprocessor,
]
c.ClearHiddenTests.enforce_metadata = True
