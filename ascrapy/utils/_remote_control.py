"""Job files of the RemoteControl extension: how other processes find a running crawl.

Each crawl with the remote control on writes ``<pid>-<uuid>.json`` (port, token, spider)
into a per-user directory that only its owner may read, and removes it when it stops. The
directory is Scrapy's, so tools written for Scrapy (its MCP server) find ascrapy crawls too.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any, Literal, NotRequired, TypedDict

JOB_FILE_VERSION = 1

try:
    from platformdirs import user_state_dir
except ImportError:  # platformdirs is optional: the same folders, for the usual systems

    def user_state_dir(appname: str, appauthor: Any = None, *args: Any, **kwargs: Any) -> str:
        """The per-user state folder of ``appname`` (platformdirs' answer)."""
        home = Path.home()
        if sys.platform == "win32":
            base = os.environ.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        elif sys.platform == "darwin":
            base = str(home / "Library" / "Application Support")
        else:
            base = os.environ.get("XDG_STATE_HOME", "").strip() or str(home / ".local" / "state")
        return str(Path(base, appname))


class StatusResult(TypedDict):
    """The body of a ``/status`` answer."""

    pid: int
    spider: str
    project: str | None
    scrapy_version: str
    start_time: float | None


class ExecuteResult(TypedDict):
    """The body of an ``/execute`` answer."""

    status: Literal["ok", "compile_error", "error", "timeout"]
    output: str
    traceback: str | None
    elapsed_sec: float
    output_truncated: NotRequired[bool]
    traceback_truncated: NotRequired[bool]


def job_files_dir(settings: Any) -> Path:
    """REMOTE_CONTROL_JOBS_DIR, or job_files in the user's state folder for Scrapy."""
    configured = settings.get("REMOTE_CONTROL_JOBS_DIR")
    if configured:
        return Path(configured)
    return Path(user_state_dir("scrapy", appauthor=False), "job_files")


def new_job_file_name() -> str:
    return f"{os.getpid()}-{uuid.uuid4().hex}.json"


def write_job_file(path: Path, *, spider: str, project: str | None, scrapy_version: str,
                   port: int, token: str) -> None:
    """Write the job file, readable by its owner only (it holds the token).

    The content goes to a hidden temporary file created exclusively with mode 0600, then
    is renamed into place: no reader ever sees a partial or world-readable file.
    """
    record = {
        "version": JOB_FILE_VERSION,
        "pid": os.getpid(),
        "port": port,
        "token": token,
        "spider": spider,
        "project": project,
        "scrapy_version": scrapy_version,
        "start_time": time.time(),
    }
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    partial = path.with_name(f".{path.name}.tmp")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(record, file)
        partial.chmod(0o600)
        partial.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
