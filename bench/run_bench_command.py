"""`scrapy bench` (real Scrapy) against `ascrapy bench`: pages/min, alternately, N runs each.

    python bench/run_bench_command.py [--runs 3] [--scrapy-venv PATH] [--timeout 10]

Each command starts its own local bench server (Scrapy: Twisted on port 8998; ascrapy:
aiohttp on a free port), crawls it for CLOSESPIDER_TIMEOUT seconds following every link and
logs LogStats' "Crawled N pages (at X pages/min)" every second. From each run's log:
the steady rate (median of the per-second rates logged before "Closing spider") and the
overall rate (response_received_count / elapsed_time_seconds from the final stats). CPU
comes from /usr/bin/time -v and includes the bench server process, for both; peak RSS is
the larger of the crawler's and the server's.
Writes bench/results/bench_command.json.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path
from statistics import median

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from machine import code_state, compile_ascrapy, write_results  # noqa: E402
from timing import run_timed, tail  # noqa: E402

LOGSTATS = re.compile(r"Crawled (\d+) pages \(at (\d+) pages/min\)")
RESPONSES = re.compile(r"'response_received_count': (\d+)")
ELAPSED = re.compile(r"'elapsed_time_seconds': ([\d.]+)")
CLOSING = "Closing spider"
LABELS = {"scrapy": "scrapy bench (Scrapy 2.19.0)", "ascrapy": "ascrapy bench"}


def read_log(text: str) -> dict[str, float]:
    """Rates and totals of one bench log; raises ValueError when the crawl did not report."""
    before_close = text.split(CLOSING, 1)[0]
    rates = [int(rate) for _pages, rate in LOGSTATS.findall(before_close)][1:]  # the first is at 0 s
    responses = RESPONSES.search(text)
    elapsed = ELAPSED.search(text)
    if not rates or responses is None or elapsed is None:
        raise ValueError("no LogStats lines or final stats in the log")
    pages, seconds = int(responses.group(1)), float(elapsed.group(1))
    return {
        "steady_pages_per_min": median(rates),
        "overall_pages_per_min": round(pages / seconds * 60, 1),
        "pages": pages,
        "elapsed_s": round(seconds, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=10, help="CLOSESPIDER_TIMEOUT (the default of both is 10)")
    parser.add_argument("--scrapy-venv", default=str(BENCH / ".venv-scrapy"))
    parser.add_argument("--results", default=str(BENCH / "results" / "bench_command.json"))
    args = parser.parse_args()
    scrapy_venv = Path(args.scrapy_venv)
    commands = {
        "scrapy": [str(scrapy_venv / "bin" / "scrapy"), "bench"],
        "ascrapy": [str(Path(sys.executable).parent / "ascrapy"), "bench"],
    }
    if args.timeout != 10:
        for command in commands.values():
            command += ["-s", f"CLOSESPIDER_TIMEOUT={args.timeout:g}"]
    runs: dict[str, list[dict[str, float]]] = {side: [] for side in commands}
    code_before = code_state()
    compile_ascrapy()
    with tempfile.TemporaryDirectory(prefix="ascrapy-bench-cmd-") as tmp:
        for round_number in range(args.runs):
            for side, command in commands.items():
                log = Path(tmp, f"{side}-{round_number}.log")
                measured = run_timed(command, log, cwd=Path(tmp), timeout=300)
                if measured.exit_status != 0:
                    raise RuntimeError(f"{side} bench exited {measured.exit_status}:\n{tail(log)}")
                run = {**read_log(log.read_text(errors="replace")), **measured.as_dict()}
                runs[side].append(run)
                print(f"{LABELS[side]:<30} run {round_number + 1}/{args.runs}: "
                      f"{run['steady_pages_per_min']:8.0f} pages/min steady, "
                      f"{run['overall_pages_per_min']:8.0f} overall, {run['pages']} pages, "
                      f"cpu {run['cpu_s']:.2f} s, rss {run['max_rss_kb'] / 1024:.1f} MB", flush=True)
    result = {
        "closespider_timeout": args.timeout,
        "runs_per_side": args.runs,
        "sides": {
            side: {
                "label": LABELS[side],
                "median": {
                    key: round(median([run[key] for run in side_runs]), 2)
                    for key in ("steady_pages_per_min", "overall_pages_per_min", "pages", "cpu_s", "wall_s")
                } | {"max_rss_mb": round(median([run["max_rss_kb"] for run in side_runs]) / 1024, 1)},
                "runs": side_runs,
            }
            for side, side_runs in runs.items()
        },
    }
    write_results(args.results, result, code_before)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
