"""compat/ holds exactly what compat/generate.py writes: a hand edit of a compat module, or an
ascrapy name added or moved without rerunning the generator, fails here.

The generator runs on compat/scrapy-names.json (Scrapy's names as it read them from the sdist),
so no Scrapy download is needed; it runs in its own process because it hides any ``scrapy``
package from itself while it imports ascrapy.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

COMPAT = Path(__file__).resolve().parent.parent / "compat"
RERUN = "rerun `.venv/bin/python compat/generate.py /path/to/scrapy-2.19.0` (or compat/scrapy-names.json)"


def generated_files(root: Path) -> dict[str, str]:
    """The generator's output under ``root``: scrapy/** (modules and templates) and MISSING.md."""
    files = {"MISSING.md": (root / "MISSING.md").read_text(encoding="utf-8")}
    for path in sorted((root / "scrapy").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            files[str(path.relative_to(root))] = path.read_text(encoding="utf-8")
    return files


def test_committed_compat_is_what_the_generator_writes(tmp_path):
    done = subprocess.run(
        [sys.executable, str(COMPAT / "generate.py"), str(COMPAT / "scrapy-names.json"), "--output", str(tmp_path)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "warning: could not import" not in done.stderr, done.stderr
    expected, committed = generated_files(tmp_path), generated_files(COMPAT)
    assert len(expected) > 100  # the generator wrote the whole package
    missing = sorted(set(expected) - set(committed))
    extra = sorted(set(committed) - set(expected))
    changed = sorted(name for name in set(expected) & set(committed) if expected[name] != committed[name])
    assert not (missing or extra or changed), (
        f"compat/ differs from the generator's output ({RERUN}): "
        f"not committed {missing}, not generated {extra}, different {changed}"
    )
