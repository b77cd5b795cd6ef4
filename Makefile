# Every target but help and clean builds .venv/ from the pinned requirements on first use, then calls Python.
# `make help` lists the targets: the `## ...` comment on each target's line.
VENV   := .venv
PYTHON := $(VENV)/bin/python
READY  := $(VENV)/.ready
COURSE := $(PYTHON) -m instructor
WORKERS ?=
STUDENT ?=
ASSIGNMENT ?=
SCHEDULER ?=

.PHONY: help lab release student-bundle autograde feedback grades report bench demo test test-browser clean roster extend \
	export-lms feedback-zips exchange-release collect zip-collect exchange-feedback

help: ## list the targets, one line each
	@python3 -m instructor.tidy help Makefile

$(READY): requirements.txt pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(READY)

lab: $(READY) ## the student's JupyterLab on student/ (a copy of the released notebooks)
	$(COURSE) lab

roster: $(READY) ## import the class list: FILE=roster.csv (columns id, first_name, last_name, email, lms_id)
	$(COURSE) roster $(if $(FILE),--file "$(FILE)")

release: $(READY) ## student versions into release/; due dates of course.toml into the gradebook
	$(COURSE) release

student-bundle: $(READY) ## dist/student-bundle.zip: what students get (released notebooks, the checks as a wheel, START_HERE.md)
	$(COURSE) student-bundle

exchange-release: $(READY) ## hand out through nbgrader's exchange (ASSIGNMENT=…: only those)
	$(COURSE) exchange-release $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT))

collect: $(READY) ## submissions from the exchange into submitted/ (ASSIGNMENT=…: only those)
	$(COURSE) collect $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT))

zip-collect: $(READY) ## an LMS download into submitted/: LMS=canvas|moodle ASSIGNMENT=… (zip in downloaded/…/archive/)
	$(COURSE) zip-collect $(if $(LMS),--lms $(LMS)) $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT))

autograde: $(READY) ## grade submitted/ in the sandbox (WORKERS=N; STUDENT=…, ASSIGNMENT=…: only those; UNSAFE_NO_SANDBOX=1)
	$(COURSE) autograde $(if $(WORKERS),--workers $(WORKERS)) $(if $(STUDENT),--student $(STUDENT)) \
		$(if $(ASSIGNMENT),--assignment $(ASSIGNMENT)) $(if $(UNSAFE_NO_SANDBOX),--unsafe-no-sandbox) \
		$(if $(SCHEDULER),--scheduler $(SCHEDULER))

extend: $(READY) ## an extension: STUDENT=… ASSIGNMENT=… DAYS=… (replaces an earlier one; DAYS=0 removes it)
	$(COURSE) extend $(if $(STUDENT),--student $(STUDENT)) $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT)) \
		$(if $(DAYS),--days $(DAYS))

feedback: $(READY) ## one feedback page per graded notebook, into feedback/
	$(COURSE) feedback

feedback-zips: $(READY) ## one zip of feedback pages per student, dist/feedback/<student>.zip, for an LMS
	$(COURSE) feedback-zips

exchange-feedback: $(READY) ## feedback pages to the exchange, for nbgrader fetch_feedback (ASSIGNMENT=…)
	$(COURSE) exchange-feedback $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT))

grades: $(READY) ## grades.csv (nbgrader's export, late penalties included) and exercise_grades.csv
	$(COURSE) grades

export-lms: $(READY) ## dist/canvas_grades.csv and dist/moodle_grades.csv, scores after late penalties
	$(COURSE) export-lms

report: $(READY) ## report/index.html: what the class got wrong, scores and late penalties
	$(COURSE) report

bench: $(READY) ## time parallel grading of a generated class (K= students, WORKERS=N)
	$(COURSE) bench $(if $(K),--students $(K)) $(if $(WORKERS),--workers $(WORKERS))

demo: $(READY) ## the whole pipeline on a sample class of 3, in demo/
	$(COURSE) demo

test: $(READY) ## the whole test suite, browser tests included
	$(PYTHON) -m pytest

test-browser: $(READY) ## the browser tests only
	$(PYTHON) -m pytest tests/browser

clean: ## remove what the steps generate (never submitted/, gradebook.db, student/, downloaded/, exchange/)
	@python3 -m instructor.tidy clean
