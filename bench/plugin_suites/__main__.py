"""The command: ``python -m bench.plugin_suites [PLUGIN ...]`` (see the package's docstring)."""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path
from typing import Any

from . import __doc__ as PACKAGE_DOC
from .plugins import PLUGINS
from .process import CACHE, run
from .report import compare, lost_summary, table
from .sources import build_ascrapy, fetch_sdist
from .suite import REPO, inner, run_suite
from .venvs import SCRAPY_REFERENCE, prepare_venv, venv_python

RESULTS = REPO / "bench" / "results" / "plugin_suites.json"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.plugin_suites", description=PACKAGE_DOC,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("plugins", nargs="*", metavar="PLUGIN",
                        help=f"the plugins to run (default: all of {', '.join(PLUGINS)})")
    parser.add_argument("--ascrapy", type=Path, default=REPO, help="the checkout to install ascrapy and compat from")
    parser.add_argument("--fresh", action="store_true", help="rebuild the venvs")
    parser.add_argument("--only", choices=["reference", "ascrapy"], help="run one side only (the other from the last results)")
    parser.add_argument("--python", help="the Python the venvs are made with (default python3.11)")
    parser.add_argument("--no-netns", action="store_true", help="run the suites without a network namespace of their own")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    unknown = [name for name in args.plugins if name not in PLUGINS]
    if unknown:
        parser.error(f"unknown plugin(s) {', '.join(unknown)}; choose from {', '.join(PLUGINS)}")
    return args


def git_head(checkout: Path) -> str:
    result = run(["git", "-C", str(checkout), "rev-parse", "HEAD"], check=False)
    dirty = run(["git", "-C", str(checkout), "status", "--porcelain", "--untracked-files=no"], check=False)
    return result.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def run_plugin(name: str, args: argparse.Namespace, previous: dict[str, Any], ascrapy_wheels: list[Path]) -> dict[str, Any]:
    """Both sides of one plugin (or one, the other taken from the last results)."""
    plugin = PLUGINS[name]
    source, wheel = fetch_sdist(plugin)
    entry: dict[str, Any] = {"plugin": name, "version": plugin.version, "from": plugin.where}
    for side in ("reference", "ascrapy"):
        if args.only and args.only != side:
            entry[side], entry[f"{side}_install"] = previous.get(side), previous.get(f"{side}_install")
            if entry[side] is None:
                raise SystemExit(f"no earlier {side} results for {name} in {args.output}")
            continue
        venv, how = prepare_venv(plugin, side, args, source, wheel, ascrapy_wheels)
        entry[f"{side}_install"] = how
        entry[side] = run_suite(plugin, side, venv, source, netns=not args.no_netns)
    entry["comparison"] = compare(entry["reference"], entry["ascrapy"])
    return entry


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.inner:
        return inner(args.inner)
    CACHE.mkdir(exist_ok=True)
    previous = json.loads(args.output.read_text()) if args.output.exists() else {}
    results: dict[str, Any] = {"plugins": dict(previous.get("plugins", {}))}
    ascrapy_wheels = build_ascrapy(args.ascrapy.resolve()) if args.only != "reference" else []
    rows = []
    for name in args.plugins or list(PLUGINS):
        entry = run_plugin(name, args, previous.get("plugins", {}).get(name, {}), ascrapy_wheels)
        results["plugins"][name] = entry
        rows.append(entry)
    results.update({
        "generated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "ascrapy_checkout": git_head(args.ascrapy.resolve()),
        "python": run([venv_python(args), "--version"]).stdout.strip(),
        "scrapy_reference": SCRAPY_REFERENCE,
        "command": "python -m bench.plugin_suites " + " ".join(sys.argv[1:] if argv is None else argv),
    })
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=1) + "\n")
    print()
    print(table(rows))
    for row in rows:
        for line in lost_summary(row):
            print(line)
    print(f"\nwritten: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
