"""What every section of bench/results/README.md uses: ratios, goals met, the code measured."""

from __future__ import annotations

from typing import Any


def ratio(numerator: float, denominator: float) -> str:
    return f"{numerator / denominator:.2f}x" if denominator else "n/a"



def met(ok: bool) -> str:
    return "met" if ok else "**not met**"



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
