"""A fresh virtual environment with ascrapy and compat installed as the README says, for the
tests that install Scrapy plugins from the package index with plain pip.

The checkout's sources are copied first (pip builds a local project in its own folder, and
the checkout must not collect build/ and egg-info folders from a test). pip's cache makes a
second run take seconds.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
INSTALL_TIMEOUT = 900
SOURCES = ("pyproject.toml", "README.md", "ascrapy", "compat")


@dataclass(frozen=True)
class PluginVenv:
    """A virtual environment and what it was made from."""

    root: Path
    checkout: Path

    @property
    def python(self) -> Path:
        return self.root / "bin" / "python"

    @property
    def scrapy(self) -> Path:
        return self.root / "bin" / "scrapy"

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a process in the venv: nothing of the developer's Python path or
        Scrapy settings."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SCRAPY_", "ASCRAPY_", "PYTHON"))}
        env["PATH"] = f"{self.root / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(self.root)
        env.update(extra)
        return env

    def pip_install(self, *requirements: str) -> subprocess.CompletedProcess[str]:
        """A plain ``pip install`` of ``requirements``; fails the caller with pip's output."""
        done = subprocess.run([str(self.python), "-m", "pip", "install", "--disable-pip-version-check",
                               *requirements], env=self.env(), capture_output=True, text=True,
                              timeout=INSTALL_TIMEOUT)
        if done.returncode != 0:
            raise RuntimeError(f"pip install {' '.join(requirements)} failed:\n{done.stdout[-3000:]}\n"
                               f"{done.stderr[-3000:]}")
        return done

    def run_python(self, code: str, cwd: Path) -> str:
        done = subprocess.run([str(self.python), "-c", code], env=self.env(), cwd=cwd, capture_output=True,
                              text=True, timeout=INSTALL_TIMEOUT)
        if done.returncode != 0:
            raise RuntimeError(f"python -c failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def distributions(self, cwd: Path) -> dict[str, str]:
        """{canonical name: version} of every distribution installed in the venv."""
        code = ("import importlib.metadata as m, json, re\n"
                "print(json.dumps({re.sub(r'[-_.]+', '-', d.metadata['Name']).lower(): d.version"
                " for d in m.distributions()}))")
        return json.loads(self.run_python(code, cwd))


def make_plugin_venv(base: Path) -> PluginVenv:
    """``python -m venv``, then ``pip install ./ascrapy ./ascrapy/compat`` (README, "Swapping
    Scrapy for ascrapy") from a copy of this checkout."""
    checkout = base / "ascrapy"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")
    for name in SOURCES:
        origin = REPO_ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, checkout / name, ignore=skip)
        else:
            checkout.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, checkout / name)
    venv = PluginVenv(base / "venv", checkout)
    subprocess.run([sys.executable, "-m", "venv", str(venv.root)], check=True, timeout=INSTALL_TIMEOUT)
    venv.pip_install(str(checkout), str(checkout / "compat"))
    return venv
