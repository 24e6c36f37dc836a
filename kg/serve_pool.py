"""The processes that run ``kg serve``'s queries, and the time limit that stops them.

Neither rdflib nor pyoxigraph can interrupt a query once it runs (pyoxigraph's Python API has
no timeout: oxigraph issue 1926), so every query runs in a worker process, one at a time,
and a query past its time limit is stopped by killing its worker: its CPU and memory are
freed at once and its slot goes to the next query.

Workers are forked from a *loader* process (spawned clean, single-threaded) that has loaded
the graph once, so a new worker is ready in milliseconds and shares the loaded graph with
the others (copy-on-write). With a store, each worker opens the store itself (a database
handle must not cross a fork). Each worker is connected to the server by its own socket
pair, handed over by the loader (``SCM_RIGHTS``).

No process outlives the server: the loader exits when its pipe to the server closes, idle
workers when theirs does, and a busy worker is killed by the kernel when the loader goes
(kg.lifeline)."""
from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.reduction import recv_handle, send_handle

from .errors import KGError, ServeError
from .serve_sched import Busy, Limits, Slots, Ticket
from .serve_work import Job, Reply, Source, describe, engine_for, error_reply, execute, preload

LOAD_SECONDS = 600.0  # how long the loader may take to load a graph
JOBS_PER_WORKER = 500  # a worker is replaced after this many queries (memory drifts)


def _zygote_main(source: Source, conn: Connection, server: int) -> None:
    """The loader: load once, then fork a worker whenever the server asks."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    try:
        from . import query

        preloaded = preload(source)
        info = describe(source, preloaded)
        library = query.library()
        query.parse_query("ASK {}")  # rdflib builds its parser on first use: once, before forking
        gc.freeze()  # the loaded graph is never scanned by the workers' collector: fewer copied pages
    except KGError as exc:
        conn.send(("error", exc))  # pickled whole: the server raises it with its code
        return
    except Exception as exc:  # pragma: no cover - a bug, reported on the server's line
        conn.send(("error", repr(exc)))
        return
    conn.send(("ready", info))
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped by the kernel
    me = os.getpid()
    while True:
        try:
            conn.recv()
        except (EOFError, OSError):  # the server is gone
            os._exit(0)
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                conn.close()
                ours.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                from .lifeline import die_with_parent

                die_with_parent(me, watchdog=False)
                _worker_loop(Connection(theirs.detach()), source, preloaded, library)
            except BaseException as exc:  # noqa: BLE001 - a worker never returns into the loader's loop
                print(f"kg serve: a query worker failed: {exc!r}", file=sys.stderr)
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        conn.send(pid)
        send_handle(conn, ours.fileno(), server)
        ours.close()


def _worker_loop(conn: Connection, source: Source, preloaded, library) -> None:
    engine = engine_for(source, preloaded)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        reply = execute(engine, library, job)
        try:
            conn.send(reply)
        except OSError:
            return


@dataclass(eq=False)
class Worker:
    pid: int
    conn: Connection
    jobs: int = 0

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.conn.close()


class Pool:
    """Worker processes under :class:`~kg.serve_sched.Slots`: ``run`` gives every job a slot,
    a worker and a time limit, and always returns a Reply."""

    def __init__(self, source: Source, limits: Limits = Limits()) -> None:
        self.source = source
        self.limits = limits
        self.slots = Slots(limits)
        self.idle: list[Worker] = []
        self.busy: set[Worker] = set()
        self.lock = threading.Lock()  # idle/busy lists
        self.loader_lock = threading.Lock()  # the loader's pipe
        self.stopped = 0  # queries stopped at their time limit
        self.closed = False
        ctx = multiprocessing.get_context("spawn")
        self.loader_conn, theirs = ctx.Pipe(duplex=True)
        self.loader = ctx.Process(target=_zygote_main, args=(source, theirs, os.getpid()),
                                  name="kg-serve-loader", daemon=True)
        self.loader.start()
        theirs.close()
        if not self.loader_conn.poll(LOAD_SECONDS):
            self.close()
            raise ServeError(f"{source}: loading took longer than {LOAD_SECONDS:g} s")
        try:
            status, message = self.loader_conn.recv()
        except EOFError:
            status, message = "error", "the loader process died (out of memory?)"
        if status != "ready":
            self.close()
            raise message if isinstance(message, KGError) else ServeError(str(message))
        self.info: dict = message  # what kg.serve_work.describe says of the source
        for _ in range(limits.workers):
            self.idle.append(self._fork())

    def _fork(self) -> Worker:
        with self.loader_lock:
            try:
                self.loader_conn.send("fork")
                pid = self.loader_conn.recv()
                fd = recv_handle(self.loader_conn)
            except (EOFError, OSError) as exc:
                raise ServeError("the query loader process is gone; restart kg serve") from exc
        return Worker(pid, Connection(fd))

    def _take(self) -> Worker:
        with self.lock:
            worker = self.idle.pop() if self.idle else None
        if worker is None:
            worker = self._fork()
        with self.lock:
            self.busy.add(worker)
        return worker

    def _give_back(self, worker: Worker) -> None:
        with self.lock:
            self.busy.discard(worker)
            keep = not self.closed and worker.jobs < JOBS_PER_WORKER
            if keep:
                self.idle.append(worker)
        if not keep:
            worker.conn.close()  # it exits on EOF

    def _drop(self, worker: Worker) -> None:
        with self.lock:
            self.busy.discard(worker)
        worker.kill()

    def run(self, job: Job, client: str) -> Reply:
        """Run ``job`` for ``client``: wait for a slot, run it in a worker, stop it at the
        slot's time limit."""
        try:
            ticket = self.slots.enter(client)
        except Busy as exc:
            return error_reply(503, str(exc), retry_after=5)
        try:
            return self._run(job, ticket)
        finally:
            self.slots.leave(ticket)

    def _run(self, job: Job, ticket: Ticket) -> Reply:
        try:
            worker = self._take()
        except KGError as exc:
            return error_reply(503, str(exc))
        worker.jobs += 1
        try:
            worker.conn.send(job)
            while True:  # a query in the spare slot may be promoted while it runs
                seconds = self.slots.seconds(ticket)
                left = ticket.since + seconds - time.monotonic()
                if left > 0 and worker.conn.poll(left):
                    reply = worker.conn.recv()
                    self._give_back(worker)
                    return reply
                if self.slots.seconds(ticket) == seconds:
                    break
        except (EOFError, OSError):
            self._drop(worker)
            return error_reply(500, "the query's worker process died (out of memory?); try a smaller query")
        self._drop(worker)  # past the limit: the query stops with its process
        with self.lock:
            self.stopped += 1
        if seconds < self.limits.seconds:
            return error_reply(503, f"stopped at {seconds:g} s: every regular query slot stayed busy, "
                                    "so it ran in the spare slot, which has a short time limit; "
                                    "try again shortly", retry_after=5)
        return error_reply(503, f"the query ran past the time limit of {seconds:g} s and was stopped")

    def worker_pids(self) -> set[int]:
        with self.lock:
            return {w.pid for w in self.idle} | {w.pid for w in self.busy}

    def status(self) -> dict:
        with self.lock:
            counts = {"workers": len(self.idle) + len(self.busy), "busy": len(self.busy),
                      "stopped_at_time_limit": self.stopped}
        return {**counts, **self.slots.status()}

    def close(self) -> None:
        """End every process: workers and loader."""
        with self.lock:
            self.closed = True
            workers = self.idle + list(self.busy)
            self.idle, self.busy = [], set()
        for worker in workers:
            worker.kill()
        self.loader_conn.close()
        self.loader.join(timeout=5)
        if self.loader.is_alive():  # pragma: no cover - it exits on EOF
            self.loader.kill()
            self.loader.join(timeout=5)
