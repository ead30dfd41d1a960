"""What each plugin's CI installs and runs, read from its unpacked sdist."""

from __future__ import annotations

import configparser
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# Test requirements of a plugin's CI that its test command does not use: a linter, tox
# itself, coverage (the command here passes no --cov).
NOT_FOR_TESTS = {"flake8", "tox", "pytest-cov"}


def canonical(name: str) -> str:
    """A distribution name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    if not match:
        raise ValueError(f"not a requirement: {requirement!r}")
    return canonical(match.group(1))


def tox_deps(tox_ini: Path, section: str) -> list[str]:
    """The ``deps`` of a tox.ini section, with ``{[other]deps}`` substituted and the
    factor-conditional lines (``scrapy26: scrapy~=2.6.0``) left out."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(tox_ini)

    def expand(sec: str) -> list[str]:
        out: list[str] = []
        for line in parser.get(sec, "deps", fallback="").splitlines():
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            reference = re.fullmatch(r"\{\[([^\]]+)\]deps\}", line)
            if reference:
                out += expand(reference.group(1))
            elif re.match(r"^[\w,{}-]+:\s", line):
                continue  # a factor-conditional line: other tox envs
            elif line.startswith("-r"):
                out += requirements_file(tox_ini.parent / line[2:].strip())
            else:
                out.append(line)
        return out

    return expand(section)


def requirements_file(path: Path) -> list[str]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line]


def without_unused(requirements: list[str]) -> list[str]:
    """The requirements less NOT_FOR_TESTS and repeats, in order."""
    seen: set[str] = set()
    kept = []
    for requirement in requirements:
        if requirement_name(requirement) in NOT_FOR_TESTS or requirement in seen:
            continue
        seen.add(requirement)
        kept.append(requirement)
    return kept


@dataclass
class Plugin:
    """A plugin, its release, and how its CI tests it."""

    name: str
    version: str
    test_requirements: Callable[[Path], list[str]]  # from the unpacked sdist
    pytest_args: list[str]
    extras: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    needs_redis: bool = False
    # Its code imports Twisted without requiring it (Scrapy brings it): on ascrapy, compat is
    # installed with its twisted extra, as the README tells users of such plugins.
    needs_twisted: bool = False
    where: str = ""  # where the requirements and the command come from


PLUGINS: dict[str, Plugin] = {
    plugin.name: plugin
    for plugin in [
        Plugin(
            "scrapy-redis",
            "0.9.1",
            # tox.ini [testenv] deps = [base] deps = requirements-tests.txt + requirements.txt
            lambda src: without_unused(tox_deps(src / "tox.ini", "testenv")),
            [],  # tox: `python -m pytest` in the sdist's root (pytest.ini: -rxEfsw -v)
            needs_redis=True,
            needs_twisted=True,  # scrapy_redis.pipelines: twisted.internet.threads.deferToThread
            where="tox.ini [testenv] (requirements-tests.txt, requirements.txt); `python -m pytest`",
        ),
        Plugin(
            "spidermon",
            "1.27.0",
            # tox.ini [testenv:monitoring]: [testenv] deps + [monitoring] deps, extras = monitoring
            lambda src: without_unused(tox_deps(src / "tox.ini", "testenv") + tox_deps(src / "tox.ini", "monitoring")),
            ["-W", "default", "tests"],
            extras=["monitoring"],
            needs_twisted=True,  # its extension imports LoopingCall; its CI runs pytest-twisted
            where="tox.ini [testenv:monitoring] (deps + pytest-twisted, extra monitoring); `pytest -W default tests`",
        ),
        Plugin(
            "scrapy-poet",
            "0.27.2",
            lambda src: without_unused(tox_deps(src / "tox.ini", "testenv")),
            ["--doctest-modules", "--reactor=asyncio", "scrapy_poet", "tests"],
            env={"REACTOR": "asyncio"},
            needs_twisted=True,  # it requires Twisted itself
            where="tox.ini [testenv] (pytest, pytest-twisted, Twisted; REACTOR=asyncio); "
            "`pytest --doctest-modules --reactor=asyncio scrapy_poet tests`",
        ),
        Plugin(
            "scrapy-deltafetch",
            "2.1.0",
            # The sdist ships no tox.ini; these are the deps of the project's tox.ini [testenv]
            # (pytest, pytest-cov, pytest-benchmark), at the 2.1.0 release.
            lambda src: without_unused(["pytest", "pytest-cov", "pytest-benchmark"]),
            ["scrapy_deltafetch", "tests"],
            where="the project's tox.ini [testenv] at 2.1.0 (not in the sdist); `pytest scrapy_deltafetch tests`",
        ),
    ]
}
