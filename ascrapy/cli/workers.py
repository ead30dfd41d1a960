"""``crawl NAME --processes N``: N worker processes of one spider on one shared frontier.

Each worker is the same command line without ``--processes``, with ``-s WORKER_INDEX=i``
(1 to N): feed URIs may name it (``-o items-%(worker)s.jsonl``), so that workers never
write into one file. The frontier must be shared (SCHEDULER = "ascrapy.redis.Scheduler"),
else each worker would crawl the whole site. SIGINT and SIGTERM are passed on to every
worker (the first drains, a second forces); the command exits with the highest code a
worker exited with, so a failure of any one of them is seen.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Sequence
from typing import Any

from ascrapy.exceptions import UsageError
from ascrapy.utils.misc import load_object

SHARED_FRONTIERS = ("ascrapy.redis.scheduler.Scheduler",)


def check_workers(count: int, settings: Any) -> None:
    """Refuse ``--processes`` where workers would not share their crawl or their files."""
    if count < 1:
        raise UsageError("--processes takes a number of processes, 1 or more")
    if count == 1:
        return
    scheduler = load_object(settings["SCHEDULER"])
    path = f"{scheduler.__module__}.{scheduler.__qualname__}"
    if path not in SHARED_FRONTIERS:
        raise UsageError(
            f"--processes {count} needs a frontier its workers share: SCHEDULER = 'ascrapy.redis.Scheduler' "
            f"and REDIS_URL (SCHEDULER is {settings['SCHEDULER']!r}, so each worker would crawl everything)"
        )
    for uri in settings.getdict("FEEDS"):
        if "%(worker)" not in str(uri) and not str(uri).startswith(("stdout:", "-")):
            raise UsageError(
                f"--processes {count}: the feed {uri} would be written by every worker at once; "
                "name each worker's file with %(worker)s, e.g. -o items-%(worker)s.jsonl"
            )


def worker_argv(argv: Sequence[str], prog: str, index: int) -> list[str]:
    """The command line of worker ``index``: this one without ``--processes N``."""
    arguments: list[str] = []
    skip = False
    for argument in argv:
        if skip:
            skip = False
            continue
        if argument == "--processes":
            skip = True
            continue
        if argument.startswith("--processes="):
            continue
        arguments.append(argument)
    module = "scrapy" if prog == "scrapy" else "ascrapy"
    return [sys.executable, "-m", module, *arguments, "-s", f"WORKER_INDEX={index}"]


def run_workers(count: int, argv: Sequence[str], prog: str) -> int:
    """Start ``count`` workers, pass signals on to them, wait: the highest exit code."""
    workers = [subprocess.Popen(worker_argv(argv, prog, index)) for index in range(1, count + 1)]

    def pass_on(signum: int, frame: object) -> None:
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signum)

    previous = {signum: signal.signal(signum, pass_on) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        codes = [worker.wait() for worker in workers]
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return max((code if code >= 0 else 128 - code) for code in codes)
