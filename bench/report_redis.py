"""The Redis sections of bench/results/README.md (redis_bench.py's results)."""

from __future__ import annotations

from typing import Any

from report_common import code_line, met, ratio


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
    return lines


def redis_scaling_section(scaling: dict[str, Any]) -> list[str]:
    """1 and 2 ascrapy workers on a larger site: the crawl section's measures, pages/s only."""
    workload = scaling["workload"]
    rows = {row["workers"]: row["median"] for row in scaling["rows"] if row["side"] == "ascrapy"}
    lines = [
        "## Distributed crawl on Redis: 1 and 2 ascrapy workers on a larger site",
        "",
        code_line(scaling),
        "",
        f"The crawl above, ascrapy only, on a site of {workload['pages']:,} pages x "
        f"{workload['links_per_page']} links ({workload['server']}): a 2,000-page crawl lasts about 2 s, "
        "so a second worker's start-up and the first pages (when the frontier holds too few "
        "requests to keep two workers busy) weigh on it; a crawl worth spreading over pods is longer. "
        f"Median of {workload['runs']} runs after {workload['warmup_rounds']} warm-up round(s).",
        "",
        "| workers | CPU-s workers / redis-server | CPU ms/page | wall s | pages/s | pages/s after start-up |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for workers, median in sorted(rows.items()):
        lines.append(
            f"| {workers} | {median['cpu_workers_s']:.2f} / {median['cpu_redis_s']:.2f} | "
            f"{median['cpu_ms_per_page']:.2f} | {median['wall_s']:.2f} | {median['pages_per_s']:.0f} | "
            f"{median['pages_per_s_after_startup']:.0f} |"
        )
    if 1 in rows and 2 in rows:
        scale = rows[2]["pages_per_s"] / rows[1]["pages_per_s"]
        steady = rows[2]["pages_per_s_after_startup"] / rows[1]["pages_per_s_after_startup"]
        lines += ["", f"Goal: 2 workers on this {workload['nproc']}-core machine give {scale:.2f}x the pages/s "
                  f"of 1 (goal: at least 1.7x, {met(scale >= 1.7)}); {steady:.2f}x after start-up."]
    return lines + [""]
