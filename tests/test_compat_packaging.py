"""compat's distribution is ``scrapy`` at the Scrapy API level ascrapy emulates, with
ascrapy's version as the local label; what each version number answers.

tests/test_plugin_install.py installs a plugin with plain pip into a fresh environment; these
check the same facts in the development environment, quickly.
"""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import tomllib
from importlib.resources import files
from pathlib import Path

import pytest

import ascrapy
import scrapy
from ascrapy.version import (
    SCRAPY_VERSION,
    compat_distribution_version,
    is_compat_distribution_version,
    scrapy_version_info,
)

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_compat_pyproject_names_scrapy_at_the_emulated_version() -> None:
    project = tomllib.loads((REPO_ROOT / "compat" / "pyproject.toml").read_text())["project"]
    assert project["name"] == "scrapy"
    assert project["version"] == compat_distribution_version() == f"{SCRAPY_VERSION}+ascrapy.{ascrapy.__version__}"
    ascrapy_project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert f"ascrapy=={ascrapy_project['version']}" in project["dependencies"]
    assert ascrapy_project["version"] == ascrapy.__version__


def test_the_installed_scrapy_distribution_is_compat() -> None:
    assert importlib.metadata.version("Scrapy") == compat_distribution_version()
    assert importlib.metadata.version("scrapy") == compat_distribution_version()


def test_scrapy_version_is_the_api_level_and_ascrapy_keeps_its_own() -> None:
    assert scrapy.__version__ == SCRAPY_VERSION == "2.19.0"
    assert scrapy.version_info == scrapy_version_info == (2, 19, 0)
    assert ascrapy.__version__ != scrapy.__version__
    assert files("scrapy").joinpath("VERSION").read_text(encoding="ascii").strip() == SCRAPY_VERSION


@pytest.mark.parametrize(
    ("version", "is_compat"),
    [("2.19.0+ascrapy.0.1.0", True), ("2.19.0+ascrapy.7", True), ("2.19.0", False), ("2.19.0+local.1", False),
     ("2.19.0+ascrapyx.1", False)],
)
def test_compat_versions_are_told_by_their_local_label(version: str, is_compat: bool) -> None:
    assert is_compat_distribution_version(version) is is_compat


def test_a_plugins_scrapy_pin_is_met_by_compats_version() -> None:
    from packaging.requirements import Requirement

    version = compat_distribution_version()
    for pin in ("Scrapy>=1.1.0", "scrapy>=2.13", "Scrapy==2.19.0", "scrapy~=2.19", "scrapy<3"):
        assert Requirement(pin).specifier.contains(version), pin
    assert not Requirement("scrapy>=2.20").specifier.contains(version)


def _scrapy_command(*args: str, cwd: Path) -> str:
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60, check=True).stdout


def test_scrapy_version_verbose_lists_both(tmp_path: Path) -> None:
    rows = {
        name.strip(): value
        for name, value in (line.split(" : ", 1) for line in _scrapy_command("version", "-v", cwd=tmp_path).splitlines())
    }
    assert rows["ascrapy"] == ascrapy.__version__
    assert rows["Scrapy"] == "2.19.0 (the Scrapy API, on ascrapy)"
