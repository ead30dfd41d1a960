"""ascrapy in one command: serve the example bookstore, crawl it, show what was scraped.

    python examples/demo.py [--output PATH]

Serves examples/site on a free 127.0.0.1 port, runs
``ascrapy crawl books -a base_url=URL -O books.jsonl`` in examples/spiders, stops the
server and reports the items written. Exits with the crawl's exit code, or 1 when the
crawl wrote no items. Needs nothing but ascrapy installed (no network).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

EXAMPLES_DIR = Path(__file__).resolve().parent
SPIDERS_DIR = EXAMPLES_DIR / "spiders"
SERVE_SITE = EXAMPLES_DIR / "serve_site.py"
CRAWL_TIMEOUT_SECONDS = 300


def ascrapy_command() -> list[str]:
    """The ``ascrapy`` script installed next to this Python, else ``python -m ascrapy``."""
    scripts_dir = Path(sys.executable).parent
    for name in ("ascrapy", "ascrapy.exe"):
        if (scripts_dir / name).is_file():
            return [str(scripts_dir / name)]
    return [sys.executable, "-m", "ascrapy"]


def start_site() -> tuple[subprocess.Popen[str], str]:
    """Start examples/serve_site.py on a free port; return the process and its base URL."""
    server = subprocess.Popen(
        [sys.executable, str(SERVE_SITE)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert server.stdout is not None
    url = server.stdout.readline().strip()
    if not url.startswith("http://"):
        server.kill()
        _, errors = server.communicate()
        raise RuntimeError(f"the example site did not start:\n{errors}")
    return server, url


def count_items(path: Path) -> int:
    """Items in a JSON lines feed (0 when the file is missing)."""
    if not path.exists():
        return 0
    with path.open(encoding="utf-8") as lines:
        return sum(1 for line in lines if line.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=SPIDERS_DIR / "books.jsonl",
                        help="where the JSON lines feed goes (default: %(default)s)")
    output: Path = parser.parse_args(argv).output.resolve()

    server, url = start_site()
    print(f"Serving the example bookstore at {url}", flush=True)
    command = [*ascrapy_command(), "crawl", "books", "-a", f"base_url={url}", "-O", str(output)]
    print(f"Running: {' '.join(command)}  (in {SPIDERS_DIR})", flush=True)
    try:
        crawl = subprocess.run(command, cwd=SPIDERS_DIR, timeout=CRAWL_TIMEOUT_SECONDS)
        exit_code = crawl.returncode
    except subprocess.TimeoutExpired:
        print(f"The crawl did not finish in {CRAWL_TIMEOUT_SECONDS} s", file=sys.stderr)
        exit_code = 1
    finally:
        server.terminate()
        server.communicate(timeout=10)

    items = count_items(output)
    print(f"\nThe crawl wrote {items} items to {output}")
    if items:
        with output.open(encoding="utf-8") as lines:
            first = json.loads(lines.readline())
        print(f"First item: {json.dumps(first, ensure_ascii=False)}")
    if exit_code != 0:
        print(f"The crawl failed with exit code {exit_code}", file=sys.stderr)
        return exit_code
    return 0 if items else 1


if __name__ == "__main__":
    sys.exit(main())
