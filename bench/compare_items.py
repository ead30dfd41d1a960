"""Do Scrapy and ascrapy write the same items for the same unmodified spider and site?

    python bench/compare_items.py [--pages 2000] [--links 20] [--scrapy-venv PATH]

Serves the generated link site on 127.0.0.1, runs bench/spiders/links_spider.py with real
Scrapy 2.19.0 (`scrapy runspider` from its own venv, see scrapy_venv.sh) and with ascrapy's
compat `scrapy` command (next to this Python), and compares the two JSON-lines outputs.
Writes bench/results/same-items.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

from crawl_bench import spider_command  # noqa: E402
from tests.sites import make_link_site, serve_app_in_thread  # noqa: E402


def run(scrapy_command: Path, base: str, output: Path) -> int:
    done = subprocess.run(
        spider_command(scrapy_command, base, output, log_level="WARNING"), capture_output=True, text=True, timeout=1200
    )
    if done.returncode:
        print(done.stderr[-3000:], file=sys.stderr)
    return done.returncode


def items(path: Path) -> dict[str, dict]:
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    by_url = {row["url"]: row for row in rows}
    if len(by_url) != len(rows):
        raise SystemExit(f"{path}: {len(rows) - len(by_url)} duplicate items")
    return by_url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--links", type=int, default=20)
    parser.add_argument("--scrapy-venv", default=str(BENCH / ".venv-scrapy"))
    args = parser.parse_args()
    real = Path(args.scrapy_venv) / "bin" / "scrapy"
    ours = Path(sys.executable).parent / "scrapy"
    with tempfile.TemporaryDirectory() as tmp, serve_app_in_thread(make_link_site(args.pages, args.links)) as base:
        outputs = {"Scrapy 2.19.0": Path(tmp, "scrapy.jsonl"), "ascrapy (compat)": Path(tmp, "ascrapy.jsonl")}
        for (name, output), command in zip(outputs.items(), (real, ours), strict=True):
            if run(command, base, output):
                print(f"{name} failed", file=sys.stderr)
                return 1
        scrapy_items, ascrapy_items = (items(path) for path in outputs.values())
    same = scrapy_items == ascrapy_items
    report = [
        "# Same spider, same site: the items of Scrapy and of ascrapy",
        "",
        f"Site: {args.pages} generated pages, {args.links} links each (tests/sites/link.py), on 127.0.0.1.",
        "Spider: bench/spiders/links_spider.py, unmodified (`import scrapy`), run with `scrapy runspider`.",
        "",
        "| run | items |",
        "|---|---|",
        f"| Scrapy 2.19.0 | {len(scrapy_items)} |",
        f"| ascrapy (compat) | {len(ascrapy_items)} |",
        "",
        f"Identical items (same URLs, same field values): **{'yes' if same else 'no'}**.",
        "",
        "Reproduce: `bench/scrapy_venv.sh && .venv/bin/python bench/compare_items.py`",
    ]
    if not same:
        only_scrapy = sorted(set(scrapy_items) - set(ascrapy_items))[:10]
        only_ours = sorted(set(ascrapy_items) - set(scrapy_items))[:10]
        report += ["", f"Only in Scrapy's output (first 10): {only_scrapy}", f"Only in ascrapy's (first 10): {only_ours}"]
    (BENCH / "results").mkdir(exist_ok=True)
    (BENCH / "results" / "same-items.md").write_text("\n".join(report) + "\n")
    print("\n".join(report))
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
