# Every target builds .venv/ from the pinned requirements on first use, then calls Python.
VENV   := .venv
PYTHON := $(VENV)/bin/python
READY  := $(VENV)/.ready
COURSE := $(PYTHON) -m instructor
WORKERS ?=
STUDENT ?=
ASSIGNMENT ?=
SCHEDULER ?=

.PHONY: lab release autograde feedback grades report bench demo test test-browser clean

$(READY): requirements.txt pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(READY)

lab: $(READY)
	$(COURSE) lab

release: $(READY)
	$(COURSE) release

autograde: $(READY)
	$(COURSE) autograde $(if $(WORKERS),--workers $(WORKERS)) $(if $(STUDENT),--student $(STUDENT)) \
		$(if $(ASSIGNMENT),--assignment $(ASSIGNMENT)) $(if $(UNSAFE_NO_SANDBOX),--unsafe-no-sandbox) \
		$(if $(SCHEDULER),--scheduler $(SCHEDULER))

feedback: $(READY)
	$(COURSE) feedback

grades: $(READY)
	$(COURSE) grades

report: $(READY)
	$(COURSE) report

bench: $(READY)
	$(COURSE) bench $(if $(K),--students $(K)) $(if $(WORKERS),--workers $(WORKERS))

demo: $(READY)
	$(COURSE) demo

test: $(READY)
	$(PYTHON) -m pytest

test-browser: $(READY)
	$(PYTHON) -m pytest tests/browser

clean: $(READY)
	$(COURSE) clean
