# PyTorch for NLP: every command a student, instructor or CI needs.
#   make demo   set up, fetch data, build student notebooks, run all solutions, grade a sample class
#   make test   set up and run every check (what CI runs)
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(CURDIR)/$(VENV)/bin/python
STAMP  := $(VENV)/.installed

# Keep Jupyter's side files inside the repo (CI and these machines run as root).
LOCAL := $(CURDIR)/.jupyter-local
export IPYTHONDIR          := $(LOCAL)/ipython
export JUPYTER_CONFIG_DIR  := $(LOCAL)/config
export JUPYTER_RUNTIME_DIR := $(LOCAL)/runtime
export MPLCONFIGDIR        := $(LOCAL)/matplotlib
export PYTHONHASHSEED      := 0
export PATH                := $(CURDIR)/$(VENV)/bin:$(PATH)
# pip's local-mirror warnings are noise here; errors still show and still fail the build.
PIP_QUIET := 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)

.PHONY: help setup data notebooks lab formgrader release demo test test-fast lint lock grade clean
help:
	@echo "make demo      set up, fetch data, build notebooks, run all solutions, grade a sample class"
	@echo "make test      set up and run every check (CI)"
	@echo "make lab       JupyterLab on notebooks/ for students (Validate, assignment list)"
	@echo "make formgrader  JupyterLab on the course root for instructors (formgrader)"
	@echo "make release   the student copy: build/student-copy/ and its .tar.gz"
	@echo "make setup | data | notebooks | grade | lint | clean"

setup: $(STAMP)
$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; v=sys.version_info; sys.exit(0 if v[:2]==(3,11) else "Python 3.11 is required, found %d.%d: set PYTHON=/path/to/python3.11" % v[:2])'
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing the pinned environment into $(VENV) (first time: a few minutes)..."
	@$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt $(PIP_QUIET)
	@$(PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e . $(PIP_QUIET)
	@mkdir -p $(LOCAL)
	@touch $@
	@echo "Environment ready: $(VENV)"

data: setup
	@$(PY) -m course.data fetch

notebooks: setup
	@$(PY) -m autograder.build notebooks

# Students' lab: run from notebooks/ with the student-side config (student/jupyter: Validate and
# the assignment list, no formgrader, no Create Assignment), so the instructor's grading config
# (nbgrader_config.py here) never reaches the server or its kernels; the notebooks are signed
# first (Jupyter warns about each unsigned one it opens). LAB_ARGS: extra options.
lab: setup data
	@$(PY) student/jupyter/prepare.py notebooks
	@cd notebooks && JUPYTER_CONFIG_PATH=$(CURDIR)/student/jupyter $(PY) -m jupyterlab --allow-root $(LAB_ARGS)

# Instructors' lab: the course root, formgrader and Create Assignment (never for students).
formgrader: setup data
	@$(PY) -m jupyterlab --ServerApp.root_dir=$(CURDIR) --allow-root $(LAB_ARGS)

# The student copy: build/student-copy/ and build/student-copy.tar.gz (DEST=folder to choose).
release: setup
	@$(PY) -m autograder.release $(DEST)

demo: setup data
	@$(PY) -m autograder.demo

# Two pytest workers on two cores: one thread each, or torch's threads fight over the cores.
test: export OMP_NUM_THREADS := 1
test: export MKL_NUM_THREADS := 1
test: setup data
	@$(PY) -m ruff check course autograder tests bench nbgrader_config.py
	@$(PY) -m pytest -n 2 --dist loadgroup --durations=15 -p no:cacheprovider

test-fast: setup
	@$(PY) -m pytest -m "not slow" -p no:cacheprovider

lint: setup
	@$(PY) -m ruff check course autograder tests bench nbgrader_config.py

# make grade ASSIGNMENT=01_tensors SUBMISSIONS=lms.zip [ROSTER=file.csv] [WORKERS=N] [ARGS="--force"]
# (EXCHANGE=1 instead of SUBMISSIONS collects from nbgrader's exchange); see autograder/README.md
ROSTER ?= $(wildcard autograder/roster.csv)
grade: setup
	@test -n "$(ASSIGNMENT)" || { echo "usage: make grade ASSIGNMENT=01_tensors [SUBMISSIONS=lms.zip | EXCHANGE=1] [ROSTER=roster.csv] [WORKERS=N] [ARGS=--force]" >&2; exit 2; }
	@$(PY) -m autograder.grade $(ASSIGNMENT) $(if $(SUBMISSIONS),--submissions "$(SUBMISSIONS)") $(if $(EXCHANGE),--exchange) $(if $(ROSTER),--roster "$(ROSTER)",--no-roster) $(if $(WORKERS),--workers $(WORKERS)) $(ARGS)

lock:
	@$(PY) -m pip freeze --exclude-editable | sed 's/^torch==\(.*\)+cpu/torch==\1/' > requirements.txt

clean:
	rm -rf build .jupyter-local gradebook.db submitted autograded feedback
