"""Memory per queued request and per seen fingerprint, at a million of each, Scrapy and ascrapy.

    python bench/scale_memory.py [--count 1000000] [--fingerprint-count N] [--scrapy-venv PATH]

Each measurement runs in a fresh subprocess (this same file with --child), under the
Python of the side it measures, and reports the growth of its resident set size:

- queue: ``count`` distinct requests (dont_filter=True, so that only the queue is measured)
  pushed into ascrapy.engine.frontier.Frontier, or into Scrapy's Scheduler with its default
  memory queues. The Request objects themselves are part of what a queue holds.
- fingerprints: request_seen() calls with distinct requests on each one's RFPDupeFilter
  (built from a crawler, so with its request fingerprinter); the requests are dropped after
  the call, so what stays is the fingerprint set. ascrapy makes ``--fingerprint-count``
  calls (``count`` unless given, 10,000,000 shows how the set scales); Scrapy at most
  SCRAPY_FINGERPRINT_COUNT (its set of bytes needs about 1 GB at 10,000,000). Each row of
  the results holds its own count, and the peak RSS of its process (merges can make the
  set briefly larger than it ends).

Only the standard library is imported at the top: the child runs in Scrapy's venv too.
Writes bench/results/scale_memory.json.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
URL = "http://example.com/item/{}"
SCRAPY_FINGERPRINT_COUNT = 1_000_000


def rss_bytes() -> int:
    """The current resident set size (the second field of /proc/self/statm, in pages)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def measure(setup, step, count: int) -> dict[str, float]:
    """RSS before and after ``count`` calls of ``step(i)``, after ``setup()``; collected first."""
    state = setup()
    step(state, -1)  # first call outside the measurement: lazy imports and caches
    gc.collect()
    before = rss_bytes()
    started = time.perf_counter()
    for number in range(count):
        step(state, number)
    seconds = time.perf_counter() - started
    gc.collect()
    after = rss_bytes()
    return {
        "count": count,
        "rss_before_mb": round(before / 2**20, 1),
        "rss_after_mb": round(after / 2**20, 1),
        "bytes_per_entry": round((after - before) / count, 1),
        "us_per_call": round(seconds / count * 1e6, 2),
        "held": state["size"]() - 1,  # less the warm-up entry
    }


def peak_rss_bytes() -> int:
    """The highest resident set size of this process so far (VmHWM in /proc/self/status)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def with_peak(measured: dict[str, float]) -> dict[str, float]:
    """``measured`` with the peak RSS of the process (fingerprints: merges can make the set
    briefly larger than it ends); VmHWM can lag the RSS by a few dozen pages."""
    measured["peak_rss_mb"] = max(round(peak_rss_bytes() / 2**20, 1), measured["rss_after_mb"])
    return measured


# ------------------------------------------------------------------------------ ascrapy


def ascrapy_queue(count: int) -> dict[str, float]:
    import asyncio

    from ascrapy import Request
    from ascrapy.engine.frontier import Frontier
    from ascrapy.utils.test import get_crawler

    async def run() -> dict[str, float]:
        def setup():
            frontier = Frontier.from_crawler(get_crawler())
            frontier.open(None)
            return {"push": frontier.push, "size": lambda: len(frontier)}

        def step(state, number):
            state["push"](Request(URL.format(number), dont_filter=True))

        return measure(setup, step, count)

    return asyncio.run(run())


def ascrapy_fingerprints(count: int) -> dict[str, float]:
    from ascrapy import Request
    from ascrapy.dupefilters import RFPDupeFilter
    from ascrapy.utils.test import get_crawler

    def setup():
        dupefilter = RFPDupeFilter.from_crawler(get_crawler())
        return {"seen": dupefilter.request_seen, "size": lambda: len(dupefilter._fingerprints)}

    def step(state, number):
        assert not state["seen"](Request(URL.format(number)))

    return with_peak(measure(setup, step, count))


# ------------------------------------------------------------------------------ Scrapy


def scrapy_queue(count: int) -> dict[str, float]:
    from scrapy import Request, Spider
    from scrapy.core.scheduler import Scheduler
    from scrapy.utils.test import get_crawler

    def setup():
        crawler = get_crawler(Spider)
        # the default DownloaderAwarePriorityQueue asks the engine's downloader for slots
        crawler.engine = crawler._create_engine()
        scheduler = Scheduler.from_crawler(crawler)
        scheduler.open(Spider(name="memory"))
        return {"push": scheduler.enqueue_request, "size": lambda: len(scheduler)}

    def step(state, number):
        state["push"](Request(URL.format(number), dont_filter=True))

    return measure(setup, step, count)


def scrapy_fingerprints(count: int) -> dict[str, float]:
    from scrapy import Request, Spider
    from scrapy.dupefilters import RFPDupeFilter
    from scrapy.utils.test import get_crawler

    def setup():
        dupefilter = RFPDupeFilter.from_crawler(get_crawler(Spider))
        return {"seen": dupefilter.request_seen, "size": lambda: len(dupefilter.fingerprints)}

    def step(state, number):
        assert not state["seen"](Request(URL.format(number)))

    return with_peak(measure(setup, step, count))


CHILDREN = {
    ("ascrapy", "queue"): ascrapy_queue,
    ("ascrapy", "fingerprints"): ascrapy_fingerprints,
    ("scrapy", "queue"): scrapy_queue,
    ("scrapy", "fingerprints"): scrapy_fingerprints,
}


def peak_note(measured: dict[str, float]) -> str:
    return f", peak {measured['peak_rss_mb']} MB" if "peak_rss_mb" in measured else ""


def run_child(python: str, side: str, what: str, count: int) -> dict[str, float]:
    done = subprocess.run(
        [python, str(Path(__file__).resolve()), "--child", side, what, "--count", str(count)],
        capture_output=True, text=True, timeout=1800,
    )
    if done.returncode:
        raise RuntimeError(f"{side} {what} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--fingerprint-count", type=int, help="ascrapy's request_seen() calls (default: --count)")
    parser.add_argument("--scrapy-venv", default=str(BENCH / ".venv-scrapy"))
    parser.add_argument("--results", default=str(BENCH / "results" / "scale_memory.json"))
    parser.add_argument("--child", nargs=2, metavar=("SIDE", "WHAT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CHILDREN[tuple(args.child)](args.count)))
        return 0
    pythons = {"scrapy": str(Path(args.scrapy_venv) / "bin" / "python"), "ascrapy": sys.executable}
    sys.path.insert(0, str(BENCH))
    from machine import code_state, write_results

    code_before = code_state()
    fingerprint_count = args.fingerprint_count or args.count
    counts = {
        ("scrapy", "queue"): args.count,
        ("ascrapy", "queue"): args.count,
        ("scrapy", "fingerprints"): min(fingerprint_count, SCRAPY_FINGERPRINT_COUNT),
        ("ascrapy", "fingerprints"): fingerprint_count,
    }
    result: dict[str, Any] = {"count": args.count, "sides": {}}
    for what in ("queue", "fingerprints"):
        for side in ("scrapy", "ascrapy"):
            count = counts[side, what]
            measured = run_child(pythons[side], side, what, count)
            if measured["held"] != count:
                raise RuntimeError(f"{side} {what}: holds {measured['held']} entries, expected {count}")
            result["sides"].setdefault(side, {})[what] = measured
            print(f"{side:<8} {what:<13} {count:>11,} {measured['bytes_per_entry']:8.1f} bytes/entry  "
                  f"{measured['us_per_call']:6.2f} us/call  (RSS {measured['rss_before_mb']} -> "
                  f"{measured['rss_after_mb']} MB{peak_note(measured)})", flush=True)
    write_results(args.results, result, code_before)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
