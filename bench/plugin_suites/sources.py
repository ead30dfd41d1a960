"""The plugins' sdists and wheels, and the ascrapy and compat wheels of a checkout."""

from __future__ import annotations

import shutil
import sys
import tarfile
from pathlib import Path

from .plugins import Plugin
from .process import CACHE, log, run


def fetch_sdist(plugin: Plugin) -> tuple[Path, Path]:
    """The plugin's unpacked sdist and its wheel, downloaded and built once in the cache."""
    base = CACHE / plugin.name
    sdists = base / "sdist"
    found = sorted(sdists.glob("*.tar.gz")) if sdists.exists() else []
    if not found:
        log(f"{plugin.name}: downloading the sdist of {plugin.version}")
        run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
             "--dest", str(sdists), f"{plugin.name}=={plugin.version}"], log_to=base / "pip.log")
        found = sorted(sdists.glob("*.tar.gz"))
    sdist = found[0]
    source = base / "src"
    if not source.exists():
        with tarfile.open(sdist) as archive:
            archive.extractall(base / "unpack", filter="data")
        (top,) = list((base / "unpack").iterdir())
        top.rename(source)
        shutil.rmtree(base / "unpack")
    wheels = base / "wheel"
    built = sorted(wheels.glob("*.whl")) if wheels.exists() else []
    if not built:
        log(f"{plugin.name}: building its wheel")
        run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(wheels), str(sdist)],
            log_to=base / "pip.log")
        built = sorted(wheels.glob("*.whl"))
    return source, built[0]


def build_ascrapy(checkout: Path) -> list[Path]:
    """Wheels of ascrapy and compat (the ``scrapy`` distribution) from the checkout, afresh."""
    out = CACHE / "ascrapy-wheels"
    shutil.rmtree(out, ignore_errors=True)
    log(f"building ascrapy and compat from {checkout}")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(out),
         str(checkout), str(checkout / "compat")], log_to=CACHE / "ascrapy-build.log")
    wheels = sorted(out.glob("*.whl"))
    names = sorted(wheel.name.split("-")[0] for wheel in wheels)
    if names != ["ascrapy", "scrapy"]:
        raise RuntimeError(f"expected the ascrapy and compat (scrapy) wheels in {out}, found {wheels}")
    return wheels
