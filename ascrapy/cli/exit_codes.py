"""Exit codes a Job controller can act on (STRICT_EXIT, ``--strict``).

Scrapy exits 0 whenever a crawl ran, even when every request failed or the items could not
be written; that stays the default. 1 and 2 are decided before a crawl runs, and 7 when the
crawl could not go on, in both modes.
With STRICT_EXIT a crawl that ran is judged by its final stats; the first row that matches
gives the code:

====  ===================  ==================================================================
code  name                 when
====  ===================  ==================================================================
1     START_FAILED         the spider could not be found, imported or started (both modes)
2     USAGE                a usage error on the command line (both modes)
7     CRAWL_FAILED         the crawl stopped because it could not go on (both modes): items
                           could be neither written nor dead-lettered (``dead_letter_error``),
                           the Redis frontier was lost (``redis_error``), a Kafka spider could
                           not read its topic (``kafka_error``: the brokers were unreachable at
                           start, the group or topic refused it)
130   SIGINT               stopped by SIGINT (Ctrl-C), drained (or forced by a second signal)
143   SIGTERM              stopped by SIGTERM (a pod being deleted), drained or forced
3     CLOSED_EARLY         closed for another reason than ``finished``: a CLOSESPIDER_* limit,
                           CloseSpider, ``start_error``, ``memusage_exceeded`` ...
4     ALL_REQUESTS_FAILED  requests were sent and not one got a response below 400
5     ITEMS_NOT_WRITTEN    items were lost on their way to a sink: dead letters, a feed that
                           could not be stored, an item pipeline that raised
6     ERRORS_LOGGED        ERROR or CRITICAL log records
0     OK                   none of the above
====  ===================  ==================================================================

130 and 143 follow the shell's 128 + signal number convention. A JOBDIR crawl stopped by a
signal resumes where it stopped when run again, so a controller may retry it; codes 3 to 6
are the crawl's own outcome, which a retry does not mend.
"""

from __future__ import annotations

import signal
from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    OK = 0
    START_FAILED = 1
    USAGE = 2
    CLOSED_EARLY = 3
    ALL_REQUESTS_FAILED = 4
    ITEMS_NOT_WRITTEN = 5
    ERRORS_LOGGED = 6
    CRAWL_FAILED = 7
    SIGINT = 128 + signal.SIGINT
    SIGTERM = 128 + signal.SIGTERM


@dataclass(frozen=True)
class Verdict:
    """The exit code of a finished crawl and, when it is not OK, why (one line for the log)."""

    code: ExitCode
    reason: str = ""


# Finish reasons of a crawl that stopped because it could not go on: a non-zero exit in both
# modes (ascrapy.pipelines.dead_letters, ascrapy.redis.scheduler, ascrapy.kafka.spider).
FAILURE_REASONS = frozenset({"dead_letter_error", "redis_error", "kafka_error"})

_SIGNAL_CODES = {signal.SIGINT: ExitCode.SIGINT, signal.SIGTERM: ExitCode.SIGTERM}


def strict_verdict(stats: Mapping[str, Any], stopped_by: int | None = None) -> Verdict:
    """Judge a crawl by its final stats; ``stopped_by`` is the signal that stopped it, if any."""
    reason = stats.get("finish_reason")
    if stopped_by is not None and reason != "finished":
        code = _SIGNAL_CODES.get(signal.Signals(stopped_by), ExitCode.CLOSED_EARLY)
        return Verdict(code, f"stopped by {signal.Signals(stopped_by).name}")
    if reason != "finished":
        return Verdict(ExitCode.CLOSED_EARLY, f"the spider closed with reason {reason!r}")
    sent, answered = _requests_sent_and_answered(stats)
    if sent and not answered:
        return Verdict(ExitCode.ALL_REQUESTS_FAILED, f"none of the {sent} requests got a response below 400")
    lost = _items_not_written(stats)
    if lost:
        return Verdict(ExitCode.ITEMS_NOT_WRITTEN, lost)
    errors = _count(stats, "log_count/ERROR") + _count(stats, "log_count/CRITICAL")
    if errors:
        return Verdict(ExitCode.ERRORS_LOGGED, f"{errors} ERROR or CRITICAL log records")
    return Verdict(ExitCode.OK)


def _count(stats: Mapping[str, Any], key: str) -> int:
    value = stats.get(key, 0)
    return int(value) if isinstance(value, (int, float)) else 0


def _sum_by_prefix(stats: Mapping[str, Any], prefix: str, *, below_400: bool = False) -> int:
    total = 0
    for key in stats:
        if not key.startswith(prefix):
            continue
        if below_400:
            status = key[len(prefix) :]
            if not status.isdigit() or int(status) >= 400:
                continue
        total += _count(stats, key)
    return total


def _requests_sent_and_answered(stats: Mapping[str, Any]) -> tuple[int, int]:
    """Requests the downloader sent and answers below 400, robots.txt left out of both."""
    sent = _count(stats, "downloader/request_count") - _count(stats, "robotstxt/request_count")
    answered = _sum_by_prefix(stats, "downloader/response_status_count/", below_400=True) - _sum_by_prefix(
        stats, "robotstxt/response_status_count/", below_400=True
    )
    return max(sent, 0), max(answered, 0)


def _items_not_written(stats: Mapping[str, Any]) -> str:
    """Why items were lost, or "" when none was."""
    problems = []
    dead = _count(stats, "dead_letter_count")
    if dead:
        problems.append(f"{dead} items dead-lettered")
    feeds = _sum_by_prefix(stats, "feedexport/failed_count/")
    if feeds:
        problems.append(f"{feeds} feeds could not be stored")
    failed_items = _count(stats, "item_error_count")
    if failed_items:
        problems.append(f"{failed_items} items failed in an item pipeline")
    return ", ".join(problems)
