"""A real Virtuoso for the push tests: a private copy of Debian's configuration with its
database in a temp folder and both ports on free 127.0.0.1 ports, run in the foreground; its
bulk loader may read the folder ``load/`` inside that temp folder (DirsAllowed)."""
from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

SYSTEM_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Virtuoso:
    process: subprocess.Popen
    http_port: int
    folder: Path
    sql_port: int = 0

    @property
    def isql(self) -> str:
        """HOST:PORT of the SQL port, for isql."""
        return f"127.0.0.1:{self.sql_port}"

    @property
    def load_dir(self) -> Path:
        """A folder the server's bulk loader may read."""
        return self.folder / "load"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def gsp(self) -> str:
        return f"{self.base}/sparql-graph-crud-auth"

    @property
    def sparql(self) -> str:
        return f"{self.base}/sparql"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def available() -> str | None:
    """Why a Virtuoso cannot be started here, or None when it can."""
    if shutil.which("virtuoso-t") is None:
        return "virtuoso-t is not installed (apt-get install virtuoso-opensource)"
    if not SYSTEM_INI.exists():
        return f"{SYSTEM_INI} is missing"
    return None


def configure(folder: Path, sql_port: int, http_port: int) -> Path:
    text = SYSTEM_INI.read_text(encoding="utf-8", errors="replace")
    text = text.replace("/var/lib/virtuoso-opensource-7/db/", f"{folder}/")
    section = None
    lines = []
    for line in text.splitlines():
        m = re.match(r"\s*\[(\w[\w ]*)\]", line)
        if m:
            section = m.group(1)
        if re.match(r"\s*ServerPort\s*=", line):
            port = sql_port if section == "Parameters" else http_port
            line = f"ServerPort = 127.0.0.1:{port}"
        if re.match(r"\s*DirsAllowed\s*=", line):
            line = f"DirsAllowed = ., /usr/share/virtuoso-opensource-7/vad, {folder}/load"
        lines.append(line)
    ini = folder / "virtuoso.ini"
    ini.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ini


def start(folder: Path, timeout: float = 90.0) -> Virtuoso:
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = configure(folder, sql_port, http_port)
    log = open(folder / "stdout.log", "wb")
    process = subprocess.Popen(["virtuoso-t", "+configfile", str(ini), "+foreground"],
                               cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    server = Virtuoso(process, http_port, folder, sql_port)
    server.load_dir.mkdir(exist_ok=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited with {process.returncode}: "
                               f"{(folder / 'stdout.log').read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"{server.sparql}?query=ASK%7B%7D", timeout=2) as r:
                if r.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.5)
    server.stop()
    raise RuntimeError(f"virtuoso-t did not answer within {timeout:.0f} s")
