"""What the numbers were measured on: cores, CPU, Python, versions, and the git commit;
and writing a benchmark's results with the code it measured."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent


def _run(command: list[str], cwd: Path | None = None) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (done.stdout or done.stderr).strip()


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def nproc() -> int:
    """The CPUs this process may run on (os.cpu_count() counts the host's, even in a container)."""
    return len(os.sched_getaffinity(0))


def memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


CODE_PATHS = ("ascrapy", "compat")


def compile_ascrapy() -> None:
    """Write the bytecode of ascrapy and compat, as pip did for Scrapy's venv when it
    installed it: neither side then pays for compiling its modules in a measured run (an
    editable install under PYTHONDONTWRITEBYTECODE would compile them in every run)."""
    paths = [str(REPO / path) for path in CODE_PATHS]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *paths], check=True, stdout=subprocess.DEVNULL)


def code_state() -> dict[str, str]:
    """Which ascrapy code is in the tree: the commit, and a digest of the code itself.

    The digest covers ascrapy/ and compat/ as committed plus any uncommitted change to
    them, so two measurements with the same digest ran the same code even when commits
    that touch only tests or docs came in between. Read-only git commands only.
    """
    commit = _run(["git", "log", "-1", "--format=%h"], cwd=REPO) or "unknown"
    changes = _run(["git", "status", "--porcelain", "--", *CODE_PATHS], cwd=REPO)
    digest = hashlib.sha1()
    for path in CODE_PATHS:
        digest.update(_run(["git", "rev-parse", f"HEAD:{path}"], cwd=REPO).encode())
    if changes:
        digest.update(changes.encode())
        digest.update(_run(["git", "diff", "HEAD", "--", *CODE_PATHS], cwd=REPO).encode())
        for line in changes.splitlines():
            if line.startswith("??"):  # untracked files: git diff does not show them
                path = REPO / line[3:].strip()
                for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
                    digest.update(file.read_bytes() if file.is_file() else b"")
    label = f"{commit} + uncommitted changes" if changes else commit
    return {"commit": label, "digest": digest.hexdigest()[:10]}


def write_results(path: str | Path, result: dict[str, Any], code_before: dict[str, str]) -> None:
    """Write ``result`` as JSON to ``path``, under the code measured: ``code_before`` (taken
    when the benchmark started) and the code now, which report.py compares."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"code": {"before": code_before, "after": code_state()}, **result}, indent=2) + "\n")
    print(f"written to {path}")


def python_version(python: str) -> str:
    return _run([python, "-c", "import platform; print(platform.python_version())"])


def scrapy_version(scrapy_venv: Path) -> str:
    return _run([str(scrapy_venv / "bin" / "python"), "-c", "import scrapy; print(scrapy.__version__)"])


def ascrapy_version() -> str:
    return _run([sys.executable, "-c", "from ascrapy.utils.log import ascrapy_version; print(ascrapy_version())"])


def describe(scrapy_venv: Path) -> dict[str, str]:
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(nproc()),
        "cpu": cpu_model(),
        "memory": memory_gib(),
        "os": f"{platform.system()} {platform.release()}",
        "python (ascrapy)": platform.python_version(),
        "python (Scrapy)": python_version(str(scrapy_venv / "bin" / "python")),
        "Scrapy": scrapy_version(scrapy_venv),
        "ascrapy": ascrapy_version(),
        "ascrapy commit (at report time)": code_state()["commit"],
    }
