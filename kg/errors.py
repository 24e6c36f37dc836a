"""Domain errors. Library code raises them; only the CLI turns them into messages and exit
codes. Each carries a stable code."""
from __future__ import annotations


class KGError(Exception):
    """Base of kg's errors."""

    code = "E000"
    exit_code = 2


class InputError(KGError):
    """A file or folder given to kg cannot be used (missing, unreadable, not text)."""

    code = "E100"


class OutputError(KGError):
    """An output cannot be written (no space left on the device, no permission...): the
    previous file is kept as it was and no temp file is left. Exit code 1, as the
    inputs' faults are: nothing is wrong with kg or its arguments."""

    code = "E120"
    exit_code = 1


class QueryError(KGError):
    """A query is unknown, malformed, refused, or its parameters are wrong."""

    code = "E200"


class GraphError(KGError):
    """A graph file cannot be parsed or is not a kg graph."""

    code = "E300"


class ReasoningBudgetExceeded(KGError):
    """The reasoner went past its time or size budget; the asserted graph is kept."""

    code = "E400"


class StoreError(KGError):
    """The on-disk Oxigraph store cannot be opened, read or written."""

    code = "E500"


class PushError(KGError):
    """Sending graphs to a remote store failed (unreachable, refused, or a bad answer)."""

    code = "E600"


class SkippedInputError(InputError):
    """``--strict``: some input files were skipped (unreadable, not text, extraction failed),
    so nothing is written. Exit code 1, like a validation failure: the inputs, not kg, are
    at fault."""

    code = "E101"
    exit_code = 1
