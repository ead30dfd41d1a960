"""Project discovery: scrapy.cfg lookup, the settings module, the data directory."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from ascrapy.exceptions import NotConfigured
from ascrapy.utils.project import (
    closest_scrapy_cfg,
    data_path,
    find_projects,
    get_config,
    get_project_settings,
    get_sources,
    init_env,
    inside_project,
    project_data_dir,
)


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with no project, no user-wide config and no project env vars."""
    home = tmp_path / "home"
    home.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    for name in list(os.environ):
        if name.startswith("SCRAPY_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(work)
    monkeypatch.setattr(sys, "path", list(sys.path))
    return work


@pytest.fixture
def project(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project ``shop`` whose settings module sets BOT_NAME and a custom setting."""
    package = isolated / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "settings.py").write_text('BOT_NAME = "shop"\nCUSTOM_FLAG = "from-project"\n')
    (isolated / "scrapy.cfg").write_text("[settings]\ndefault = shop.settings\nother = shop.other\n")
    yield isolated
    for name in [m for m in sys.modules if m == "shop" or m.startswith("shop.")]:
        del sys.modules[name]


def test_closest_scrapy_cfg_walks_up_to_the_project_root(project: Path) -> None:
    nested = project / "a" / "b"
    nested.mkdir(parents=True)
    expected = str((project / "scrapy.cfg").resolve())
    assert closest_scrapy_cfg(nested) == expected
    assert closest_scrapy_cfg() == expected


def test_closest_scrapy_cfg_outside_a_project_is_empty(isolated: Path) -> None:
    assert closest_scrapy_cfg() == ""


def test_get_sources_ends_with_the_project_file(project: Path, isolated: Path) -> None:
    sources = get_sources()
    assert sources[-1] == str((project / "scrapy.cfg").resolve())
    assert str(Path(os.environ["XDG_CONFIG_HOME"]) / "scrapy.cfg") in sources
    assert len(get_sources(use_closest=False)) == len(sources) - 1


def test_project_config_overrides_user_config(project: Path) -> None:
    user_cfg = Path(os.environ["XDG_CONFIG_HOME"]) / "scrapy.cfg"
    user_cfg.parent.mkdir(parents=True)
    user_cfg.write_text("[settings]\ndefault = user.settings\nonly_user = u.settings\n")
    config = get_config()
    assert config.get("settings", "default") == "shop.settings"
    assert config.get("settings", "only_user") == "u.settings"
    assert get_config(use_closest=False).get("settings", "default") == "user.settings"


def test_init_env_sets_settings_module_and_sys_path(project: Path) -> None:
    init_env()
    assert os.environ["SCRAPY_SETTINGS_MODULE"] == "shop.settings"
    assert str(project.resolve()) in sys.path


def test_init_env_keeps_an_explicit_settings_module(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "explicit.settings")
    init_env()
    assert os.environ["SCRAPY_SETTINGS_MODULE"] == "explicit.settings"


def test_init_env_named_project(project: Path) -> None:
    init_env("other", set_syspath=False)
    assert os.environ["SCRAPY_SETTINGS_MODULE"] == "shop.other"
    assert str(project.resolve()) not in sys.path


def test_inside_project(project: Path) -> None:
    assert inside_project() is True


def test_outside_project(isolated: Path) -> None:
    assert inside_project() is False


def test_unimportable_settings_module_warns(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "no_such_pkg_for_tests.settings")
    with pytest.warns(UserWarning, match="Cannot import scrapy settings module no_such_pkg"):
        assert inside_project() is False


def test_importable_settings_module_without_cfg_is_a_project(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(project))
    (project / "scrapy.cfg").unlink()
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "shop.settings")
    assert inside_project() is True
    with pytest.raises(NotConfigured, match=r"Unable to find scrapy\.cfg file"):
        project_data_dir()


def test_project_data_dir_defaults_to_dot_scrapy(project: Path) -> None:
    expected = (project / ".scrapy").resolve()
    assert Path(project_data_dir()) == expected
    assert expected.is_dir()
    assert Path(project_data_dir()) == expected  # second call: already there


def test_project_data_dir_from_config(project: Path) -> None:
    custom = project / "data-here"
    with (project / "scrapy.cfg").open("a") as cfg:
        cfg.write(f"\n[datadir]\ndefault = {custom}\n")
    assert Path(project_data_dir()) == custom
    assert custom.is_dir()


def test_project_data_dir_outside_project(isolated: Path) -> None:
    with pytest.raises(NotConfigured, match="Not inside a project"):
        project_data_dir()


def test_data_path(project: Path) -> None:
    assert Path(data_path("cache")).resolve() == (project / ".scrapy" / "cache").resolve()
    absolute = str(Path(os.sep, "abs", "path"))
    assert data_path(absolute) == absolute


def test_data_path_outside_project_creates_dir(isolated: Path) -> None:
    assert data_path("jobs") == str(Path(".scrapy", "jobs"))
    created = Path(data_path("jobs", createdir=True))
    assert created.is_dir()
    assert Path(data_path("jobs", createdir=True)) == created


def test_get_project_settings_loads_the_project_module(project: Path) -> None:
    settings = get_project_settings()
    assert settings.get("BOT_NAME") == "shop"
    assert settings.get("CUSTOM_FLAG") == "from-project"
    assert settings.getpriority("CUSTOM_FLAG") == settings.getpriority("SETTINGS_MODULE")
    assert settings.get("SETTINGS_MODULE") == "shop.settings"


def test_get_project_settings_project_priority(project: Path) -> None:
    settings = get_project_settings()
    settings.set("CUSTOM_FLAG", "from-default", priority="default")
    assert settings.get("CUSTOM_FLAG") == "from-project"
    settings.set("CUSTOM_FLAG", "from-cmdline", priority="cmdline")
    assert settings.get("CUSTOM_FLAG") == "from-cmdline"


def test_get_project_settings_outside_project_has_defaults(isolated: Path) -> None:
    settings = get_project_settings()
    assert settings.get("BOT_NAME") == "scrapybot"
    assert settings.get("SETTINGS_MODULE") is None


def test_get_project_settings_env_vars(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCRAPY_CHECK", "1")
    monkeypatch.setenv("SCRAPY_FOO", "ignored")
    settings = get_project_settings()
    assert settings.get("CHECK") == "1"
    assert settings.get("FOO") is None
    assert settings.get("SCRAPY_FOO") is None


def test_get_project_settings_selected_project(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "shop" / "other.py").write_text('BOT_NAME = "other-bot"\n')
    monkeypatch.setenv("SCRAPY_PROJECT", "other")
    settings = get_project_settings()
    assert settings.get("BOT_NAME") == "other-bot"


def _touch(root: Path, *relative: str) -> None:
    for rel in relative:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()


def test_find_projects(tmp_path: Path) -> None:
    _touch(tmp_path, "a/scrapy.cfg", "a/inner/scrapy.cfg", "b/c/scrapy.cfg", ".hidden/scrapy.cfg")
    _touch(tmp_path, "venv-x/pyvenv.cfg", "venv-x/lib/p/scrapy.cfg", "skip/scrapy.cfg")
    found = list(find_projects(tmp_path, ignored_dirs=["skip"]))
    assert found == [tmp_path / "a", tmp_path / "b" / "c"]


def test_find_projects_depth(tmp_path: Path) -> None:
    _touch(tmp_path, "a/scrapy.cfg", "b/c/scrapy.cfg")
    assert list(find_projects(tmp_path, max_depth=0)) == []
    assert list(find_projects(tmp_path, max_depth=1)) == [tmp_path / "a"]
    (tmp_path / "scrapy.cfg").touch()
    assert list(find_projects(tmp_path)) == [tmp_path]
