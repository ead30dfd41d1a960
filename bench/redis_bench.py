"""Distributed crawl on Redis: ascrapy's Redis frontier against scrapy-redis 0.9.1 on Scrapy 2.19.

    python bench/redis_bench.py [--runs 3] [--warmup 1] [--workers 1,2] [--parts crawl,memory]
                                [--queue-count 100000] [--fingerprint-count 1000000]
                                [--scrapy-venv PATH] [--server auto|nginx|aiohttp]

Two parts, both written to bench/results/redis.json (report.py makes a section of it):

crawl
    bench/spiders/links_spider.py, unmodified, on the generated site (2,000 pages, 20 links
    each, nginx), run by ``scrapy runspider`` exactly as crawl_bench.py runs it (-O items
    per worker, CONCURRENT_REQUESTS=32 per worker, -L INFO), with the Redis settings only:
    scrapy-redis in Scrapy's venv (its Scheduler and RFPDupeFilter), ascrapy's compat
    ``scrapy`` next to this Python (ascrapy.redis.Scheduler). Both get SCHEDULER_PERSIST=True:
    without it scrapy-redis's first worker to finish deletes the shared queue and
    fingerprints while the other still crawls, and that one then crawls every page again.
    Each run has a redis-server of its own (tests/redis_server.py) and 1 or 2 workers,
    started together and waited for. A run counts only if every worker exited 0 and their
    items together cover every page; pages crawled twice are counted.

    Measured: CPU (user + sys) of each worker from /usr/bin/time, redis-server's from
    /proc/<pid>/stat over the run; wall = the slowest worker's; pages/s = pages / that wall
    (start-up included) and, start-up left out, pages / the longest elapsed_time_seconds
    of the workers' stats. From Redis's INFO (after CONFIG RESETSTAT, less what measuring
    costs): commands = total_commands_processed, which counts every command Redis runs: each
    command of a pipeline, MULTI and EXEC, and each redis.call() inside a Lua script as well
    as the EVALSHA; round trips = total_writes_processed, the replies Redis wrote back, one
    per request-and-answer of a client (a pipeline or a script call is one), the same
    measure for both sides without tracing the sockets. ascrapy's own 'redis/round_trips'
    stat is kept alongside (it counts a script call that had to load its script first as
    one). Sides alternate after an unmeasured warm-up round; medians of ``--runs``.

memory
    Each side's requests or fingerprints written into a fresh redis-server by
    bench/redis_fill.py, run with the side's own Python, then measured once it has exited:
    how much used_memory drops when the key is deleted (the allocator's count of the key), and
    MEMORY USAGE of the key (Redis's estimate), per entry. Queue: ``--queue-count`` requests as the crawl
    queues them, in the default sorted set and in a list (FifoQueue). Fingerprints:
    ``--fingerprint-count`` in the dupefilter set (both sides) and in ascrapy's Bloom filter
    at 0.1% with DUPEFILTER_BLOOM_CAPACITY = the count, whose false-positive rate is
    measured with as many other requests.

Exits non-zero when a run failed or items are missing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO))

import redis  # noqa: E402

from crawl_bench import CONCURRENCY, SPIDER, spider_command  # noqa: E402
from machine import code_state, compile_ascrapy, nproc, write_results  # noqa: E402
from site_server import serve_link_site  # noqa: E402
from timing import Measured, run_timed, tail  # noqa: E402

from tests.redis_server import RedisServer  # noqa: E402

SIDES = ("scrapy-redis", "ascrapy")
SIDE_LABELS = {"scrapy-redis": "scrapy-redis 0.9.1 (Scrapy 2.19.0)", "ascrapy": "ascrapy"}
SIDE_SETTINGS = {
    "scrapy-redis": {"SCHEDULER": "scrapy_redis.scheduler.Scheduler",
                     "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter"},
    "ascrapy": {"SCHEDULER": "ascrapy.redis.Scheduler"},
}
COMMON_SETTINGS = {"SCHEDULER_PERSIST": "True"}  # why: see the module docstring
STAT_LINE = re.compile(r"'([\w/]+)': ([\d.]+)")


# -- Redis, measured from outside ----------------------------------------------------------


def process_cpu_s(pid: int) -> float:
    """utime + stime of a process (all its threads), from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rpartition(")")[2].split()  # the name may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_cpu_s() -> float:
    """CPU time the whole machine spent busy (every process, every core), from /proc/stat:
    compared with what the measured processes used, it shows what else ran meanwhile."""
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")  # guest time is in user already


def wait_for_quiet(max_wait: float, busy_cores: float = 0.2) -> bool:
    """Wait (up to ``max_wait`` seconds) for a second in which the machine was busy less
    than ``busy_cores``: other work on a 2-core machine (a test suite, a build) would be
    measured as the crawl's. Whether such a second came."""
    deadline = time.monotonic() + max_wait
    while True:
        before = machine_busy_cpu_s()
        time.sleep(1.0)
        if machine_busy_cpu_s() - before < busy_cores:
            return True
        if time.monotonic() >= deadline:
            return False


COUNTERS = ("total_commands_processed", "total_writes_processed", "total_reads_processed")


class RedisMeter:
    """What one redis-server did between ``start()`` and ``stop()``: CPU, commands, replies.

    CONFIG RESETSTAT zeroes the counters at the start and INFO reads them at the end; both
    are our own commands, so what they alone add (measured once, with nothing else
    connected) is taken off.
    """

    def __init__(self, server: RedisServer) -> None:
        assert server.process is not None
        self.pid = server.process.pid
        self.client = redis.Redis.from_url(server.url)
        self.client.config_resetstat()
        self.own = self._counters(self.client.info("all"))
        self._cpu_before = self._machine_before = 0.0

    @staticmethod
    def _counters(info: dict[str, Any]) -> dict[str, int]:
        return {name: int(info[name]) for name in COUNTERS}

    def start(self) -> None:
        self.client.config_resetstat()
        self._cpu_before = process_cpu_s(self.pid)
        self._machine_before = machine_busy_cpu_s()

    def stop(self) -> dict[str, Any]:
        cpu = process_cpu_s(self.pid) - self._cpu_before
        machine = machine_busy_cpu_s() - self._machine_before
        info = self.client.info("all")
        counters = self._counters(info)
        commands = {name.removeprefix("cmdstat_"): int(value["calls"]) for name, value in info.items()
                    if name.startswith("cmdstat_") and name not in ("cmdstat_info", "cmdstat_config|resetstat")}
        return {
            "cpu_s": round(cpu, 3),
            "machine_cpu_s": round(machine, 3),
            "commands": counters["total_commands_processed"] - self.own["total_commands_processed"],
            "round_trips": counters["total_writes_processed"] - self.own["total_writes_processed"],
            "reads": counters["total_reads_processed"] - self.own["total_reads_processed"],
            "calls_by_command": dict(sorted(commands.items(), key=lambda item: -item[1])),
        }

    def close(self) -> None:
        self.client.close()


def redis_server_description() -> str:
    with RedisServer() as server:
        info = redis.Redis.from_url(server.url).info("all")
        return f"redis-server {info['redis_version']} ({info['mem_allocator']}), {server.binary}"


# -- the crawl -----------------------------------------------------------------------------


@dataclass
class Worker:
    measured: Measured
    items: list[str]
    stats: dict[str, float] = field(default_factory=dict)


def worker_stats(log: Path) -> dict[str, float]:
    """The numbers of the stats dump at the end of a crawl's log ('name': value lines)."""
    text = log.read_text(errors="replace")
    dump = text[text.rfind("Dumping Scrapy stats"):]
    return {name: float(value) for name, value in STAT_LINE.findall(dump)}


def run_worker(command: list[str], workdir: Path, label: str, output: Path) -> Worker:
    log = workdir / f"{label}.log"
    measured = run_timed(command, log, cwd=workdir)
    if measured.exit_status != 0:
        raise RuntimeError(f"{label}: exit status {measured.exit_status}\n--- last lines of its log ---\n{tail(log)}")
    items = [json.loads(line)["url"] for line in output.read_text().splitlines() if line.strip()] \
        if output.exists() else []
    return Worker(measured, items, worker_stats(log))


def crawl_once(side: str, workers: int, executable: Path, site_url: str, pages: int, workdir: Path,
               label: str) -> dict[str, Any]:
    """One crawl by ``workers`` processes of ``side`` sharing a fresh redis-server."""
    with RedisServer() as server:
        settings = {**SIDE_SETTINGS[side], **COMMON_SETTINGS, "REDIS_URL": server.url}
        commands = []
        for number in range(workers):
            output = workdir / f"{label}-w{number}.jsonl"
            output.unlink(missing_ok=True)
            command = spider_command(executable, site_url, output)
            for name, value in settings.items():
                command += ["-s", f"{name}={value}"]
            commands.append((command, f"{label}-w{number}", output))
        meter = RedisMeter(server)
        try:
            meter.start()
            with ThreadPoolExecutor(workers) as pool:
                done = [pool.submit(run_worker, command, workdir, name, output) for command, name, output in commands]
                results = [future.result() for future in done]
            redis_side = meter.stop()
        finally:
            meter.close()
    urls = [url for result in results for url in result.items]
    expected = {f"{site_url}/page/{number}" for number in range(pages)}
    missing, unexpected = expected - set(urls), set(urls) - expected
    if missing or unexpected:
        raise RuntimeError(f"{label}: {len(missing)} pages missing, {len(unexpected)} unexpected items "
                           f"(logs in {workdir})")
    wall = max(result.measured.wall_s for result in results)
    elapsed = max(result.stats.get("elapsed_time_seconds", 0.0) for result in results)
    client_round_trips = [result.stats.get("redis/round_trips") for result in results]
    return {
        "workers": [{**result.measured.as_dict(), "items": len(result.items),
                     "elapsed_time_s": result.stats.get("elapsed_time_seconds"),
                     "redis_round_trips": result.stats.get("redis/round_trips")} for result in results],
        "wall_s": wall,
        "elapsed_s": round(elapsed, 3),
        "cpu_workers_s": round(sum(result.measured.cpu_s for result in results), 3),
        "redis": redis_side,
        "items": len(urls),
        "duplicates": len(urls) - len(set(urls)),
        "client_round_trips": None if None in client_round_trips else int(sum(client_round_trips)),
        # busy CPU of the machine less the workers' and redis-server's: nginx, this script,
        # and anything else that ran (a busy machine makes the run's numbers worse)
        "other_cpu_s": round(redis_side["machine_cpu_s"] - redis_side["cpu_s"]
                             - sum(result.measured.cpu_s for result in results), 3),
    }


def summarize_crawl(runs: list[dict[str, Any]], pages: int) -> dict[str, Any]:
    def mid(values: list[float], digits: int = 3) -> float:
        return round(median(values), digits)

    totals = [run["cpu_workers_s"] + run["redis"]["cpu_s"] for run in runs]
    client = [run["client_round_trips"] for run in runs]
    return {
        "cpu_workers_s": mid([run["cpu_workers_s"] for run in runs]),
        "cpu_redis_s": mid([run["redis"]["cpu_s"] for run in runs]),
        "cpu_total_s": mid(totals),
        "cpu_ms_per_page": mid([total / pages * 1000 for total in totals]),
        "wall_s": mid([run["wall_s"] for run in runs]),
        "pages_per_s": mid([pages / run["wall_s"] for run in runs], 1),
        "pages_per_s_after_startup": mid([pages / run["elapsed_s"] for run in runs], 1),
        "commands_per_page": mid([run["redis"]["commands"] / pages for run in runs]),
        "round_trips_per_page": mid([run["redis"]["round_trips"] / pages for run in runs]),
        "client_round_trips_per_page": None if None in client else mid([count / pages for count in client]),
        "max_rss_mb": mid([max(worker["max_rss_kb"] for worker in run["workers"]) / 1024 for run in runs], 1),
        "duplicates_max": max(run["duplicates"] for run in runs),
        "other_cpu_s": mid([run["other_cpu_s"] for run in runs]),
    }


def run_crawl(args: argparse.Namespace, worker_counts: list[int], chosen: list[str]) -> dict[str, Any]:
    executables = {"scrapy-redis": Path(args.scrapy_venv).resolve() / "bin" / "scrapy",  # workers run elsewhere
                   "ascrapy": Path(sys.executable).parent / "scrapy"}
    code_before = code_state()
    compile_ascrapy()
    runs: dict[str, list[dict[str, Any]]] = {f"{side}/{count}": [] for count in worker_counts for side in chosen}
    with tempfile.TemporaryDirectory(prefix="ascrapy-redis-bench-") as tmp, \
            serve_link_site(args.pages, args.links, args.server) as site:
        workdir = Path(tmp)
        print(f"site: {args.pages} pages x {args.links} links at {site.base_url} ({site.server})", flush=True)
        for round_number in range(args.warmup + args.runs):
            warm = round_number < args.warmup
            # sides alternate, and which goes first alternates between rounds
            sides = chosen if round_number % 2 == 0 else chosen[::-1]
            for count in worker_counts:
                for side in sides:
                    label = f"{side}-{count}w-{round_number}"
                    if not wait_for_quiet(args.quiet_wait):
                        print(f"the machine was still busy after {args.quiet_wait:.0f} s: measured anyway", flush=True)
                    run = crawl_once(side, count, executables[side], site.base_url, args.pages, workdir, label)
                    kind = "warm-up" if warm else f"run {round_number - args.warmup + 1}/{args.runs}"
                    print(f"{SIDE_LABELS[side]:<36} {count} worker(s) {kind:<9} CPU {run['cpu_workers_s']:6.2f} s"
                          f" + redis {run['redis']['cpu_s']:5.2f} s  wall {run['wall_s']:6.2f} s  "
                          f"{args.pages / run['wall_s']:6.1f} pages/s  {run['redis']['commands'] / args.pages:6.2f} "
                          f"cmd/page  {run['redis']['round_trips'] / args.pages:6.3f} rt/page  "
                          f"dup {run['duplicates']}  items {[worker['items'] for worker in run['workers']]}  "
                          f"other CPU {run['other_cpu_s']:.2f} s",
                          flush=True)
                    if not warm:
                        runs[f"{side}/{count}"].append(run)
        server = site.server
    return {
        "code": {"before": code_before, "after": code_state()},
        "redis_server": redis_server_description(),
        "workload": {"nproc": nproc(), "pages": args.pages, "links_per_page": args.links,
                     "concurrency_per_worker": CONCURRENCY,
                     "runs": args.runs, "warmup_rounds": args.warmup, "server": server,
                     "spider": str(SPIDER.relative_to(REPO)), "settings": {**COMMON_SETTINGS},
                     "side_settings": SIDE_SETTINGS},
        "rows": [{"side": side, "label": SIDE_LABELS[side], "workers": int(count),
                  "median": summarize_crawl(side_runs, args.pages), "runs": side_runs}
                 for key, side_runs in runs.items() for side, count in [key.split("/")]],
    }


# -- memory --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fill:
    side: str
    what: str  # "queue", "set" or "bloom"
    count: int
    queue_class: str = "priority"

    @property
    def key(self) -> str:
        return "links:requests" if self.what == "queue" else "links:dupefilter"

    @property
    def name(self) -> str:
        if self.what == "queue":
            return f"queued request ({'sorted set' if self.queue_class == 'priority' else 'list, FifoQueue'})"
        return "fingerprint (set)" if self.what == "set" else "fingerprint (Bloom, 0.1%)"


def measure_fill(fill: Fill, python: Path) -> dict[str, Any]:
    """Redis's memory for one fill by redis_fill.py, per entry (see the module docstring).

    The bytes of the key are what used_memory drops by when the key is deleted: the
    allocator's own count, without what running the writer left behind (its scripts, the
    slow log) and without the other key it made."""
    with RedisServer() as server:
        client = redis.Redis.from_url(server.url)
        done = subprocess.run(
            [str(python), str(BENCH / "redis_fill.py"), fill.side, fill.what, "--url", server.url,
             "--count", str(fill.count), "--queue-class", fill.queue_class],
            capture_output=True, text=True, cwd=REPO, timeout=3600, check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"redis_fill.py {fill.side} {fill.what} failed:\n{done.stderr[-3000:]}")
        report = json.loads(done.stdout.strip().splitlines()[-1])
        key_type = client.type(fill.key).decode()
        counters = {"zset": client.zcard, "list": client.llen, "set": client.scard}
        entries = counters[key_type](fill.key) if key_type in counters else None
        usage = int(client.memory_usage(fill.key, samples=0) or 0)
        encoding = client.object("encoding", fill.key).decode()
        with_key = int(client.info("memory")["used_memory"])
        client.delete(fill.key)
        without_key = int(client.info("memory")["used_memory"])
        client.close()
    freed = with_key - without_key
    row: dict[str, Any] = {
        "side": fill.side, "what": fill.what, "name": fill.name, "queue_class": fill.queue_class,
        "count": fill.count, "entries_in_key": entries, "key_type": key_type, "encoding": encoding,
        "used_memory_freed": freed, "memory_usage": usage,
        "bytes_per_entry": round(freed / fill.count, 2),
        "memory_usage_per_entry": round(usage / fill.count, 2),
        "fill": report,
    }
    if fill.what == "bloom":
        row["bitmap_bytes_per_entry"] = round(report["bitmap_bytes"] / fill.count, 3)
        row["false_positive_rate"] = report["false_positives"] / report["queried"]
    return row


def run_memory(args: argparse.Namespace) -> dict[str, Any]:
    pythons = {"ascrapy": Path(sys.executable), "scrapy-redis": Path(args.scrapy_venv) / "bin" / "python"}
    fills = [Fill(side, "queue", args.queue_count, kind) for kind in ("priority", "fifo") for side in SIDES]
    fills += [Fill(side, "set", args.fingerprint_count) for side in SIDES]
    fills += [Fill("ascrapy", "bloom", args.fingerprint_count)]
    code_before = code_state()
    rows = []
    for fill in fills:
        row = measure_fill(fill, pythons[fill.side])
        print(f"{SIDE_LABELS[fill.side]:<36} {fill.name:<34} {fill.count:>9,}: {row['bytes_per_entry']:8.2f} B/entry"
              f" used_memory, {row['memory_usage_per_entry']:8.2f} MEMORY USAGE ({row['encoding']}), "
              f"fill {row['fill']['seconds']} s", flush=True)
        rows.append(row)
    return {"code": {"before": code_before, "after": code_state()}, "redis_server": redis_server_description(),
            "queue_count": args.queue_count, "fingerprint_count": args.fingerprint_count, "rows": rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="measured runs per side and worker count (median)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured rounds first")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--sides", default=",".join(SIDES), help="comma-separated subset of " + ",".join(SIDES))
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--links", type=int, default=20)
    parser.add_argument("--parts", default="crawl,memory",
                        help="crawl, memory or both; a part not run keeps its numbers from --results")
    parser.add_argument("--queue-count", type=int, default=100_000)
    parser.add_argument("--fingerprint-count", type=int, default=1_000_000)
    parser.add_argument("--quiet-wait", type=float, default=60.0,
                        help="before each crawl, wait up to this many seconds for an idle machine")
    parser.add_argument("--scrapy-venv", default=str(BENCH / ".venv-scrapy"))
    parser.add_argument("--server", choices=["auto", "nginx", "aiohttp"], default="auto")
    parser.add_argument("--results", default=str(BENCH / "results" / "redis.json"))
    args = parser.parse_args()
    parts = {part for part in args.parts.split(",") if part}
    if args.runs < 1 or not parts or parts - {"crawl", "memory"}:
        parser.error("--runs must be at least 1, --parts a subset of crawl,memory")
    worker_counts = [int(count) for count in args.workers.split(",") if count]
    sides = [side for side in SIDES if side in args.sides.split(",")]
    scrapy_python = Path(args.scrapy_venv) / "bin" / "python"
    check = subprocess.run([str(scrapy_python), "-c", "import scrapy_redis"], capture_output=True, check=False)
    if check.returncode != 0:
        parser.error(f"no scrapy-redis in {args.scrapy_venv}: run bench/scrapy_venv.sh first")

    results_path = Path(args.results)
    previous = json.loads(results_path.read_text()) if results_path.exists() else {}
    result = {"crawl": previous.get("crawl"), "memory": previous.get("memory")}
    if "crawl" in parts:
        result["crawl"] = run_crawl(args, worker_counts, sides)
    if "memory" in parts:
        result["memory"] = run_memory(args)
    code = (result["crawl"] or result["memory"])["code"]
    write_results(results_path, result, code["before"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
