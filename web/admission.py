"""Admission to one server process's query workers: who gets a place, in which order, and
which long query makes room for a new client (the per-client limits are web.limits)."""

from __future__ import annotations

import contextlib
import itertools
import threading
import time
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass

from kg.endpoint.errors import EndpointError
from web.limits import Entered


@dataclass(eq=False)
class Slot:
    """A place in a server process's query workers, while a query holds it."""

    heavy: bool
    started: float
    stop: Callable[[], None] | None = None  # ends the query (kills its worker)
    preempted_for: int | None = None  # the waiting ticket its place goes to

    def attach(self, stop: Callable[[], None]) -> None:
        self.stop = stop


class Admission:
    """The queries one server process runs at once (``places``: its query workers), and
    who gets a place first.

    Heavy clients together never take the last ``reserve`` places, and a heavy query that
    finds no place is refused at once (503: waiting, it would hold a server thread that a
    light client needs). Light queries wait for a place until their deadline, in order:
    the client with the fewest queries in flight now (``in_flight``, counted across the
    server processes) first, then the least load, then the earliest. A query whose client
    has no other in flight, having waited PREEMPT_S, stops the query that has run longest
    if it has run over a second (its client gets 503, busy): however many addresses keep
    long queries going, a client that sends one quick query at a time is served."""

    PREEMPT_S = 0.1

    def __init__(
        self, places: int, reserve: int, in_flight: Callable[[str], int] = lambda _client: 1
    ):
        self.places, self.reserve = places, min(reserve, places - 1)
        self.in_flight = in_flight
        self.heavy = 0
        self.slots: list[Slot] = []  # the places held
        self.waiting: dict[int, Entered] = {}  # by ticket, in arrival order
        self.handed: set[int] = set()  # tickets given the place of a query they stopped
        self.tickets = itertools.count()
        self.changed = threading.Condition()

    @property
    def running(self) -> int:
        return len(self.slots)

    @contextlib.contextmanager
    def place(self, entered: Entered, deadline: float) -> Iterator[Slot]:
        slot = self._enter(entered, deadline)
        try:
            yield slot
        finally:
            with self.changed:
                self.slots.remove(slot)
                self.heavy -= slot.heavy
                if slot.preempted_for in self.waiting:  # its place goes to who stopped it
                    self.handed.add(slot.preempted_for)
                self.changed.notify_all()

    def _enter(self, entered: Entered, deadline: float) -> Slot:
        with self.changed:
            if entered.heavy:
                if not self._room(heavy=True):
                    raise _busy()
            else:
                self._wait_in_line(entered, deadline)
            slot = Slot(entered.heavy, time.monotonic())
            self.slots.append(slot)
            self.heavy += entered.heavy
            return slot

    def _wait_in_line(self, entered: Entered, deadline: float) -> None:
        ticket = next(self.tickets)
        self.waiting[ticket] = entered
        preempt_at = time.monotonic() + self.PREEMPT_S
        try:
            while not self._turn(ticket):
                now = time.monotonic()
                if now >= deadline:
                    raise _busy()
                if now >= preempt_at:
                    # only for a client with no other query in flight; at most one stopped
                    # a second per waiter (the place may go to one ahead of it)
                    stopped = self.in_flight(entered.client) <= 1 and self._preempt(now, ticket)
                    preempt_at = now + (1.0 if stopped else self.PREEMPT_S)
                self.changed.wait(min(deadline, preempt_at) - now)
        finally:
            del self.waiting[ticket]
            self.handed.discard(ticket)
            self.changed.notify_all()  # the next in line may fit now

    def _turn(self, ticket: int) -> bool:
        """May this waiter take a place now: one handed to it, or a free one whose turn
        is its own (places handed to others are not free)."""
        if ticket in self.handed:
            return True
        return self._room(heavy=False) and self._first() == ticket

    def _first(self) -> int:
        """The ticket whose turn it is."""
        return min(
            self.waiting,
            key=lambda t: (
                self.in_flight(self.waiting[t].client),
                round(self.waiting[t].load, 1),
                t,
            ),
        )

    def _preempt(self, now: float, ticket: int) -> bool:
        """Stop the query that has run longest (a heavy client's first), if over 1 s; its
        place is handed to ``ticket``."""
        victims = [
            s for s in self.slots if s.stop and s.preempted_for is None and now - s.started > 1
        ]
        if not victims:
            return False
        victim = min(victims, key=lambda s: (not s.heavy, s.started))
        victim.preempted_for = ticket
        victim.stop()  # type: ignore[misc]
        return True

    def _room(self, heavy: bool) -> bool:
        if self.running + len(self.handed) >= self.places:
            return False
        return not heavy or self.heavy < self.places - self.reserve


def _busy() -> EndpointError:
    return EndpointError(
        503, "busy", "The endpoint is busy with long queries; retry soon.", {"Retry-After": "5"}
    )
