"""Run a command under GNU time (``/usr/bin/time -v``) and read back what the kernel counted.

CPU is user + system time of the process and of the children it waited for; peak memory
is "Maximum resident set size". GNU time writes its report to a file of its own (``-o``),
so the command's output stays separate.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

GNU_TIME = "/usr/bin/time"


@dataclass(frozen=True)
class Measured:
    """One timed run; ``cpu_s`` is user + sys, ``max_rss_kb`` GNU time's peak RSS."""

    user_s: float
    sys_s: float
    wall_s: float
    max_rss_kb: int
    exit_status: int

    @property
    def cpu_s(self) -> float:
        return self.user_s + self.sys_s

    def as_dict(self) -> dict[str, float | int]:
        return {**asdict(self), "cpu_s": round(self.cpu_s, 3)}


def parse_elapsed(text: str) -> float:
    """GNU time's wall clock, "h:mm:ss" or "m:ss.ss", in seconds."""
    seconds = 0.0
    for part in text.strip().split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def parse_gnu_time(report: str) -> Measured:
    """The fields of a ``/usr/bin/time -v`` report that the benchmarks use."""
    fields: dict[str, str] = {}
    for line in report.splitlines():
        name, sep, value = line.strip().rpartition(": ")
        if sep:
            fields[name] = value
    elapsed = next(value for name, value in fields.items() if name.startswith("Elapsed (wall clock) time"))
    return Measured(
        user_s=float(fields["User time (seconds)"]),
        sys_s=float(fields["System time (seconds)"]),
        wall_s=parse_elapsed(elapsed),
        max_rss_kb=int(fields["Maximum resident set size (kbytes)"]),
        exit_status=int(fields.get("Exit status", "0")),
    )


def run_timed(
    command: Sequence[str],
    log: Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 1800,
) -> Measured:
    """Run ``command`` under GNU time, its stdout and stderr into ``log``."""
    if shutil.which(GNU_TIME) is None:
        raise RuntimeError(f"{GNU_TIME} is missing: install the Debian package 'time'")
    report = log.with_suffix(".time")
    with log.open("w") as output:
        subprocess.run(
            [GNU_TIME, "-v", "-o", str(report), *command],
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=cwd,
            env=env,
            timeout=timeout,
            check=False,
        )
    return parse_gnu_time(report.read_text())


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
