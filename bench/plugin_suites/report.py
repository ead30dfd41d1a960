"""Comparing a plugin's two runs, and the table."""

from __future__ import annotations

import re
from typing import Any

TARGET = 0.95


def compare(reference: dict[str, Any], ascrapy: dict[str, Any]) -> dict[str, Any]:
    """Scrapy's passes that pass on ascrapy too, and why the others do not."""
    ref_tests, asc_tests = reference["tests"], ascrapy["tests"]
    ref_passed = {t for t, o in ref_tests.items() if o["outcome"] == "passed"}
    asc_passed = {t for t, o in asc_tests.items() if o["outcome"] == "passed"}
    lost = {test: why_not_passed(test, ascrapy) for test in sorted(ref_passed - asc_passed)}
    kept = len(ref_passed & asc_passed)
    groups: dict[str, int] = {}
    for outcome in lost.values():
        key = re.sub(r"0x[0-9a-f]+|\d+", "N", outcome["line"])[:160]
        groups[key] = groups.get(key, 0) + 1
    ratio = kept / len(ref_passed) if ref_passed else None
    return {
        "reference_passes": len(ref_passed),
        "ascrapy_passes": len(asc_passed),
        "reference_passes_passing_on_ascrapy": kept,
        "ratio": round(ratio, 4) if ratio is not None else None,
        "target": TARGET,
        "met": ratio is not None and ratio >= TARGET,
        "passing_on_scrapy_not_on_ascrapy": lost,
        "lost_by_first_line": dict(sorted(groups.items(), key=lambda kv: -kv[1])),
        "passing_on_ascrapy_not_on_scrapy": sorted(asc_passed - ref_passed),
        "not_passing_on_scrapy": {t: o for t, o in sorted(ref_tests.items()) if o["outcome"] in ("failed", "error")},
    }


def why_not_passed(test: str, ascrapy: dict[str, Any]) -> dict[str, str]:
    """The ascrapy outcome of a test, or why there is none (its module failed to collect,
    or the run crashed)."""
    tests = ascrapy["tests"]
    if test in tests:
        return dict(tests[test])
    collection_errors = {t: o["line"] for t, o in tests.items() if "::" not in t and o["outcome"] == "error"}
    module = next((m for m in collection_errors if test.startswith((m + ".", m + "::"))), None)
    if module:
        return {"outcome": "not collected", "line": collection_errors[module]}
    if not tests:
        crash = [line for line in ascrapy["output_tail"] if line.strip()]
        return {"outcome": "no run", "line": crash[-1][:300] if crash else f"exit {ascrapy['exit']}"}
    return {"outcome": "not collected", "line": "absent from the run"}


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| plugin | passes on Scrapy 2.19.0 | passes on ascrapy | Scrapy's passes kept | ratio | target | met |",
             "|---|---|---|---|---|---|---|"]
    for row in rows:
        c = row["comparison"]
        ratio = f"{c['ratio']:.1%}" if c["ratio"] is not None else "-"
        lines.append(f"| {row['plugin']} {row['version']} | {c['reference_passes']} | {c['ascrapy_passes']} | "
                     f"{c['reference_passes_passing_on_ascrapy']} | {ratio} | {TARGET:.0%} | "
                     f"{'yes' if c['met'] else 'no'} |")
    return "\n".join(lines)


def lost_summary(row: dict[str, Any], limit: int = 15) -> list[str]:
    """The lines to print for a plugin: its lost tests grouped by their failure's first line."""
    groups = row["comparison"]["lost_by_first_line"]
    if not groups:
        return []
    return [f"\n{row['plugin']}: passing on Scrapy, not on ascrapy, by the failure's first line:",
            *(f"  {count:4d}  {line}" for line, count in list(groups.items())[:limit])]
