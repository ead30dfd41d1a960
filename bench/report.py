"""Turn the JSON results of the benchmarks into bench/results/README.md and cpu_rss.png.

    python bench/report.py [--scrapy-venv PATH] [--server-note TEXT]

Reads crawl.json (crawl_bench.py), bench_command.json (run_bench_command.py),
scale_memory.json (scale_memory.py), frontier_scale.json (frontier_scale.py), redis.json
(redis_bench.py) and kafka.json (kafka_bench.py) from bench/results/; a missing one is left
out of the page. The chart is drawn with matplotlib (installed into .venv by run_all.sh).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
sys.path.insert(0, str(BENCH))

from machine import describe  # noqa: E402

CHART = "cpu_rss.png"
COLORS = {"scrapy": "#7f7f7f", "ascrapy": "#1f77b4", "bare": "#2ca02c"}


def load(name: str) -> dict[str, Any] | None:
    path = RESULTS / name
    return json.loads(path.read_text()) if path.exists() else None


def ratio(numerator: float, denominator: float) -> str:
    return f"{numerator / denominator:.2f}x" if denominator else "n/a"


def code_line(data: dict[str, Any]) -> str:
    """Which ascrapy code a benchmark measured; says so when it changed during the runs."""
    code = data.get("code") or {}
    unknown = {"commit": "unknown", "digest": "?"}
    before, after = code.get("before", unknown), code.get("after", unknown)
    if before["digest"] == after["digest"]:
        return f"Code measured: ascrapy {after['commit']} (code digest {after['digest']})."
    return (f"**The code changed during this benchmark** (ascrapy {before['commit']}, digest "
            f"{before['digest']}, at the start; {after['commit']}, digest {after['digest']}, at "
            "the end): its runs measured different code; run it again for a clean number.")


def machine_section(machine: dict[str, str]) -> list[str]:
    rows = ["## Machine", "", "| | |", "|---|---|"]
    rows += [f"| {name} | {value} |" for name, value in machine.items()]
    return rows + [""]


def crawl_section(crawl: dict[str, Any], chart_written: bool) -> list[str]:
    workload, sides = crawl["workload"], crawl["sides"]
    scrapy = sides.get("scrapy", {}).get("median")
    lines = [
        "## Crawl: the same spider on the same site",
        "",
        code_line(crawl),
        "",
        f"`{workload['spider']}`, unmodified, run with `scrapy runspider` by Scrapy and by "
        f"ascrapy's compat `scrapy` command; the bare loop is `bench/bare_loop.py` (aiohttp + "
        f"parsel, a seen-set of URLs, {workload['concurrency']} workers, JSON lines). Site: "
        f"{workload['pages']:,} static pages, {workload['links_per_page']} links each, served "
        f"on 127.0.0.1 by {workload['server']}. CONCURRENT_REQUESTS={workload['concurrency']}, "
        f"CONCURRENT_REQUESTS_PER_DOMAIN={workload['concurrency']}, default middlewares and "
        "extensions, LOG_LEVEL=INFO, `-O items.jsonl`. Every run was checked to write exactly "
        f"{workload['pages']:,} distinct items.",
        "",
        f"Median of {workload['runs']} alternating runs per side (after {workload['warmup_rounds']} "
        "unmeasured warm-up round(s)). CPU = user + sys of the crawler process, peak RSS = "
        "\"Maximum resident set size\", both from `/usr/bin/time -v`; pages/s = pages / wall "
        "clock of the whole process, start-up included.",
        "",
        "| side | CPU-s | CPU ms/page | wall s | pages/s | peak RSS MB | CPU vs Scrapy | RSS vs Scrapy |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for side, data in sides.items():
        median = data["median"]
        cpu_versus = ratio(median["cpu_s"], scrapy["cpu_s"]) if scrapy else "n/a"
        rss_versus = ratio(median["max_rss_mb"], scrapy["max_rss_mb"]) if scrapy else "n/a"
        lines.append(
            f"| {data['label']} | {median['cpu_s']:.2f} | {median['cpu_ms_per_page']:.2f} | "
            f"{median['wall_s']:.2f} | {median['pages_per_s']:.0f} | {median['max_rss_mb']:.1f} | "
            f"{cpu_versus} | {rss_versus} |"
        )
    lines += [""]
    ours = sides.get("ascrapy")
    if scrapy and ours:
        cpu, rss = (ours["median"][key] / scrapy[key] for key in ("cpu_s", "max_rss_mb"))
        lines += [
            f"Goal (issue 5): CPU at most 0.20x Scrapy's, peak RSS at most 0.60x. Measured: CPU "
            f"{cpu:.2f}x ({'met' if cpu <= 0.2 else 'not met'}), peak RSS {rss:.2f}x "
            f"({'met' if rss <= 0.6 else 'not met'}).",
            "",
        ]
    if chart_written:
        lines += [f"![CPU-s, pages/s and peak RSS]({CHART})", ""]
    lines += ["Every measured run (CPU-s / wall s / peak RSS MB):", "", "| side | runs |", "|---|---|"]
    for data in sides.values():
        runs = ", ".join(
            f"{run['cpu_s']:.2f} / {run['wall_s']:.2f} / {run['max_rss_kb'] / 1024:.0f}" for run in data["runs"]
        )
        lines.append(f"| {data['label']} | {runs} |")
    return lines + [""]


def bench_command_section(bench: dict[str, Any]) -> list[str]:
    lines = [
        "## `scrapy bench` and `ascrapy bench`",
        "",
        code_line(bench),
        "",
        "Each command's own workload: a local server whose pages each link to 20 more (Scrapy's "
        "on Twisted, port 8998; ascrapy's on aiohttp, a free port), crawled for "
        f"CLOSESPIDER_TIMEOUT={bench['closespider_timeout']:g} s by a spider that follows every "
        "link, LogStats every second. Steady = median of the per-second \"Crawled N pages (at X "
        "pages/min)\" rates before the close; overall = responses / elapsed_time_seconds. CPU "
        "(from `/usr/bin/time -v`) includes the bench server process; peak RSS is the larger "
        "of the crawler's and the server's. With 20 new links per page and LIFO order, the "
        "queue grows with every page, so RSS grows with the pages crawled. Median of "
        f"{bench['runs_per_side']} alternating runs.",
        "",
        "| command | pages/min (steady) | pages/min (overall) | pages crawled | CPU-s | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for data in bench["sides"].values():
        median = data["median"]
        lines.append(
            f"| {data['label']} | {median['steady_pages_per_min']:.0f} | {median['overall_pages_per_min']:.0f} | "
            f"{median['pages']:.0f} | {median['cpu_s']:.2f} | {median['max_rss_mb']:.1f} |"
        )
    sides = bench["sides"]
    if "scrapy" in sides and "ascrapy" in sides:
        speedup = ratio(sides["ascrapy"]["median"]["steady_pages_per_min"], sides["scrapy"]["median"]["steady_pages_per_min"])
        lines += ["", f"ascrapy's steady rate is {speedup} Scrapy's."]
    return lines + [""]


def scale_section(scale: dict[str, Any]) -> list[str]:
    count = scale["count"]
    sides = scale["sides"]
    lines = [
        "## Memory at scale",
        "",
        code_line(scale),
        "",
        "Growth of the resident set size of a fresh process after the entries its row counts, "
        "per entry. "
        "Queue: distinct requests (dont_filter=True) pushed into ascrapy's Frontier, or into "
        "Scrapy's Scheduler with its defaults (DownloaderAwarePriorityQueue over "
        "LifoMemoryQueue); the Request objects are part of "
        "what a queue holds. Fingerprints: request_seen() with distinct requests on each "
        "RFPDupeFilter; the requests are dropped after the call.",
        "",
        "| what | entries (Scrapy / ascrapy) | Scrapy bytes/entry | ascrapy bytes/entry | Scrapy us/call | ascrapy us/call |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for what, name in (("queue", "queued request"), ("fingerprints", "seen fingerprint")):
        scrapy, ours = sides.get("scrapy", {}).get(what), sides.get("ascrapy", {}).get(what)
        if not (scrapy and ours):
            continue
        entries = f"{scrapy.get('count', count):,} / {ours.get('count', count):,}"
        lines.append(
            f"| {name} | {entries} | {scrapy['bytes_per_entry']:.0f} | {ours['bytes_per_entry']:.0f} | "
            f"{scrapy['us_per_call']:.1f} | {ours['us_per_call']:.1f} |"
        )
    return lines + [""]


def frontier_section(scale: dict[str, Any]) -> list[str]:
    modes = {"memory": "in memory (no store)", "spill": "SCHEDULER_SPILL_DIR", "jobdir": "JOBDIR"}
    lines = [
        "## The frontier at scale: queued requests in memory and on disk",
        "",
        code_line(scale),
        "",
        f"`bench/frontier_scale.py`: distinct requests (dont_filter=True, {scale['hosts']} hosts) pushed "
        "into the scheduler of a fresh process, then "
        f"{scale['taken']:,} taken back out (what was spilled is loaded again). Growth of the "
        "resident set size per queued request, peak RSS of the whole process, CPU per push and "
        "per pop. ascrapy keeps SCHEDULER_MEMORY_BUDGET (20,000) queued requests in memory when "
        "it has a store; Scrapy with JOBDIR writes every request to its disk queues.",
        "",
        "| side | where the queue is | requests | bytes/request | peak RSS MB | us/push | us/pop |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in scale["rows"]:
        side = "Scrapy 2.19.0" if row["side"] == "scrapy" else "ascrapy"
        lines.append(
            f"| {side} | {modes[row['mode']]} | {row['count']:,} | {row['bytes_per_request']:.1f} | "
            f"{row['peak_rss_mb']:.1f} | {row['us_per_push']:.1f} | {row['us_per_pop']:.1f} |"
        )
    return lines + [""]


def met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def redis_crawl_section(crawl: dict[str, Any]) -> list[str]:
    workload = crawl["workload"]
    rows = {(row["side"], row["workers"]): row for row in crawl["rows"]}
    lines = [
        "## Distributed crawl on Redis: ascrapy against scrapy-redis 0.9.1",
        "",
        code_line(crawl),
        "",
        f"`bench/redis_bench.py`: `{workload['spider']}`, unmodified, run with `scrapy runspider` as in "
        "the crawl above (`-O` items per worker, CONCURRENT_REQUESTS="
        f"{workload['concurrency_per_worker']} per worker) by Scrapy 2.19.0 with scrapy-redis 0.9.1 "
        "(SCHEDULER = scrapy_redis.scheduler.Scheduler, DUPEFILTER_CLASS = "
        "scrapy_redis.dupefilter.RFPDupeFilter) and by ascrapy (SCHEDULER = ascrapy.redis.Scheduler), "
        "both with SCHEDULER_PERSIST=True (else scrapy-redis's first worker to finish deletes the "
        "shared queue and fingerprints, and the other crawls every page again), defaults otherwise "
        "(a sorted-set queue, a set of fingerprints). "
        f"Site: {workload['pages']:,} pages x {workload['links_per_page']} links, {workload['server']}. "
        f"Each run: a fresh {crawl['redis_server'].split(',')[0]}, the workers started together; it counts "
        "only if every worker exited 0 and their items together cover every page.",
        "",
        "CPU = user + sys of the workers (`/usr/bin/time`) and of redis-server (`/proc/<pid>/stat`); "
        "wall = the slowest worker's; pages/s = pages / wall, start-up included, and \"after "
        "start-up\" = pages / the longest `elapsed_time_seconds` of the workers. Commands = Redis's "
        "`total_commands_processed`, which counts each command of a pipeline or MULTI, and each "
        "command a Lua script runs as well as the EVALSHA; round trips = Redis's "
        "`total_writes_processed`, one reply per request of a client (a pipeline or a script call "
        "is one), the same measure for both sides; ascrapy's own `redis/round_trips` stat is shown "
        "beside it. Both are taken after CONFIG RESETSTAT, less what measuring adds. "
        f"Median of {workload['runs']} runs, sides alternating, after {workload['warmup_rounds']} "
        "warm-up round(s).",
        "",
        "| side | workers | CPU-s workers / redis-server | CPU ms/page | wall s | pages/s | pages/s after start-up "
        "| Redis commands/page | round trips/page (Redis / ascrapy stat) | duplicates (max) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in crawl["rows"]:
        median = row["median"]
        client = median.get("client_round_trips_per_page")
        round_trips = f"{median['round_trips_per_page']:.3f}" + (f" / {client:.3f}" if client is not None else "")
        lines.append(
            f"| {row['label']} | {row['workers']} | {median['cpu_workers_s']:.2f} / {median['cpu_redis_s']:.2f} | "
            f"{median['cpu_ms_per_page']:.2f} | {median['wall_s']:.2f} | {median['pages_per_s']:.0f} | "
            f"{median['pages_per_s_after_startup']:.0f} | {median['commands_per_page']:.1f} | {round_trips} | "
            f"{median['duplicates_max']} |"
        )
    lines.append("")
    goals = []
    for workers in sorted({row["workers"] for row in crawl["rows"]}):
        ours, theirs = rows.get(("ascrapy", workers)), rows.get(("scrapy-redis", workers))
        if ours and theirs:
            cpu = ours["median"]["cpu_ms_per_page"] / theirs["median"]["cpu_ms_per_page"]
            goals.append(f"CPU per page with {workers} worker(s), workers plus redis-server: {cpu:.2f}x "
                         f"scrapy-redis's (goal: at most 0.25x, {met(cpu <= 0.25)})")
    one, two = rows.get(("ascrapy", 1)), rows.get(("ascrapy", 2))
    if one and two:
        scale = two["median"]["pages_per_s"] / one["median"]["pages_per_s"]
        steady = two["median"]["pages_per_s_after_startup"] / one["median"]["pages_per_s_after_startup"]
        # What two cores allow at best: the CPU that the 2-worker runs' workers and
        # redis-server needed (nginx's comes on top), spread perfectly over the cores.
        busy = two["median"]["cpu_total_s"]
        ceiling = one["median"]["wall_s"] / (busy / workload["nproc"])
        goals.append(f"ascrapy, 2 workers against 1 on this {workload['nproc']}-core machine: {scale:.2f}x "
                     f"the pages/s (goal: at least 1.7x, {met(scale >= 1.7)}); {steady:.2f}x after start-up. "
                     f"The 2-worker run's workers and redis-server need {busy:.2f} CPU-s (nginx's on top): spread "
                     f"perfectly over {workload['nproc']} cores, that is at most {ceiling:.2f}x the 1-worker "
                     "run's pages/s")
    lines += ["Goals:", ""] + [f"- {goal}" for goal in goals] + [""]
    lines += ["Every measured run (CPU-s workers + redis-server / wall s / items per worker / CPU-s of other "
              "processes meanwhile, nginx included):", "", "| side | workers | runs |", "|---|---:|---|"]
    for row in crawl["rows"]:
        runs = "; ".join(
            f"{run['cpu_workers_s']:.2f} + {run['redis']['cpu_s']:.2f} / {run['wall_s']:.2f} / "
            f"{'+'.join(str(worker['items']) for worker in run['workers'])} / {run['other_cpu_s']:.2f}"
            for run in row["runs"]
        )
        lines.append(f"| {row['label']} | {row['workers']} | {runs} |")
    return lines + [""]


def redis_memory_section(memory: dict[str, Any]) -> list[str]:
    rows = memory["rows"]
    lines = [
        "## Distributed crawl on Redis: memory per queued request and per fingerprint",
        "",
        code_line(memory),
        "",
        f"`bench/redis_fill.py` (each side's own Python) writes into a fresh {memory['redis_server'].split(',')[0]}: "
        "requests as the links spider queues them (URL, callback, the Referer header, depth in "
        "meta), through ascrapy's frontier (Scheduler.push, sent by its link task) or scrapy-redis's "
        "Scheduler.enqueue_request; fingerprints as each side's dupefilter stores them. Bytes per entry "
        "= how much Redis's used_memory (the allocator's count) drops when the key is deleted, once "
        "the writer has exited; MEMORY USAGE (SAMPLES 0, Redis's estimate) of the key beside it.",
        "",
        "| what | entries | scrapy-redis B/entry (used_memory / MEMORY USAGE) | ascrapy B/entry "
        "(used_memory / MEMORY USAGE) | ascrapy vs scrapy-redis |",
        "|---|---:|---:|---:|---:|",
    ]
    by_key = {(row["side"], row["name"]): row for row in rows}
    names = list(dict.fromkeys(row["name"] for row in rows))
    for name in names:
        theirs, ours = by_key.get(("scrapy-redis", name)), by_key.get(("ascrapy", name))
        sample = ours or theirs

        def cell(row: dict[str, Any] | None) -> str:
            return f"{row['bytes_per_entry']:.1f} / {row['memory_usage_per_entry']:.1f}" if row else "n/a"

        versus = ratio(ours["bytes_per_entry"], theirs["bytes_per_entry"]) if ours and theirs else "n/a"
        lines.append(f"| {name} | {sample['count']:,} | {cell(theirs)} | {cell(ours)} | {versus} |")
    lines.append("")
    goals = []
    queue = (by_key.get(("ascrapy", "queued request (sorted set)")),
             by_key.get(("scrapy-redis", "queued request (sorted set)")))
    if all(queue):
        share = queue[0]["bytes_per_entry"] / queue[1]["bytes_per_entry"]
        example = (queue[0]["fill"]["member_bytes_example"], queue[1]["fill"]["member_bytes_example"])
        goals.append(f"a queued request (default sorted set): {share:.2f}x scrapy-redis's bytes (goal: at most "
                     f"0.5x, {met(share <= 0.5)}); the request itself is {example[0]} bytes of JSON against "
                     f"{example[1]} of pickle, the rest is the sorted set's own cost per entry")
    bloom = by_key.get(("ascrapy", "fingerprint (Bloom, 0.1%)"))
    if bloom:
        fill = bloom["fill"]
        goals.append(
            f"Bloom filter, DUPEFILTER_BLOOM_CAPACITY = {bloom['count']:,} at 0.1%: {bloom['bytes_per_entry']:.2f} "
            f"bytes per fingerprint in Redis (goal: at most 2, {met(bloom['bytes_per_entry'] <= 2)}); the "
            f"bitmap itself is {bloom['bitmap_bytes_per_entry']:.2f} bytes ({fill['bits']:,} bits, "
            f"{fill['hashes']} hashes); measured false-positive rate {bloom['false_positive_rate']:.3%} "
            f"({fill['false_positives']:,} of {fill['queried']:,} requests never added)")
    lines += ["Goals:", ""] + [f"- {goal}" for goal in goals] + [""]
def kafka_section(kafka: dict[str, Any]) -> list[str]:
    workload = kafka["workload"]
    goal = workload["goal_kafka_cpu_vs_feed"]
    lines = [
        "## Items into Kafka against the same crawl into a feed",
        "",
        code_line(kafka),
        "",
        "`bench/kafka_bench.py`: each workload run by ascrapy with no sink, into a JSON lines feed "
        "(`-O items.jsonl`) and into Kafka (`ascrapy.kafka.KafkaPipeline`: batches of 500, acks=all, "
        f"no compression, a topic of {workload['partitions']} partitions per run, read back to check "
        f"every item is there once), alternately. Broker: {workload['broker']} on 127.0.0.1, aiokafka "
        f"{workload['aiokafka']}. Crawl: `bench/spiders/links_spider.py` on {workload['pages']:,} pages "
        f"x {workload['links_per_page']} links ({workload['server']}), CONCURRENT_REQUESTS="
        f"{workload['concurrency']}, one item per page. Items: `bench/spiders/items_spider.py`, "
        f"{workload['items']:,} items from start() without HTTP. CPU = user + sys of the crawler "
        "process from `/usr/bin/time -v`, start-up included; the broker's CPU is its own process's "
        f"during the run. Median of {workload['runs']} runs per sink (after "
        f"{workload['warmup_rounds']} warm-up round(s)).",
        "",
        "| workload | sink | CPU-s | CPU us/item | CPU the sink adds, us/item | items/s | peak RSS MB | broker CPU-s |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, data in kafka["workloads"].items():
        added = data["added_cpu_us_per_item"]
        for sink, side in data["sides"].items():
            median = side["median"]
            adds = f"{added[sink]:.1f}" if sink in added else "-"
            lines.append(
                f"| {name} | {side['label']} | {median['cpu_s']:.2f} | {median['cpu_us_per_item']:.1f} | {adds} | "
                f"{median['items_per_s']:,.0f} | {median['max_rss_mb']:.1f} | {median['broker_cpu_s']:.2f} |"
            )
    lines.append("")
    crawl = kafka["workloads"].get("crawl")
    if crawl:
        ratio_measured = crawl["kafka_cpu_vs_feed"]
        lines += [
            f"Goal (issue 17): the crawl into Kafka under {goal:.2f}x the CPU of the same crawl into the feed. "
            f"Measured: {ratio_measured:.2f}x ({'met' if ratio_measured < goal else 'not met'}).",
            "",
        ]
    items = kafka["workloads"].get("items")
    if items:
        lines += [f"Without HTTP, the items into Kafka cost {items['kafka_cpu_vs_feed']:.2f}x the CPU of the "
                  "items into the feed.", ""]
    return lines


def write_chart(crawl: dict[str, Any], path: Path) -> bool:
    """Three bar panels (CPU-s, pages/s, peak RSS) for the sides of the crawl benchmark."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no chart (pip install matplotlib)", file=sys.stderr)
        return False
    sides = crawl["sides"]
    labels = [data["label"].replace(" (", "\n(") for data in sides.values()]
    colors = [COLORS.get(side, "#999999") for side in sides]
    panels = (("cpu_s", "CPU seconds (lower is better)", "{:.1f}"),
              ("pages_per_s", "pages/s (higher is better)", "{:.0f}"),
              ("max_rss_mb", "peak RSS MB (lower is better)", "{:.0f}"))
    figure, axes = plt.subplots(1, 3, figsize=(13, 4.2))
    for axis, (key, title, fmt) in zip(axes, panels, strict=True):
        values = [data["median"][key] for data in sides.values()]
        bars = axis.bar(range(len(values)), values, color=colors)
        axis.set_title(title, fontsize=11)
        axis.set_xticks(range(len(values)), labels, fontsize=8)
        axis.bar_label(bars, [fmt.format(value) for value in values], fontsize=9, padding=2)
        axis.set_ylim(0, max(values) * 1.18)
        axis.spines[["top", "right"]].set_visible(False)
    workload = crawl["workload"]
    figure.suptitle(
        f"links_spider on {workload['pages']:,} pages x {workload['links_per_page']} links, "
        f"{workload['concurrency']} concurrent, median of {workload['runs']} runs",
        fontsize=12,
    )
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scrapy-venv", default=str(BENCH / ".venv-scrapy"))
    args = parser.parse_args()
    crawl, bench, scale = load("crawl.json"), load("bench_command.json"), load("scale_memory.json")
    frontier = load("frontier_scale.json")
    distributed = load("redis.json")
    kafka = load("kafka.json")
    machine = describe(Path(args.scrapy_venv))
    chart_written = bool(crawl) and write_chart(crawl, RESULTS / CHART)
    lines = [
        "# Benchmarks: ascrapy against Scrapy 2.19.0",
        "",
        f"Measured {machine['date']}; each section names the ascrapy code it measured. "
        "Reproduce everything with `bench/run_all.sh` (it creates Scrapy's venv if missing).",
        "",
    ]
    lines += machine_section(machine)
    if crawl:
        lines += crawl_section(crawl, chart_written)
    if bench:
        lines += bench_command_section(bench)
    if scale:
        lines += scale_section(scale)
    if frontier:
        lines += frontier_section(frontier)
    if distributed and distributed.get("crawl"):
        lines += redis_crawl_section(distributed["crawl"])
    if distributed and distributed.get("memory"):
        lines += redis_memory_section(distributed["memory"])
    if kafka:
        lines += kafka_section(kafka)
    if (RESULTS / "same-items.md").exists():
        lines += ["Same items from both crawlers: see [same-items.md](same-items.md).", ""]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "README.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
