"""A progress meter for long runs: items done, rate, time left, on a text stream (stderr).

On a terminal it redraws one line (at most a few times a second); on a pipe or a log file
it stays silent for the first seconds and then prints a line every ``interval`` seconds, so
short runs and tests print nothing. A disabled meter (``--quiet``) never writes."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.5))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Meter:
    """Counts items done out of a total and reports rate and time left."""

    def __init__(self, stream: TextIO | None, *, enabled: bool = True, delay: float = 3.0,
                 interval: float = 10.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.enabled = enabled and stream is not None
        self.tty = bool(self.enabled and getattr(stream, "isatty", lambda: False)())
        self.delay = delay
        self.interval = interval
        self.clock = clock
        self.label = ""
        self.total = 0
        self.done = 0
        self.started = 0.0
        self.last_draw = 0.0
        self.drawn = False

    @classmethod
    def silent(cls) -> Meter:
        return cls(None, enabled=False)

    def start(self, label: str, total: int) -> None:
        self.label, self.total, self.done = label, total, 0
        self.started = self.last_draw = self.clock()
        self.drawn = False

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        now = self.clock()
        elapsed = now - self.started
        if self.tty:
            if now - self.last_draw >= 0.2 or self.done >= self.total:
                self._draw(now, end="\r")
        elif elapsed >= self.delay and now - self.last_draw >= self.interval:
            self._draw(now, end="\n")

    def line(self, now: float | None = None) -> str:
        now = self.clock() if now is None else now
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        pct = 100.0 * self.done / self.total if self.total else 100.0
        return (f"{self.label} {self.done}/{self.total} ({pct:.0f}%)  {rate:.1f}/s  "
                f"elapsed {_clock(elapsed)}  left {_clock(left)}")

    def _draw(self, now: float, end: str) -> None:
        assert self.stream is not None
        self.stream.write(self.line(now).ljust(78) + end)
        self.stream.flush()
        self.last_draw = now
        self.drawn = True

    def finish(self) -> None:
        """End the meter's line (on a terminal) once the work is done."""
        if self.enabled and self.drawn and self.tty:
            assert self.stream is not None
            self.stream.write(self.line().ljust(78) + "\n")
            self.stream.flush()
