"""Running commands for the runner: a log line, a command whose output goes to a log file."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

CACHE = Path(__file__).resolve().parent.parent / ".plugin-cache"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(command: list[str], *, log_to: Path | None = None, check: bool = True,
        cwd: str | Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command; its output is appended to ``log_to`` when given, else captured."""
    if log_to is not None:
        log_to.parent.mkdir(parents=True, exist_ok=True)
        with log_to.open("a") as out:
            out.write(f"\n$ {' '.join(map(str, command))}\n")
            out.flush()
            result = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, text=True, cwd=cwd)
    else:
        result = subprocess.run(command, capture_output=True, text=True, cwd=cwd)
    if check and result.returncode != 0:
        where = f" (see {log_to})" if log_to else f":\n{result.stdout}\n{result.stderr}"
        raise RuntimeError(f"{' '.join(map(str, command[:4]))}... exited {result.returncode}{where}")
    return result
