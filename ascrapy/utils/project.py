"""Finding the project a command runs in: scrapy.cfg, the settings module, the data dir.

A project is a directory holding ``scrapy.cfg`` (the same file name Scrapy uses, so
existing projects work unchanged); its ``[settings]`` section names the settings module.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterable, Iterator
from configparser import ConfigParser
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from ascrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from ascrapy.settings import Settings

ENVVAR = "SCRAPY_SETTINGS_MODULE"
DATADIR_CFG_SECTION = "datadir"
CONFIG_FILE_NAME = "scrapy.cfg"

# SCRAPY_<NAME> environment variables that become settings; any other is ignored.
_ENV_SETTINGS = frozenset({"CHECK", "PROJECT", "PYTHON_SHELL", "SETTINGS_MODULE"})


def closest_scrapy_cfg(
    path: str | os.PathLike[str] = ".",
    prevpath: str | os.PathLike[str] | None = None,
) -> str:
    """Return the scrapy.cfg of ``path`` or of its nearest parent, or "" when none has one."""
    del prevpath  # kept for Scrapy's signature; the walk below needs no recursion
    current = Path(path).resolve()
    for directory in (current, *current.parents):
        candidate = directory / CONFIG_FILE_NAME
        if candidate.exists():
            return str(candidate)
    return ""


def get_sources(use_closest: bool = True) -> list[str]:
    """Config files read in order, later ones overriding: system, user, then the project's."""
    config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path("~/.config").expanduser())
    sources = [
        "/etc/scrapy.cfg",
        r"c:\scrapy\scrapy.cfg",
        str(Path(config_home) / CONFIG_FILE_NAME),
        str(Path("~/.scrapy.cfg").expanduser()),
    ]
    if use_closest:
        sources.append(closest_scrapy_cfg())
    return sources


def get_config(use_closest: bool = True) -> ConfigParser:
    """All scrapy.cfg sources merged into one ConfigParser (missing files are skipped)."""
    config = ConfigParser()
    config.read([source for source in get_sources(use_closest) if source])
    return config


def init_env(project: str = "default", set_syspath: bool = True) -> None:
    """Point SCRAPY_SETTINGS_MODULE at the project's settings and make the project importable."""
    config = get_config()
    if ENVVAR not in os.environ and config.has_option("settings", project):
        os.environ[ENVVAR] = config.get("settings", project)
    closest = closest_scrapy_cfg()
    if closest and set_syspath:
        project_dir = str(Path(closest).parent)
        if project_dir not in sys.path:
            sys.path.append(project_dir)


def inside_project() -> bool:
    """True when an importable settings module is configured or a scrapy.cfg is found."""
    settings_module = os.environ.get(ENVVAR)
    if settings_module:
        try:
            import_module(settings_module)
        except ImportError as exc:
            warnings.warn(
                f"Cannot import scrapy settings module {settings_module}: {exc}",
                UserWarning,
                stacklevel=2,
            )
        else:
            return True
    return bool(closest_scrapy_cfg())


def project_data_dir(project: str = "default") -> str:
    """The project's data directory (``[datadir]`` in scrapy.cfg, else ``.scrapy``), created."""
    if not inside_project():
        raise NotConfigured("Not inside a project")
    config = get_config()
    if config.has_option(DATADIR_CFG_SECTION, project):
        directory = Path(config.get(DATADIR_CFG_SECTION, project))
    else:
        cfg_path = closest_scrapy_cfg()
        if not cfg_path:
            raise NotConfigured("Unable to find scrapy.cfg file to infer project data dir")
        directory = (Path(cfg_path).parent / ".scrapy").resolve()
    directory.mkdir(parents=True, exist_ok=True)
    return str(directory)


def data_path(path: str | os.PathLike[str], createdir: bool = False) -> str:
    """Resolve a relative path under the project data dir (or ./.scrapy outside a project)."""
    resolved = Path(path)
    if not resolved.is_absolute():
        base = Path(project_data_dir()) if inside_project() else Path(".scrapy")
        resolved = base / resolved
    if createdir:
        resolved.mkdir(parents=True, exist_ok=True)
    return str(resolved)


def find_projects(
    path: str | os.PathLike[str] = ".",
    *,
    max_depth: int | None = None,
    ignored_dirs: Iterable[str] = (),
) -> Iterator[Path]:
    """Yield every project root (a directory with scrapy.cfg) at or below ``path``.

    Hidden directories, ``ignored_dirs`` and virtual environments (a pyvenv.cfg) are not
    entered, nor is anything inside a project already found. ``max_depth`` 0 checks only
    ``path``, 1 its children too, and so on.
    """
    root = Path(path)
    skipped = frozenset(ignored_dirs)
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if CONFIG_FILE_NAME in filenames:
            dirnames.clear()
            yield here
            continue
        too_deep = max_depth is not None and len(here.relative_to(root).parts) >= max_depth
        if "pyvenv.cfg" in filenames or too_deep:
            dirnames.clear()
            continue
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in skipped)


def get_project_settings() -> Settings:
    """Settings with the current project's module applied at 'project' priority, and the
    ``ASCRAPY_<NAME>`` environment variables (ascrapy.settings.environment) over them.

    Other sources (``-s`` on the command line, a spider's custom_settings) are applied
    later, by the command and the crawler.
    """
    from ascrapy.settings import Settings
    from ascrapy.settings.environment import ENV_PRIORITY, settings_from_environment

    init_env(os.environ.get("SCRAPY_PROJECT", "default"))
    settings = Settings()
    settings_module = os.environ.get(ENVVAR)
    if settings_module:
        settings.setmodule(settings_module, priority="project")
    from_env = {
        name[len("SCRAPY_") :]: value
        for name, value in os.environ.items()
        if name.startswith("SCRAPY_") and name[len("SCRAPY_") :] in _ENV_SETTINGS
    }
    settings.setdict(from_env, priority="project")
    settings.setdict(settings_from_environment(os.environ), priority=ENV_PRIORITY)
    return settings
