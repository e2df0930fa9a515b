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

from nbconvert.preprocessors import (  # noqa: E402
    ClearMetadataPreprocessor,
    CSSHTMLHeaderPreprocessor,
)
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties,
    CheckCellMetadata,
    ClearHiddenTests,
    ClearMarkScheme,
    ClearOutput,
    DeduplicateIds,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)

from autograder import sandbox  # noqa: E402
from autograder.preprocessors import (  # noqa: E402
    ResilientExecute,
    ScrubHiddenTestEchoes,
    StripExecutionTags,
    StripGradeTracebacks,
)

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
# A kernel that dies or hangs is restarted and grading goes on; output is capped per cell.
c.ResilientExecute.max_output_bytes = 1_000_000
c.ResilientExecute.probe_timeout = int(os.environ.get("COURSE_PROBE_TIMEOUT", "10"))
# Test cells may get a shorter limit than set-up and training cells (0: the same).
c.ResilientExecute.test_timeout = int(os.environ.get("COURSE_TEST_TIMEOUT", "0"))
# Each test cell first puts back rebound built-ins and fresh checkers (students may rebind
# check_close & co. in their namespace), and must print a per-run token at its end.
c.ResilientExecute.grade_cell_prelude = (
    "__import__('sys').audit('course.restore_builtins'); "
    "import importlib as _grader_il, course.checks as _grader_cc; _grader_il.reload(_grader_cc); "
    "from course.checks import check_close, check_dtype, check_equal, check_raises, check_shape, "
    "check_true, max_abs_diff"
)
c.Autograde.autograde_preprocessors = [
    ResilientExecute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]

# --- the grading kernel's limits and guard (autograder/sandbox.py) ---------------------
# Memory (COURSE_MEMORY_LIMIT_MB), file size, no programs, and no reading of the gradebook,
# solutions or other students' work; COURSE_SANDBOX=0 keeps the limits and drops the guard.
def _paths(*paths: object) -> str:
    return os.pathsep.join(str(p) for p in paths if p)


def _env_paths(*names: str) -> list[str]:
    return [os.environ[n] for n in names if os.environ.get(n)]


def _sqlite_file(url: str) -> str | None:
    return url.split("sqlite:///", 1)[1].split("?", 1)[0] if url.startswith("sqlite:///") else None


from jupyter_core.paths import jupyter_runtime_dir  # noqa: E402

os.environ[sandbox.ENV_DENY] = _paths(os.environ.get(sandbox.ENV_DENY), ROOT)
os.environ[sandbox.ENV_ALLOW] = _paths(
    os.environ.get(sandbox.ENV_ALLOW), ROOT / "course", ROOT / "data", sys.prefix,
    *_env_paths("IPYTHONDIR", "MPLCONFIGDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR"),
)
os.environ[sandbox.ENV_SECRET] = _paths(
    os.environ.get(sandbox.ENV_SECRET), jupyter_runtime_dir(),
    _sqlite_file(c.CourseDirectory.db_url), ROOT / ".git",
)
c.Execute.extra_arguments = [f"--IPKernelApp.exec_lines={sandbox.exec_line()}"]

# --- parallel graders (autograder/grade.py) share a sqlite gradebook through a file lock ----
if os.environ.get("COURSE_GRADEBOOK_LOCK"):
    from autograder.grade import GradebookLock, patch_gradebook  # noqa: E402

    patch_gradebook(GradebookLock(c.CourseDirectory.db_url, path=os.environ["COURSE_GRADEBOOK_LOCK"]))

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
    ScrubHiddenTestEchoes,
    ClearHiddenTests,
    ClearMarkScheme,
    StripGradeTracebacks,
    CSSHTMLHeaderPreprocessor,
]
c.ClearHiddenTests.enforce_metadata = True
