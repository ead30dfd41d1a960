"""JOBDIR handling (scrapy.utils.job)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def job_dir(settings: Any) -> str | None:
    """The JOBDIR setting, created if missing; None when crawls are not persisted."""
    path = settings.get("JOBDIR")
    if not path:
        return None
    Path(path).mkdir(parents=True, exist_ok=True)
    return str(path)
