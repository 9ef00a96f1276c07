"""kg.build.apart: a build step in a forked child, its value or its exception sent back."""

from __future__ import annotations

import os
import threading

import pytest

from kg.build.apart import StepDiedError
from kg.build.apart import run_apart
from kg.tables.read import DataError
from kg.tables.read import Problem


def test_the_step_runs_in_another_process_and_its_value_comes_back():
    assert run_apart(os.getpid) != os.getpid()
    assert run_apart(sorted, {3, 1, 2}) == [1, 2, 3]


def _broken_table() -> None:
    raise DataError([Problem("data/results.csv", 4, "value", "not a number: 'x'")])


def test_a_data_error_comes_back_with_its_problems():
    with pytest.raises(DataError) as raised:
        run_apart(_broken_table)
    assert raised.value.problems == [Problem("data/results.csv", 4, "value", "not a number: 'x'")]
    assert str(raised.value) == "data/results.csv, row 4, column 'value': not a number: 'x'"


class _UnsendableError(Exception):
    def __init__(self, lock: object, message: str) -> None:
        super().__init__(message)
        self.lock = lock  # a lock cannot be pickled


def _raise_unsendable() -> None:
    raise _UnsendableError(threading.Lock(), "the step failed")


def test_an_exception_that_cannot_be_sent_comes_back_as_its_traceback():
    with pytest.raises(StepDiedError, match="_UnsendableError: the step failed"):
        run_apart(_raise_unsendable)


def test_a_child_that_dies_is_an_error_not_a_hang():
    with pytest.raises(StepDiedError, match="exit code 3"):
        run_apart(os._exit, 3)
