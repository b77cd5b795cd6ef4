"""The course's check library: test cells call `check("<function name>")`.

    check("sigmoid")               # the worked examples from the notebook text, runnable at any time
    check("sigmoid", hidden=True)  # grading only: many random inputs against the reference solution
"""
from grader_tests.checking import CheckFailed, check

__all__ = ["check", "CheckFailed"]
