"""Child processes that end when their parent does, however the parent ends (SIGKILL
included): a killed ``kg build --jobs N`` or ``kg serve`` leaves no worker behind.

On Linux the kernel sends the child SIGKILL when its parent dies (``PR_SET_PDEATHSIG``);
everywhere, a watchdog thread checks once in a while that the parent is still the one it
started with. A process that forks must not start the watchdog (a thread alive at fork time
is unsafe): it relies on the kernel signal and on its pipes closing."""
from __future__ import annotations

import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1


def _kernel_signal() -> bool:
    """Ask Linux to SIGKILL this process when its parent (thread) dies."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int, interval: float) -> None:
    while True:
        time.sleep(interval)
        if os.getppid() != parent:
            os._exit(1)


def die_with_parent(parent: int, *, watchdog: bool = True, interval: float = 1.0) -> None:
    """Make this process end when ``parent`` (the pid it was started by) ends."""
    _kernel_signal()
    if os.getppid() != parent:  # the parent died before the line above ran
        os._exit(1)
    if watchdog:
        threading.Thread(target=_watch, args=(parent, interval), daemon=True,
                         name="kg-lifeline").start()
