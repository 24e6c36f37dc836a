"""A real Dask cluster for the cluster tests: `dask scheduler` and `dask worker` processes on
127.0.0.1 (each in a process group of its own, so a test can kill one worker, nanny and all),
and the task functions the runner tests send to it (imported on the workers from tests/)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from virtuoso import free_port

TESTS = Path(__file__).parent


@dataclass
class DaskCluster:
    address: str
    scheduler: subprocess.Popen
    workers: list[subprocess.Popen] = field(default_factory=list)

    def kill_worker(self, index: int) -> None:
        """Kill one worker outright (its nanny too, so nothing restarts it)."""
        proc = self.workers[index]
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    def stop(self) -> None:
        for proc in [*self.workers, self.scheduler]:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for proc in [*self.workers, self.scheduler]:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def start(folder: Path, workers: int = 2, timeout: float = 90.0) -> DaskCluster:
    """A scheduler and ``workers`` single-threaded workers; returns once all have joined.
    The scheduler gives up on a task after it killed two workers (allowed-failures 1) and
    sends a worker one task at a time (worker-saturation 1.0), so a worker that dies takes
    only its own task with it (the setting docs/scale.md advises for kg)."""
    from distributed import Client

    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(TESTS), os.environ.get("PYTHONPATH")])),
           "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1",
           "DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION": "1.0"}
    log = open(folder / "scheduler.log", "wb")
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", str(port),
         "--no-dashboard"], cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    cluster = DaskCluster(address, scheduler)
    for i in range(workers):
        wlog = open(folder / f"worker{i}.log", "wb")
        cluster.workers.append(subprocess.Popen(
            [sys.executable, "-m", "dask", "worker", address, "--nthreads", "1", "--nworkers", "1",
             "--no-dashboard", "--host", "127.0.0.1", "--name", f"w{i}",
             "--local-directory", str(folder / f"w{i}")],
            cwd=folder, env=env, stdout=wlog, stderr=subprocess.STDOUT, start_new_session=True))
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                with Client(address, timeout="5s", set_as_default=False) as client:
                    client.wait_for_workers(workers, timeout=max(1.0, deadline - time.monotonic()))
                return cluster
            except OSError:
                if time.monotonic() > deadline or scheduler.poll() is not None:
                    raise
                time.sleep(0.5)
    except BaseException:
        cluster.stop()
        raise


# -- tasks the runner tests send (they run on the workers) ---------------------------------------
def flaky(marker: str, value: int) -> int:
    """Fails the first time it runs (it leaves a marker file), then answers ``value``."""
    path = Path(marker)
    if not path.exists():
        path.write_text("ran once\n", encoding="utf-8")
        raise OSError("the shared disk hiccuped")
    return value


def fatal(items: list[str]) -> list[str]:
    """Kills the worker process that runs it when one of the items is "poison" (as a
    segfault or the kernel's out-of-memory killer would); else returns the items."""
    if "poison" in items:
        os._exit(3)
    return [item.upper() for item in items]
