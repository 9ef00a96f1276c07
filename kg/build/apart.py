"""Run one step of the build in a child process, so that its memory goes when it ends.

Why: mapping a million facts leaves the build's process holding some 400 MB it has freed
but cannot give back (Python's small-object arenas stay pinned by the few objects that
live on, scattered among them), and the validator then needs 750 MB more (issue 23). A
forked child maps and writes its files, sends back what the parent still needs, and ends.
Forked, not spawned: the child starts with the modules the parent has loaded, at no cost.
"""

from __future__ import annotations

import multiprocessing
import pickle
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any
from typing import TypeVar

T = TypeVar("T")


class StepDiedError(RuntimeError):
    """The child process ended without an answer (killed, or out of memory)."""


def run_apart(step: Callable[..., T], *args: Any) -> T:
    """``step(*args)`` in a forked child: its value, or its exception raised here."""
    context = multiprocessing.get_context("fork")
    answers, answer = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(step, args, answer), daemon=True)
    child.start()
    answer.close()  # the child's end: a child that dies closes the pipe, and recv ends
    try:
        ok, value = answers.recv()
    except EOFError:
        child.join()
        raise StepDiedError(
            f"the build's {step.__name__} step ended with exit code {child.exitcode}"
        ) from None
    finally:
        answers.close()
    child.join()
    if not ok:
        raise value
    return value


def _run(step: Callable[..., Any], args: tuple, answer: Connection) -> None:
    try:
        value: tuple[bool, Any] = (True, step(*args))
    except BaseException as exc:  # noqa: BLE001 - every failure is the parent's to raise
        value = (False, _sendable(exc))
    answer.send(value)
    answer.close()


def _sendable(exc: BaseException) -> BaseException:
    """``exc`` itself where it comes back whole from pickling (same type and message),
    else a StepDiedError carrying its traceback."""
    try:
        back = pickle.loads(pickle.dumps(exc))
        if type(back) is type(exc) and str(back) == str(exc):
            return exc
    except Exception:  # noqa: BLE001 - any exception that cannot be sent
        pass
    return StepDiedError("".join(traceback.format_exception(exc)))
