"""The two virtual environments of a plugin: real Scrapy's and ascrapy's."""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from .plugins import Plugin
from .process import CACHE, log, run

SCRAPY_REFERENCE = "scrapy==2.19.0"


def venv_python(args: argparse.Namespace) -> str:
    """The Python the venvs are made with."""
    return args.python or shutil.which("python3.11") or "python3"


def prepare_venv(plugin: Plugin, side: str, args: argparse.Namespace, source: Path, wheel: Path,
                 ascrapy_wheels: list[Path]) -> tuple[Path, dict[str, Any]]:
    """The side's venv ("reference" or "ascrapy"), built or reused; returns it and what was
    installed, for the results.

    The ascrapy side gets the ascrapy and compat wheels and then the plugin and its test
    requirements in one plain pip install, the way a user installs a plugin."""
    venv = CACHE / plugin.name / f"venv-{side}"
    log_to = CACHE / plugin.name / f"install-{side}.log"
    extras = f"[{','.join(plugin.extras)}]" if plugin.extras else ""
    requirements = [f"{plugin.name}{extras} @ {wheel.as_uri()}", *plugin.test_requirements(source), "pytest-timeout"]
    if side == "reference":
        requirements = [SCRAPY_REFERENCE, *requirements]
    python = venv_python(args)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check"]
    stamp = hashlib.sha256(json.dumps([side, requirements, plugin.needs_twisted,
                                       run([python, "--version"]).stdout.strip()]).encode())
    stamp_file = venv / "plugin-suites-stamp"
    if args.fresh or not stamp_file.exists() or stamp_file.read_text() != stamp.hexdigest():
        log(f"{plugin.name}: building the {side} venv (log: {log_to})")
        shutil.rmtree(venv, ignore_errors=True)
        log_to.unlink(missing_ok=True)
        run([python, "-m", "venv", str(venv)], log_to=log_to)
        if side == "ascrapy":
            run(pip + ascrapy_requirements(ascrapy_wheels, plugin), log_to=log_to)
        run(pip + requirements, log_to=log_to)
        stamp_file.write_text(stamp.hexdigest())
    else:
        log(f"{plugin.name}: reusing the {side} venv")
    if side == "ascrapy":
        # ascrapy and compat as they are in the checkout now; then the plugin's files again,
        # over compat's as a plain install leaves them (compat also ships a scrapy_redis package).
        again = pip + ["--no-deps", "--force-reinstall"]
        run(again + [str(w) for w in ascrapy_wheels], log_to=log_to)
        run(again + [str(wheel)], log_to=log_to)
    installed = swap_check(venv)
    if side == "ascrapy" and not str(installed.get("scrapy") or "").count("+ascrapy"):
        raise RuntimeError(f"{plugin.name}: pip replaced compat with Scrapy {installed.get('scrapy')} "
                           f"(see {log_to}): the ascrapy side would run on real Scrapy")
    return venv, {"requirements": requirements, "installed": installed}


def ascrapy_requirements(wheels: list[Path], plugin: Plugin) -> list[str]:
    """The ascrapy and compat wheels as requirements: compat with its twisted extra for a
    plugin that uses Twisted without requiring it (the README's advice)."""
    extra = "[twisted]" if plugin.needs_twisted else ""
    return [f"{wheel.name.split('-')[0]}{extra if wheel.name.startswith('scrapy-') else ''} @ {wheel.as_uri()}"
            for wheel in wheels]


SWAP_CHECK = r"""
import importlib.metadata as md, json
out = {}
for dist in ("scrapy", "ascrapy", "twisted", "pytest", "pytest-twisted"):
    try:
        out[dist] = md.version(dist)
    except md.PackageNotFoundError:
        out[dist] = None
try:
    import scrapy
    out["scrapy.__file__"] = scrapy.__file__
    out["scrapy.__version__"] = getattr(scrapy, "__version__", None)
    try:
        import ascrapy
        out["scrapy.Spider is ascrapy.Spider"] = scrapy.Spider is ascrapy.Spider
    except ImportError as exc:
        out["scrapy.Spider is ascrapy.Spider"] = f"ascrapy: {exc}"
except Exception as exc:
    out["import scrapy"] = f"{type(exc).__name__}: {exc}"
print(json.dumps(out))
"""


def swap_check(venv: Path) -> dict[str, Any]:
    """The versions that matter in a venv, and whether ``scrapy`` is ascrapy there."""
    result = run([str(venv / "bin" / "python"), "-c", SWAP_CHECK], check=False, cwd="/")
    try:
        return json.loads(result.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {"error": (result.stdout + result.stderr)[-500:]}
