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
from autograder.grading.sanitize import SanitizeNotebook  # noqa: E402
from autograder.preprocessors import (  # noqa: E402
    ResilientExecute,
    ScrubHiddenTestEchoes,
    StripClaims,
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
# Grading settings go to the grading kernels only (never into this process's environment:
# Jupyter servers load this file too, and their kernels must keep plots, threads and the GPU).
# Every kernel runs in bubblewrap (autograder/grading/isolation.py); COURSE_ALLOW_UNSANDBOXED=1
# runs it without, on the in-kernel guard alone (make grade prints and records that).
GRADING_ENV = {
    "PYTHONHASHSEED": "0",
    "MPLBACKEND": "Agg",
    "COURSE_DEVICE": "cpu",
    **{v: os.environ.get("COURSE_GRADING_THREADS", "1")
       for v in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")},
}

# --- execution limits ------------------------------------------------------------------
c.Execute.timeout = int(os.environ.get("COURSE_CELL_TIMEOUT", "120"))  # seconds per cell
c.Execute.interrupt_on_timeout = True
c.Execute.kernel_name = "python3"
c.ResilientExecute.kernel_manager_class = (
    "autograder.grading.isolation.UnsandboxedKernelManager"
    if os.environ.get("COURSE_ALLOW_UNSANDBOXED") == "1"
    else "autograder.grading.isolation.SandboxedKernelManager"
)
# Claims (autograder.claims) check the instructor's run: the release, and the gradebook's copy of
# it, carry none. nbgrader's own list follows, unchanged.
from nbgrader.converters import GenerateAssignment  # noqa: E402

c.GenerateAssignment.preprocessors = [StripClaims, *GenerateAssignment.class_traits()["preprocessors"].default()]

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
    "from course.checks import *"
)
c.Autograde.autograde_preprocessors = [
    ResilientExecute,
    SanitizeNotebook,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]

# --- the grading kernel's sandbox, limits and in-kernel guard -------------------------
# Inside bubblewrap the repository does not exist but for course/ and data/ (read-only); the
# in-kernel guard (autograder/sandbox.py) is a second layer with the same idea.
_guard_env = {
    sandbox.ENV_DENY: str(ROOT),
    sandbox.ENV_ALLOW: os.pathsep.join(str(p) for p in (ROOT / "course", ROOT / "data", sys.prefix)),
}
c.SandboxedKernelManager.env = {**GRADING_ENV, **_guard_env}
# without bubblewrap the guard must also keep the gradebook, the runtime folder and .git secret
from jupyter_core.paths import jupyter_runtime_dir  # noqa: E402

_db = c.CourseDirectory.db_url
_secret = [jupyter_runtime_dir(), str(ROOT / ".git")]
if _db.startswith("sqlite:///"):
    _secret.append(_db.split("sqlite:///", 1)[1].split("?", 1)[0])
c.UnsandboxedKernelManager.env = {**GRADING_ENV, **_guard_env, sandbox.ENV_SECRET: os.pathsep.join(_secret)}
c.SandboxedKernelManager.memory_mb = int(os.environ.get("COURSE_MEMORY_LIMIT_MB", "3072"))
c.SandboxedKernelManager.pids_max = int(os.environ.get("COURSE_PIDS_LIMIT", "256"))

# --- parallel graders (autograder/grade.py) share a sqlite gradebook through a file lock ----
if os.environ.get("COURSE_GRADEBOOK_LOCK"):
    from autograder.grading.execute import GradebookLock, patch_gradebook  # noqa: E402

    patch_gradebook(GradebookLock(c.CourseDirectory.db_url, path=os.environ["COURSE_GRADEBOOK_LOCK"]))

# --- zip_collect: unpack LMS downloads member by member, with our file-name rules --------
c.ZipCollectApp.extractor_plugin = "autograder.grading.collect.SafeExtractor"
c.ZipCollectApp.collector_plugin = "autograder.grading.collect.LmsCollector"

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
    SanitizeNotebook,
    CSSHTMLHeaderPreprocessor,
]
# formgrader and feedback render with sanitising on too (scripts never run on either page)
c.HTMLExporter.sanitize_html = True
from autograder import feedback as _feedback  # noqa: E402

_feedback.configure(c)  # exercise names, equations as MathML, the offline feedback template
c.ClearHiddenTests.enforce_metadata = True
