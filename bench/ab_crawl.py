"""Two ascrapy versions on the same crawl, alternately: did a change cost CPU or memory?

    python bench/ab_crawl.py --other /path/to/other/venv/bin/python [--runs 7] [--pages 2000]
                             [--jobdir] [--server auto|nginx|aiohttp]

Each side is a Python with ascrapy and compat installed: this one (the checkout) and
``--other`` (for example a venv with the previous commit installed from a git worktree:
``git worktree add /tmp/prev HEAD~1 && python3.11 -m venv /tmp/prev-venv &&
/tmp/prev-venv/bin/pip install /tmp/prev /tmp/prev/compat``). The workload is the crawl
benchmark's: bench/spiders/links_spider.py run by ``scrapy runspider`` on the generated
2,000-page site, CONCURRENT_REQUESTS=32; with ``--jobdir`` each run also has a fresh JOBDIR.
The sides alternate (this, other, this, other...) after a warm-up round, and the medians of
CPU (user + sys) and peak RSS are printed. Runs that did not write one item per page fail
the benchmark.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from statistics import median

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from crawl_bench import spider_command
from machine import compile_ascrapy
from site_server import serve_link_site
from timing import Measured, run_timed, tail


def one_run(python: Path, base: str, pages: int, jobdir: bool, work: Path, label: str, number: int) -> Measured:
    output = work / f"{label}-{number}.jsonl"
    command = spider_command(python.parent / "scrapy", base, output)
    if jobdir:
        command += ["-s", f"JOBDIR={work / f'{label}-{number}.job'}"]
    log = work / f"{label}-{number}.log"
    measured = run_timed(command, log, cwd=work)
    items = output.read_text().count("\n") if output.exists() else 0
    if measured.exit_status != 0 or items != pages:
        raise SystemExit(f"{label} run {number}: exit {measured.exit_status}, {items} items\n{tail(log)}")
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--other", type=Path, required=True, help="the Python of the other ascrapy")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--links", type=int, default=20)
    parser.add_argument("--jobdir", action="store_true", help="each run with a fresh JOBDIR")
    parser.add_argument("--server", default="auto", choices=("auto", "nginx", "aiohttp"))
    args = parser.parse_args()
    compile_ascrapy()
    sides = {"this": Path(sys.executable), "other": args.other}
    results: dict[str, list[Measured]] = {label: [] for label in sides}
    with serve_link_site(args.pages, args.links, args.server) as site, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for number in range(args.runs + 1):
            for label, python in sides.items():
                measured = one_run(python, site.base_url, args.pages, args.jobdir, work, label, number)
                if number:  # round 0 warms the page cache and the bytecode up
                    results[label].append(measured)
    for label, runs in results.items():
        cpu = [run.cpu_s for run in runs]
        rss = [run.max_rss_kb / 1024 for run in runs]
        print(f"{label:5} CPU-s median {median(cpu):.2f} (runs {', '.join(f'{c:.2f}' for c in cpu)}), "
              f"peak RSS median {median(rss):.1f} MB")
    ratio = median(r.cpu_s for r in results["this"]) / median(r.cpu_s for r in results["other"])
    print(f"CPU this/other: {ratio:.3f}")


if __name__ == "__main__":
    main()
