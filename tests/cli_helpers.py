"""Running the command line as a user does: ``python -m ascrapy.cli.main`` in a subprocess.

Test modules import the fixtures they use (``cli``, ``workdir``, ``project``) from here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCRAPY_", "ASCRAPY_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["HOME"] = str(home)
    env["XDG_CONFIG_HOME"] = str(home / ".config")
    env.pop("EDITOR", None)
    return env


class Cli:
    """Runs ``python -m ascrapy.cli.main ARGS`` in a folder, with an isolated home."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.env = _env(home)

    def __call__(
        self, *args: str, cwd: Path, timeout: float = 60, input: str | None = None, **env: str  # noqa: A002
    ) -> subprocess.CompletedProcess[str]:
        """The finished command; ``input`` is its standard input, ``env`` extra variables."""
        return subprocess.run(
            [sys.executable, "-m", "ascrapy.cli.main", *args],
            cwd=cwd,
            env={**self.env, **env},
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def start_project(base: Path, name: str) -> Path:
    """Run ``startproject NAME`` in ``base`` (with a home of its own there); the project's root."""
    home = base / "home"
    home.mkdir(exist_ok=True)
    result = Cli(home)("startproject", name, cwd=base)
    assert result.returncode == 0, result.stderr
    return base / name


def write_spider(project: Path, module: str, code: str) -> None:
    """Write ``code`` (dedented) as the spiders module ``module`` of a project made by start_project."""
    (project / project.name / "spiders" / f"{module}.py").write_text(textwrap.dedent(code))


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    home = tmp_path / "home"
    home.mkdir()
    return Cli(home)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    path = tmp_path / "work"
    path.mkdir()
    return path


@pytest.fixture(scope="module")
def _project_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return start_project(tmp_path_factory.mktemp("template"), "demo")


@pytest.fixture
def project(_project_template: Path, workdir: Path) -> Path:
    """A fresh copy of a project made by ``startproject demo``."""
    target = workdir / "demo"
    shutil.copytree(_project_template, target)
    return target
