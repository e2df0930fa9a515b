"""`make grade`: from an LMS download (or nbgrader's exchange) to grades, feedback and a summary.

    python -m autograder.grade ASSIGNMENT [--submissions LMS.zip | --exchange] [--roster CSV]
        [--workers N] [--timeout S] [--engine api|cli] [--force] [--students a,b] [--shard K/N]
        [--allow-unsandboxed]

The pipeline lives in ``autograder/grading/``, one file per stage:

  collect.py   the LMS zip is archived under ``downloaded/<A>/archive/`` (every download is kept),
               unpacked member by member (a hostile member is refused and listed, never fatal),
               and ``nbgrader zip_collect`` turns it into ``submitted/`` (newest attempt wins);
               or ``nbgrader collect --update`` reads the exchange; the roster is imported;
  triage.py    each submission is read without trusting it (encodings, JSON depth, nbgrader
               metadata), stray files are set aside, and every cell the student wrote is checked
               against the allowlist policy (policy.py); a failure stays with that submission;
  execute.py   worker processes autograde and generate feedback in parallel, each submission under
               a wall-clock limit; every kernel runs in bubblewrap (isolation.py);
  verdict.py   what could not be graded scores zero and is flagged; the kernel's own reports;
               (a test cell scores only when it ran to its end with no error: preprocessors.py)
  report.py    grades.csv with ``needs_review`` columns, summary.csv/json, exercises.csv, the
               table printed at the end (feedback and formgrader pages are sanitised: sanitize.py);
  pipeline.py  the stages in order, re-runnable: unchanged submissions are skipped.

LMS file names (default ``--regexp``): ``<student_id>_<timestamp>_<notebook>.ipynb`` anywhere in
the zip, with the timestamp as ``YYYY-MM-DDTHH-MM-SS`` (``T``, ``_``, space or nothing between
date and time; ``-``, ``:`` or nothing inside; optional ``Z``), always UTC, e.g.
``s1234567_2026-11-20T09-15-00_01_tensors.ipynb``.
"""

from __future__ import annotations

from autograder.grading.collect import (  # noqa: F401 - the public names, kept importable here
    DEFAULT_REGEXP,
    Attempt,
    LmsCollector,
    collect_zip,
    import_roster,
    normalize_timestamp,
    parse_download,
    scan_downloads,
    write_attempts,
    zip_problem,
)
from autograder.grading.common import (  # noqa: F401
    FAILED,
    ROOT,
    SUBMISSION_TIMEOUT_S,
    Settings,
    expected_notebooks,
    gradebook,
    load_config,
    load_state,
    save_state,
    submitted_students,
)
from autograder.grading.execute import (  # noqa: F401
    ApiSlot,
    CliSlot,
    GradebookLock,
    _api_worker_main,
    default_workers,
    lock_path_for,
    patch_gradebook,
    run_workers,
)
from autograder.grading.pipeline import (  # noqa: F401
    build_parser,
    ensure_assignment,
    grade,
    main,
    require_sandbox,
)
from autograder.grading.report import (  # noqa: F401
    StudentRow,
    export_grades,
    mark_for_review,
    print_summary,
    review_reasons,
    shard_filter,
    summarize,
    write_reports,
)
from autograder.grading.triage import (  # noqa: F401
    Triage,
    metadata_problem,
    read_notebook_bytes,
    triage_and_scan,
    triage_submission,
)
from autograder.grading.verdict import record_zero, runtime_flags, set_flagged  # noqa: F401

if __name__ == "__main__":
    raise SystemExit(main())
