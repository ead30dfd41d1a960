"""How big a frontier can get: RSS per queued request, in memory, spilled and with JOBDIR.

    python bench/frontier_scale.py [--counts 1000000 10000000] [--scrapy-venv PATH]
                                   [--modes memory spill jobdir] [--scrapy-count 1000000]

Each measurement runs in a fresh subprocess (this file with --child) under the Python of its
side and reports the growth of the resident set size while ``count`` distinct requests
(dont_filter=True, on 100 hosts, so 100 download slots) are pushed into the scheduler,
then takes 10,000 of them back out (so that what was spilled must be loaded again).

- ascrapy, mode ``memory``: the Frontier without a store (the default without JOBDIR);
  ``spill``: SCHEDULER_SPILL_DIR (a temporary file beyond SCHEDULER_MEMORY_BUDGET);
  ``jobdir``: JOBDIR (every request stored until acknowledged; beyond the budget, on disk only).
- Scrapy 2.19.0: its Scheduler with default queues, without and with JOBDIR (disk queues).

Writes bench/results/frontier_scale.json; report.py adds it to bench/results/README.md.
Only the standard library is imported at the top: the child runs in Scrapy's venv too.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
URL = "http://site{host}.example/item/{number}"
HOSTS = 100
TAKEN = 10_000


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def measure(push: Any, pop: Any, length: Any, make_request: Any, count: int) -> dict[str, float]:
    """RSS before and after ``count`` pushes; then ``TAKEN`` pops, checked."""
    push(make_request(URL.format(host=0, number=-1)))  # warm-up: lazy imports, first slot
    gc.collect()
    before = rss_bytes()
    started = time.perf_counter()
    for number in range(count):
        push(make_request(URL.format(host=number % HOSTS, number=number)))
    push_seconds = time.perf_counter() - started
    gc.collect()
    after = rss_bytes()
    held = length() - 1
    started = time.perf_counter()
    taken = sum(1 for _ in range(TAKEN) if pop() is not None)
    pop_seconds = time.perf_counter() - started
    if held != count or taken != TAKEN:
        raise RuntimeError(f"held {held} of {count}, took back {taken} of {TAKEN}")
    return {
        "count": count,
        "rss_before_mb": round(before / 2**20, 1),
        "rss_after_mb": round(after / 2**20, 1),
        "peak_rss_mb": peak_rss_mb(),
        "bytes_per_request": round((after - before) / count, 1),
        "us_per_push": round(push_seconds / count * 1e6, 2),
        "us_per_pop": round(pop_seconds / TAKEN * 1e6, 2),
    }


def ascrapy_child(mode: str, count: int, work: str) -> dict[str, float]:
    import asyncio

    from ascrapy import Request, Spider
    from ascrapy.engine.frontier import Frontier
    from ascrapy.utils.test import get_crawler

    settings: dict[str, Any] = {"CONCURRENT_REQUESTS_PER_DOMAIN": 1_000_000_000, "LOG_LEVEL": "WARNING"}
    if mode == "spill":
        settings["SCHEDULER_SPILL_DIR"] = work
    elif mode == "jobdir":
        settings["JOBDIR"] = work

    async def run() -> dict[str, float]:
        frontier = Frontier.from_crawler(get_crawler(settings_dict=settings))
        frontier.open(Spider(name="scale"))
        try:
            return measure(frontier.push, frontier.next_request, frontier.__len__,
                           lambda url: Request(url, dont_filter=True), count)
        finally:
            frontier.close("finished")

    return asyncio.run(run())


def scrapy_child(mode: str, count: int, work: str) -> dict[str, float]:
    from scrapy import Request, Spider
    from scrapy.core.scheduler import Scheduler
    from scrapy.utils.test import get_crawler

    settings = {"JOBDIR": work} if mode == "jobdir" else {}
    crawler = get_crawler(Spider, settings)
    crawler.engine = crawler._create_engine()  # DownloaderAwarePriorityQueue asks its downloader
    scheduler = Scheduler.from_crawler(crawler)
    scheduler.open(Spider(name="scale"))
    try:
        return measure(scheduler.enqueue_request, scheduler.next_request, scheduler.__len__,
                       lambda url: Request(url, dont_filter=True), count)
    finally:
        scheduler.close("finished")


def run_child(python: str, side: str, mode: str, count: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="frontier-scale-") as work:
        done = subprocess.run(
            [python, str(Path(__file__).resolve()), "--child", side, mode, str(count), work],
            capture_output=True, text=True, timeout=7200,
        )
    if done.returncode:
        raise RuntimeError(f"{side} {mode} {count} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--modes", nargs="+", default=["memory", "spill", "jobdir"])
    parser.add_argument("--scrapy-count", type=int, default=1_000_000, help="0 to leave Scrapy out")
    parser.add_argument("--scrapy-venv", default=str(BENCH / ".venv-scrapy"))
    parser.add_argument("--results", default=str(BENCH / "results" / "frontier_scale.json"))
    parser.add_argument("--child", nargs=4, metavar=("SIDE", "MODE", "COUNT", "WORKDIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        side, mode, count, work = args.child
        child = ascrapy_child if side == "ascrapy" else scrapy_child
        print(json.dumps(child(mode, int(count), work)))
        return 0
    sys.path.insert(0, str(BENCH))
    from machine import code_state, write_results

    code_before = code_state()
    runs: list[tuple[str, str, int]] = []
    if args.scrapy_count:
        runs += [("scrapy", mode, args.scrapy_count) for mode in ("memory", "jobdir")]
    for count in args.counts:
        # Without a store, 10,000,000 requests need ~2.4 GB: memory is measured at the smallest count.
        runs += [("ascrapy", mode, count) for mode in args.modes if mode != "memory" or count == min(args.counts)]
    pythons = {"scrapy": str(Path(args.scrapy_venv) / "bin" / "python"), "ascrapy": sys.executable}
    rows = []
    for side, mode, count in runs:
        measured = run_child(pythons[side], side, mode, count)
        rows.append({"side": side, "mode": mode, **measured})
        print(f"{side:<8} {mode:<7} {count:>10,}  {measured['bytes_per_request']:7.1f} B/request  "
              f"peak RSS {measured['peak_rss_mb']:7.1f} MB  push {measured['us_per_push']:6.2f} us  "
              f"pop {measured['us_per_pop']:6.2f} us", flush=True)
    write_results(args.results, {"hosts": HOSTS, "taken": TAKEN, "rows": rows}, code_before)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
