"""Instructor tooling: nbgrader configuration, hardening preprocessors and the grading pipeline."""
