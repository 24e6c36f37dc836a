"""Running waves of tasks: on a Dask distributed cluster, or one after another in this process
(the same tasks, for small runs and for tests that compare partitioned resolution with the
whole-corpus one).

On a cluster each task is a future; the runner counts tasks done, retried and failed, and
notices workers that leave. A task that raises is retried (``retries`` times); a task that
keeps killing its workers (Dask's KilledWorker) or keeps failing is split into one task per
article when it covers several, so one bad article never sinks its neighbours, and an
article that still fails is named. A wave whose tasks cannot be split (resolution) stops
the build with a ClusterError naming the task and the reason."""
from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import ClusterError
from ..progress import Meter

Progress = Callable[[str], None]


@dataclass
class Call:
    """One task: a function and its arguments, what it covers (for messages), and how to
    split it into smaller tasks when it keeps failing."""

    fn: Callable[..., Any]
    args: tuple
    what: str
    split: Callable[[], list[Call]] | None = None
    failed: Callable[[str], Any] | None = None  # the result to record for a task that failed for good
    part: int | None = None  # the partition it works on: sent to the same worker wave after wave


@dataclass
class Tally:
    """What a build asked of the cluster."""

    address: str = ""
    tasks: int = 0
    retried: int = 0
    failed: int = 0
    split: int = 0
    workers: set[str] = field(default_factory=set)
    lost: set[str] = field(default_factory=set)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per phase
    named: list[str] = field(default_factory=list)  # the articles tasks failed on for good

    def summary(self) -> str:
        lost = f", {len(self.lost)} lost" if self.lost else ""
        phases = ", ".join(f"{name} {s:.1f} s" for name, s in self.seconds.items())
        named = f"; failed for good: {', '.join(self.named)}" if self.named else ""
        return (f"cluster {self.address}: {self.tasks} tasks, {self.retried} retried, "
                f"{self.failed} failed{named}; {len(self.workers)} workers{lost}"
                + (f" ({phases})" if phases else ""))


class Runner:
    """Runs waves of calls, serially (``address`` None) or on the Dask scheduler at ``address``."""

    def __init__(self, address: str | None = None, *, retries: int = 2,
                 progress: Progress = lambda msg: None, meter: Meter | None = None,
                 connect_timeout: float = 30.0) -> None:
        self.address, self.retries, self.progress = address, retries, progress
        self.meter = meter or Meter.silent()
        self.tally = Tally(address=address or "in-process")
        self.client = None
        self._token = uuid.uuid4().hex[:8]
        self._sent = 0
        self._addresses: list[str] = []
        if address is not None:
            self.client = _connect(address, connect_timeout)
            self._watch_workers()
            self._addresses = sorted(self.tally.workers)

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None

    def workers(self) -> int:
        return max(1, len(self.client.nthreads())) if self.client else 1

    def on_each_worker(self, fn: Callable[..., Any], *args) -> dict[str, Any]:
        """Run a function once on every worker (a check before a build)."""
        if self.client is None:
            return {"in-process": fn(*args)}
        return self.client.run(fn, *args)

    def map(self, label: str, calls: list[Call]) -> list[Any]:
        """Run a wave; returns each call's result, in order (a split call's results as a list
        of its parts' results, each in order)."""
        if not calls:
            return []
        self.meter.start(label, len(calls))
        start = time.perf_counter()
        try:
            if self.client is None:
                return [self._serial(call) for call in calls]
            return self._distributed(label, calls)
        finally:
            self.meter.finish()
            phase = label.split(":")[0].split()[0]
            self.tally.seconds[phase] = self.tally.seconds.get(phase, 0.0) + time.perf_counter() - start

    def _serial(self, call: Call) -> Any:
        self.tally.tasks += 1
        result = call.fn(*call.args)
        self.meter.advance()
        return result

    def _distributed(self, label: str, calls: list[Call]) -> list[Any]:
        from distributed import KilledWorker, as_completed

        results: list[Any] = [None] * len(calls)
        pending: dict[Any, tuple[int, Call, int, list | None, int]] = {}

        def submit(index: int, call: Call, attempt: int, parts: list | None = None, slot: int = 0):
            self._sent += 1  # a key of its own for every task this build sends
            where = {}
            if call.part is not None and self._addresses:  # what the worker read last wave, it still has
                where = {"workers": [self._addresses[call.part % len(self._addresses)]],
                         "allow_other_workers": True}
            future = self.client.submit(call.fn, *call.args, pure=False, **where,
                                        key=f"kg-{call.fn.__name__}-{self._sent}-{self._token}")
            pending[future] = (index, call, attempt, parts, slot)
            return future

        def deliver(index: int, parts: list | None, slot: int, value: Any) -> None:
            if parts is not None:  # one of the tasks a failed task was split into
                parts[slot] = value
                if any(p is _PENDING for p in parts):
                    return
                value = parts
            results[index] = value
            self.meter.advance()

        queue = as_completed([submit(i, c, 0) for i, c in enumerate(calls)], loop=self.client.loop)
        self.tally.tasks += len(calls)
        for future in queue:
            index, call, attempt, parts, slot = pending.pop(future)
            self._watch_workers()
            if future.status == "finished":
                deliver(index, parts, slot, future.result())
                continue
            exc = future.exception()
            reason = _reason(exc)
            # a task that killed its workers is split at once when it covers several articles
            # (rerunning the whole chunk would kill more); alone, it is retried like any other
            killed = isinstance(exc, KilledWorker) and call.split is not None and parts is None
            if not killed and attempt < self.retries:
                self.tally.retried += 1
                self.tally.tasks += 1
                self.progress(f"{label}: task for {call.what} failed ({reason}); retrying")
                queue.add(submit(index, call, attempt + 1, parts, slot))
                continue
            if parts is None and call.split is not None:
                subcalls = call.split()
                if len(subcalls) > 1:
                    self.tally.split += 1
                    self.tally.tasks += len(subcalls)
                    self.progress(f"{label}: task for {call.what} failed ({reason}); "
                                  f"trying its {len(subcalls)} articles one by one")
                    slots: list = [_PENDING] * len(subcalls)
                    for j, sub in enumerate(subcalls):
                        queue.add(submit(index, sub, 0, slots, j))
                    continue
            self.tally.failed += 1
            if call.failed is None:
                raise ClusterError(f"{label}: the task for {call.what} failed for good ({reason})")
            self.progress(f"{label}: {call.what} failed for good ({reason})")
            deliver(index, parts, slot, call.failed(reason))
        return results

    def _watch_workers(self) -> None:
        now = time.monotonic()
        if now - getattr(self, "_watched", 0.0) < 0.5:
            return
        self._watched = now
        current = set(self.client.nthreads())
        gone = (self.tally.workers - current) - self.tally.lost
        for worker in sorted(gone):
            self.progress(f"worker {worker} left the cluster; its tasks run elsewhere")
        self.tally.lost |= gone
        self.tally.workers |= current
        self.meter.label = self.meter.label.split(" [")[0] + (
            f" [{self.tally.retried} retried, {self.tally.failed} failed, "
            f"{len(current)} workers]")


_PENDING = object()


def _reason(exc: BaseException | None) -> str:
    if exc is None:
        return "cancelled"
    text = str(exc) or type(exc).__name__
    return text if len(text) < 300 else text[:300] + "..."


def _connect(address: str, timeout: float):
    """A client of the scheduler at ``address``, once at least one worker has joined."""
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - a dependency
        raise ClusterError("--cluster needs dask[distributed] (pip install distributed)") from exc
    try:
        client = Client(address, timeout=f"{timeout}s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address} ({_reason(exc)})") from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        client.close()
        raise ClusterError(f"the Dask scheduler at {address} has no workers "
                           f"(none joined within {timeout:g} s)") from None
    return client
