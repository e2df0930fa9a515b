"""Given helper code for the course 'PyTorch for NLP, from tensors to packed LSTMs'.

Students import from here. Most of it is plumbing (data loading, seeding, device choice, plots,
checkers), but three modules are, on purpose, reference versions of earlier notebooks' exercises,
so that every later notebook starts from the same footing:

- ``course.text``: tokenizer, ``Vocabulary`` and split (notebook 02), ``TextDataset``,
  ``collate_batch``, masks, masked mean and bucketing (notebook 03); given from notebook 03 on;
- ``course.training``: the training step, fit loop, early stopping and evaluation of notebook 04,
  given from notebook 05 on;
- ``course.data.newsgroup_to_six`` and ``course.newsgroups``: the 20 Newsgroups -> six classes
  mapping, the cleaned six-topic data and the GloVe matrix aligned to a vocabulary of notebook 05,
  given in notebook 06.

They answer those exercises, so an answer cell that imports them is flagged at grading time.
Nothing else in the package answers an exercise.
"""

from __future__ import annotations

import os

from course.checks import (
    check_close,
    check_dtype,
    check_equal,
    check_raises,
    check_shape,
    check_true,
    max_abs_diff,
)

__all__ = [
    "check_close",
    "check_dtype",
    "check_equal",
    "check_raises",
    "check_shape",
    "check_true",
    "grading_budget",
    "is_grading",
    "max_abs_diff",
    "pick_device",
    "set_cpu_threads",
    "set_seed",
]


def __getattr__(name: str):
    # torch-importing helpers load on first use, so `python -m course.data` starts fast
    if name == "pick_device":
        from course.device import pick_device

        return pick_device
    if name == "set_cpu_threads":
        from course.device import set_cpu_threads

        return set_cpu_threads
    if name == "set_seed":
        from course.seed import set_seed

        return set_seed
    raise AttributeError(f"module 'course' has no attribute {name!r}")


def is_grading() -> bool:
    """True while nbgrader executes the notebook (autograde or validate)."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def grading_budget(default, graded):
    """``graded`` while nbgrader runs the notebook, else ``default`` (e.g. epochs, rows)."""
    return graded if is_grading() else default
