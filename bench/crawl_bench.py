"""Side by side: CPU, pages/s and peak RSS of Scrapy, ascrapy and a bare aiohttp loop.

    python bench/crawl_bench.py [--runs 3] [--warmup 1] [--pages 2000] [--links 20]
                                [--scrapy-venv PATH] [--server auto|nginx|aiohttp]

The workload: bench/spiders/links_spider.py, unmodified, run with `scrapy runspider` by
real Scrapy (its own venv, see scrapy_venv.sh) and by ascrapy's compat `scrapy` command
(next to this Python), on a generated static site served on 127.0.0.1 (nginx if installed,
else aiohttp in its own process), CONCURRENT_REQUESTS=32, CONCURRENT_REQUESTS_PER_DOMAIN=32,
default middlewares and extensions, LOG_LEVEL=INFO, -O items.jsonl. The bare loop
(bench/bare_loop.py) does the same crawl with plain aiohttp + parsel.

The sides run alternately (round 1: Scrapy, ascrapy, bare; round 2: the same...), each
under /usr/bin/time -v; a run counts only if it exited 0 and wrote exactly one item per
page. The medians go to bench/results/crawl.json (report.py turns them into the table).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from statistics import median

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from machine import code_state, compile_ascrapy, write_results  # noqa: E402
from site_server import serve_link_site  # noqa: E402
from timing import Measured, run_timed, tail  # noqa: E402

SPIDER = BENCH / "spiders" / "links_spider.py"
SIDES = ("scrapy", "ascrapy", "bare")
SIDE_LABELS = {"scrapy": "Scrapy 2.19.0", "ascrapy": "ascrapy", "bare": "bare loop (aiohttp + parsel)"}
CONCURRENCY = 32


def spider_command(scrapy_executable: Path, base: str, output: Path, log_level: str = "INFO") -> list[str]:
    """`scrapy runspider` of the links spider, as both crawlers run it."""
    return [
        str(scrapy_executable), "runspider", str(SPIDER),
        "-a", f"base={base}",
        "-O", str(output),
        "-s", f"CONCURRENT_REQUESTS={CONCURRENCY}",
        "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={CONCURRENCY}",
        "-L", log_level,
    ]


def side_commands(scrapy_venv: Path) -> dict[str, Callable[[str, Path], list[str]]]:
    """How each side is started, given the site's base URL and the items file."""
    ascrapy_scrapy = Path(sys.executable).parent / "scrapy"
    return {
        "scrapy": lambda base, out: spider_command(scrapy_venv / "bin" / "scrapy", base, out),
        "ascrapy": lambda base, out: spider_command(ascrapy_scrapy, base, out),
        "bare": lambda base, out: [
            sys.executable, str(BENCH / "bare_loop.py"), base, str(out), "--workers", str(CONCURRENCY)
        ],
    }


def check_items(path: Path, pages: int) -> str | None:
    """None when the file holds exactly one item per page; else what is wrong."""
    if not path.exists():
        return "no items file"
    urls = [json.loads(line)["url"] for line in path.read_text().splitlines() if line.strip()]
    if len(urls) != pages:
        return f"{len(urls)} items, expected {pages}"
    if len(set(urls)) != pages:
        return f"{len(urls) - len(set(urls))} duplicate items"
    return None


def run_once(command: list[str], pages: int, workdir: Path, label: str) -> Measured:
    output = workdir / f"{label}.jsonl"
    log = workdir / f"{label}.log"
    output.unlink(missing_ok=True)
    measured = run_timed(command, log, cwd=workdir)
    problem = None if measured.exit_status == 0 else f"exit status {measured.exit_status}"
    problem = problem or check_items(output, pages)
    if problem:
        raise RuntimeError(f"{label}: {problem}\n--- last lines of its log ---\n{tail(log)}")
    return measured


def summarize(runs: list[Measured], pages: int) -> dict[str, float]:
    return {
        "cpu_s": round(median([run.cpu_s for run in runs]), 3),
        "wall_s": round(median([run.wall_s for run in runs]), 3),
        "pages_per_s": round(median([pages / run.wall_s for run in runs]), 1),
        "cpu_ms_per_page": round(median([run.cpu_s for run in runs]) / pages * 1000, 3),
        "max_rss_mb": round(median([run.max_rss_kb for run in runs]) / 1024, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="measured runs per side (median)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured rounds first")
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--links", type=int, default=20)
    parser.add_argument("--scrapy-venv", default=str(BENCH / ".venv-scrapy"))
    parser.add_argument("--server", choices=["auto", "nginx", "aiohttp"], default="auto")
    parser.add_argument("--sides", default=",".join(SIDES), help="comma-separated subset of " + ",".join(SIDES))
    parser.add_argument("--results", default=str(BENCH / "results" / "crawl.json"))
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    sides = [side for side in args.sides.split(",") if side]
    unknown = set(sides) - set(SIDES)
    if unknown:
        parser.error(f"unknown sides: {sorted(unknown)}")
    scrapy_venv = Path(args.scrapy_venv)
    if "scrapy" in sides and not (scrapy_venv / "bin" / "scrapy").exists():
        parser.error(f"no Scrapy in {scrapy_venv}: run bench/scrapy_venv.sh first")
    commands = side_commands(scrapy_venv)
    runs: dict[str, list[Measured]] = {side: [] for side in sides}
    code_before = code_state()
    compile_ascrapy()

    with tempfile.TemporaryDirectory(prefix="ascrapy-bench-") as tmp, \
            serve_link_site(args.pages, args.links, args.server) as site:
        workdir = Path(tmp)  # no scrapy.cfg here: both crawlers run without a project
        print(f"site: {args.pages} pages x {args.links} links at {site.base_url} ({site.server})", flush=True)
        for round_number in range(args.warmup + args.runs):
            warm = round_number < args.warmup
            for side in sides:
                label = f"{side}-{round_number}"
                measured = run_once(commands[side](site.base_url, workdir / f"{label}.jsonl"),
                                    args.pages, workdir, label)
                kind = "warm-up" if warm else f"run {round_number - args.warmup + 1}/{args.runs}"
                print(f"{SIDE_LABELS[side]:<30} {kind:<9} cpu {measured.cpu_s:6.2f} s  wall "
                      f"{measured.wall_s:6.2f} s  {args.pages / measured.wall_s:7.1f} pages/s  "
                      f"rss {measured.max_rss_kb / 1024:6.1f} MB", flush=True)
                if not warm:
                    runs[side].append(measured)
        server = site.server

    result = {
        "workload": {
            "pages": args.pages, "links_per_page": args.links, "concurrency": CONCURRENCY,
            "runs": args.runs, "warmup_rounds": args.warmup, "server": server,
            "spider": str(SPIDER.relative_to(REPO)),
        },
        "sides": {
            side: {
                "label": SIDE_LABELS[side],
                "median": summarize(side_runs, args.pages),
                "runs": [run.as_dict() for run in side_runs],
            }
            for side, side_runs in runs.items()
        },
    }
    write_results(args.results, result, code_before)
    for side, data in result["sides"].items():
        print(f"  {data['label']:<30} {data['median']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
