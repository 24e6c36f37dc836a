"""Who runs next in ``kg serve``: query slots shared fairly between clients.

- ``regular`` slots run queries under the full time limit.
- ``spare`` slots are kept for when every regular slot is taken: a query that starts there
  has a short limit (``spare_seconds``), so a light query is answered at once even while
  heavy ones hold every regular slot. The first regular slot that frees goes to the query in
  the spare slot (it is *promoted*: the full limit, counted from its start, and the spare
  slot is free again), so a query is stopped at the short limit only when the regular slots
  stayed busy all that time: when heavy queries hold them.
- A query that finds no free slot waits, up to ``wait`` seconds. When a slot frees, the
  waiting query of the client with the fewest queries running goes first, then that of the
  client served least recently, then the one that has waited longest: clients take turns,
  and one client sending many queries cannot starve another. A client may
  have at most ``per_client_waiting`` queries waiting, and all clients ``max_waiting``;
  past that a query is refused at once.

A client is the address it connects from."""
from __future__ import annotations

import itertools
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from .errors import Busy


@dataclass(frozen=True)
class Limits:
    """How long a query may run, how many rows it may return, how many run at once, and how
    requests wait for a slot. See the module docstring."""

    seconds: float = 10.0
    rows: int = 10_000
    concurrent: int = 4
    spare: int = 1
    spare_seconds: float = 2.0
    wait: float = 10.0
    max_waiting: int = 64
    per_client_waiting: int = 32

    @property
    def workers(self) -> int:
        return self.concurrent + self.spare


@dataclass(eq=False)
class Ticket:
    """A slot granted to one query: the client, which kind of slot, and whether a query in a
    spare slot has since been moved to a regular one (kg.serve_sched.Slots.leave)."""

    client: str
    spare: bool
    promoted: bool = False
    since: float = field(default_factory=time.monotonic)


@dataclass(eq=False)
class _Waiter:
    client: str
    seq: int
    since: float = field(default_factory=time.monotonic)


class Slots:
    """The slots of a server and the queue in front of them (thread-safe)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.free_regular = limits.concurrent
        self.free_spare = limits.spare
        self.running: Counter[str] = Counter()
        self.served: dict[str, int] = {}  # client -> number of the last slot granted to it
        self.queue: list[_Waiter] = []
        self.in_spare: list[Ticket] = []  # running in a spare slot, oldest first
        self.cond = threading.Condition()
        self._seq = itertools.count()
        self._grants = itertools.count()

    def enter(self, client: str) -> Ticket:
        """Wait for a slot (fair order); raises Busy when the queue is full or the wait
        runs out."""
        limits = self.limits
        with self.cond:
            waiting = sum(1 for w in self.queue if w.client == client)
            if len(self.queue) >= limits.max_waiting:
                raise Busy(f"{len(self.queue)} queries are already waiting; try again shortly")
            if waiting >= limits.per_client_waiting:
                raise Busy(f"{waiting} of your queries are already waiting; wait for their answers")
            me = _Waiter(client, next(self._seq))
            self.queue.append(me)
            deadline = me.since + limits.wait
            try:
                while True:
                    ticket = self._grant(me)
                    if ticket is not None:
                        return ticket
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise Busy(f"all {limits.workers} query slots stayed busy for {limits.wait:g} s; "
                                   "try again")
                    self.cond.wait(left)
            finally:
                if me in self.queue:
                    self.queue.remove(me)
                    self.cond.notify_all()  # the next in line may go now

    def _grant(self, me: _Waiter) -> Ticket | None:
        first = min(self.queue, key=lambda w: (self.running[w.client], self.served.get(w.client, -1), w.seq))
        if first is not me:
            return None
        if self.free_regular > 0:
            self.free_regular -= 1
            spare = False
        elif self.free_spare > 0:
            self.free_spare -= 1
            spare = True
        else:
            return None
        self.running[me.client] += 1
        if len(self.served) > 4096:  # forget long-gone clients
            self.served.clear()
        self.served[me.client] = next(self._grants)
        ticket = Ticket(me.client, spare)
        if spare:
            self.in_spare.append(ticket)
        return ticket

    def seconds(self, ticket: Ticket) -> float:
        """The ticket's time limit now: the spare slot's short one until it is promoted."""
        with self.cond:
            short = ticket.spare and not ticket.promoted
        return min(self.limits.seconds, self.limits.spare_seconds) if short else self.limits.seconds

    def leave(self, ticket: Ticket) -> None:
        with self.cond:
            if ticket.spare and not ticket.promoted:
                self.in_spare.remove(ticket)
                self.free_spare += 1
            elif self.in_spare:  # a regular slot frees: the oldest spare-slot query takes it
                self.in_spare.pop(0).promoted = True
                self.free_spare += 1
            else:
                self.free_regular += 1
            self.running[ticket.client] -= 1
            if self.running[ticket.client] <= 0:
                del self.running[ticket.client]
            self.cond.notify_all()

    def status(self) -> dict:
        with self.cond:
            return {"running": sum(self.running.values()), "waiting": len(self.queue),
                    "clients": len(self.running)}
