"""``startproject``, ``genspider`` and ``list``: a user's first steps, run as subprocesses."""

from __future__ import annotations

import os
import py_compile
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import (  # noqa: F401 - fixtures
    REPO_ROOT,
    Cli,
    _project_template,
    cli,
    project,
    workdir,
    write_spider,
)

SCRAPY_IMPORT = re.compile(r"^\s*(import scrapy|from scrapy)\b", re.M)


# --- startproject -----------------------------------------------------------------------


def test_startproject_layout(cli: Cli, workdir: Path) -> None:
    result = cli("startproject", "shop", cwd=workdir)
    assert result.returncode == 0, result.stderr
    root = workdir / "shop"
    expected = {
        "scrapy.cfg",
        "shop/__init__.py",
        "shop/items.py",
        "shop/middlewares.py",
        "shop/pipelines.py",
        "shop/settings.py",
        "shop/spiders/__init__.py",
    }
    found = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
    assert found == expected
    assert "New ascrapy project 'shop'" in result.stdout
    assert "    ascrapy genspider example example.com" in result.stdout
    assert "[settings]\ndefault = shop.settings" in (root / "scrapy.cfg").read_text()
    for path in root.rglob("*.py"):
        py_compile.compile(str(path), doraise=True)
        assert not SCRAPY_IMPORT.search(path.read_text()), path


def test_startproject_settings(cli: Cli, workdir: Path) -> None:
    cli("startproject", "shop_2", cwd=workdir)
    namespace: dict[str, object] = {}
    exec((workdir / "shop_2" / "shop_2" / "settings.py").read_text(), namespace)
    assert namespace["BOT_NAME"] == "shop_2"
    assert namespace["SPIDER_MODULES"] == ["shop_2.spiders"]
    assert namespace["NEWSPIDER_MODULE"] == "shop_2.spiders"
    assert namespace["ROBOTSTXT_OBEY"] is True
    assert namespace["CONCURRENT_REQUESTS_PER_DOMAIN"] == 1
    assert namespace["DOWNLOAD_DELAY"] == 1
    assert namespace["FEED_EXPORT_ENCODING"] == "utf-8"
    middlewares = (workdir / "shop_2" / "shop_2" / "middlewares.py").read_text()
    assert "class Shop2SpiderMiddleware:" in middlewares
    assert "class Shop2DownloaderMiddleware:" in middlewares


def test_startproject_into_directory(cli: Cli, workdir: Path) -> None:
    assert cli("startproject", "shop", "target", cwd=workdir).returncode == 0
    assert (workdir / "target" / "scrapy.cfg").exists()
    assert (workdir / "target" / "shop" / "settings.py").exists()
    # an existing, empty folder is fine
    (workdir / "empty").mkdir()
    assert cli("startproject", "other", "empty", cwd=workdir).returncode == 0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("wrong-name",), 1, "Project names must begin with a letter"),
        (("sys",), 1, "Error: Module 'sys' already exists"),
        ((), 2, ""),
        (("a", "b", "c"), 2, ""),
    ],
)
def test_startproject_errors(cli: Cli, workdir: Path, args: tuple[str, ...], code: int, message: str) -> None:
    result = cli("startproject", *args, cwd=workdir)
    assert result.returncode == code
    assert message in result.stdout


def test_startproject_twice_fails(cli: Cli, workdir: Path) -> None:
    assert cli("startproject", "shop", cwd=workdir).returncode == 0
    result = cli("startproject", "shop", cwd=workdir)
    assert result.returncode == 1
    assert "scrapy.cfg already exists" in result.stdout


def test_startproject_templates_dir_setting(cli: Cli, workdir: Path, tmp_path: Path) -> None:
    templates = tmp_path / "my-templates"
    shutil.copytree(REPO_ROOT / "ascrapy" / "templates", templates)
    (templates / "project" / "EXTRA.txt").write_text("mine")
    result = cli("startproject", "shop", "-s", f"TEMPLATES_DIR={templates}", cwd=workdir)
    assert result.returncode == 0
    assert str(templates / "project") in result.stdout
    assert (workdir / "shop" / "EXTRA.txt").read_text() == "mine"


def test_startproject_read_only_templates(cli: Cli, workdir: Path, tmp_path: Path) -> None:
    templates = tmp_path / "ro-templates"
    shutil.copytree(REPO_ROOT / "ascrapy" / "templates", templates)
    for path in templates.rglob("*"):
        path.chmod(path.stat().st_mode & ~0o222)
    try:
        result = cli("startproject", "shop", "-s", f"TEMPLATES_DIR={templates}", cwd=workdir)
        assert result.returncode == 0, result.stderr
        settings_file = workdir / "shop" / "shop" / "settings.py"
        assert settings_file.stat().st_mode & 0o200
    finally:
        for path in templates.rglob("*"):
            path.chmod(path.stat().st_mode | 0o200)


# --- genspider and list ---------------------------------------------------------------------


def test_startproject_genspider_list(cli: Cli, workdir: Path) -> None:
    """The first steps of every new user."""
    assert cli("startproject", "demo", cwd=workdir).returncode == 0
    project = workdir / "demo"
    result = cli("genspider", "books", "example.com", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Created spider 'books' using template 'basic' in module:\n  demo.spiders.books" in result.stdout
    spider = (project / "demo" / "spiders" / "books.py").read_text()
    assert "import ascrapy\n" in spider
    assert "class BooksSpider(ascrapy.Spider):" in spider
    assert 'allowed_domains = ["example.com"]' in spider
    assert 'start_urls = ["https://example.com"]' in spider
    listed = cli("list", cwd=project)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout == "books\n"


ASCRAPY_SCRIPT = Path(sys.executable).parent / "ascrapy"


@pytest.mark.skipif(not ASCRAPY_SCRIPT.exists(), reason="ascrapy is not pip-installed in this venv")
def test_console_script_first_steps(cli: Cli, workdir: Path) -> None:
    """The same steps through the installed ``ascrapy`` command, as a shell user types them."""
    env = {**cli.env, "PATH": f"{ASCRAPY_SCRIPT.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        [
            "sh",
            "-c",
            "ascrapy startproject demo && cd demo && ascrapy genspider books example.com && ascrapy list",
        ],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("demo.spiders.books\nbooks\n")


@pytest.mark.parametrize("template", ["basic", "crawl", "csvfeed", "xmlfeed"])
def test_genspider_templates(cli: Cli, project: Path, template: str) -> None:
    result = cli("genspider", "-t", template, "feed_reader", "test.com/feed", cwd=project)
    assert result.returncode == 0, result.stderr
    assert f"using template '{template}' in module:\n  demo.spiders.feed_reader" in result.stdout
    path = project / "demo" / "spiders" / "feed_reader.py"
    py_compile.compile(str(path), doraise=True)
    text = path.read_text()
    assert "class FeedReaderSpider(" in text
    assert 'start_urls = ["https://test.com/feed"]' in text
    assert not SCRAPY_IMPORT.search(text)


def test_genspider_existing_spider_name(cli: Cli, project: Path) -> None:
    cli("genspider", "news", "news.example", cwd=project)
    path = project / "demo" / "spiders" / "news.py"
    text = path.read_text()
    again = cli("genspider", "-t", "crawl", "news", "other.example", cwd=project)
    assert "Spider 'news' already exists in module:\n  demo.spiders.news" in again.stdout
    assert path.read_text() == text


def test_genspider_same_name_as_project(cli: Cli, project: Path) -> None:
    result = cli("genspider", "demo", "example.com", cwd=project)
    assert "Cannot create a spider with the same name as your project" in result.stdout
    assert not (project / "demo" / "spiders" / "demo.py").exists()


@pytest.mark.parametrize("force", [False, True])
def test_genspider_existing_file(cli: Cli, project: Path, force: bool) -> None:
    path = project / "demo" / "spiders" / "example.py"
    cli("genspider", "example", "example.com", cwd=project)
    path.write_text(path.read_text().replace('name = "example"', 'name = "renamed"'))
    before = path.read_text()
    args = ["--force"] if force else []
    result = cli("genspider", *args, "example", "example.com", cwd=project)
    if force:
        assert "Created spider 'example'" in result.stdout
        assert path.read_text() != before
    else:
        assert f"{path.resolve()} already exists" in result.stdout
        assert path.read_text() == before


def test_genspider_module_name_is_sanitized(cli: Cli, project: Path) -> None:
    result = cli("genspider", "1st-spider", "example.com", cwd=project)
    assert "Created spider '1st-spider'" in result.stdout
    path = project / "demo" / "spiders" / "a1st_spider.py"
    assert 'name = "1st-spider"' in path.read_text()
    assert "class A1stSpiderSpider(" in path.read_text()


@pytest.mark.parametrize(
    ("url", "start_url", "domain"),
    [
        ("test.com", "https://test.com", "test.com"),
        ("http://test.com/a/b", "http://test.com/a/b", "test.com"),
        ("test.com/feed.xml", "https://test.com/feed.xml", "test.com"),
    ],
)
def test_genspider_url(cli: Cli, project: Path, url: str, start_url: str, domain: str) -> None:
    cli("genspider", "site", url, cwd=project)
    text = (project / "demo" / "spiders" / "site.py").read_text()
    assert f'start_urls = ["{start_url}"]' in text
    assert f'allowed_domains = ["{domain}"]' in text


def test_genspider_list_and_dump(cli: Cli, workdir: Path) -> None:
    listing = cli("genspider", "--list", cwd=workdir)
    assert listing.returncode == 0
    assert listing.stdout == "Available templates:\n  basic\n  crawl\n  csvfeed\n  xmlfeed\n"
    dump = cli("genspider", "-d", "basic", cwd=workdir)
    assert dump.returncode == 0
    assert "class $classname($package.Spider):" in dump.stdout


@pytest.mark.parametrize("args", [("--dump=nonexistent",), ("-t", "nonexistent", "x", "x.com")])
def test_genspider_unknown_template(cli: Cli, workdir: Path, args: tuple[str, ...]) -> None:
    result = cli("genspider", *args, cwd=workdir)
    assert result.returncode == 0
    assert "Unable to find template: nonexistent" in result.stdout
    assert not (workdir / "x.py").exists()


def test_genspider_custom_template_path(cli: Cli, workdir: Path) -> None:
    template = workdir / "mine.tmpl"
    template.write_text("# $name for $domain\nclass $classname:\n    pass\n")
    assert (
        cli("genspider", "-t", str(template.with_suffix("")), "news", "news.example", cwd=workdir).returncode
        == 0
    )
    assert (workdir / "news.py").read_text() == "# news for news.example\nclass NewsSpider:\n    pass\n"


def test_genspider_outside_project(cli: Cli, workdir: Path) -> None:
    result = cli("genspider", "example", "example.com", cwd=workdir)
    assert result.returncode == 0
    assert "Created spider 'example' using template 'basic' \n" in result.stdout
    assert (workdir / "example.py").exists()
    again = cli("genspider", "example", "example.com", cwd=workdir)
    assert f"{(workdir / 'example.py').resolve()} already exists" in again.stdout


def test_genspider_needs_two_arguments(cli: Cli, project: Path) -> None:
    result = cli("genspider", "only_name", cwd=project)
    assert result.returncode == 2
    assert "Usage" in result.stdout
    assert not (project / "demo" / "spiders" / "only_name.py").exists()


def test_genspider_edit(cli: Cli, project: Path, tmp_path: Path) -> None:
    record = tmp_path / "edited.txt"
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "%s" "$2" > "$1"\n')
    editor.chmod(0o755)
    result = cli("genspider", "-e", "ed", "ed.example", cwd=project, EDITOR=f"{editor} {record}")
    assert result.returncode == 0, result.stderr
    assert Path(record.read_text()).resolve() == (project / "demo" / "spiders" / "ed.py").resolve()


def test_list_sorted_and_from_subdirectory(cli: Cli, project: Path) -> None:
    for name in ("zeta", "alpha"):
        write_spider(
            project,
            name,
            f"""
            import ascrapy

            class S(ascrapy.Spider):
                name = "{name}"
        """,
        )
    sub = project / "deeper" / "still"
    sub.mkdir(parents=True)
    result = cli("list", cwd=sub)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "alpha\nzeta\n"


def test_list_broken_spider_module_is_one_line(cli: Cli, project: Path) -> None:
    write_spider(project, "broken", "import module_that_is_not_there_xyz\n")
    result = cli("list", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "ModuleNotFoundError: No module named 'module_that_is_not_there_xyz'" in lines[0]
    assert "broken.py" in lines[0]


def test_list_spider_syntax_error_is_one_line(cli: Cli, project: Path) -> None:
    write_spider(project, "bad_syntax", "def oops(:\n")
    result = cli("list", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "SyntaxError" in result.stderr and "bad_syntax.py" in result.stderr


def test_list_warn_only(cli: Cli, project: Path) -> None:
    write_spider(project, "broken", "import module_that_is_not_there_xyz\n")
    result = cli("list", "-s", "SPIDER_LOADER_WARN_ONLY=True", cwd=project)
    assert result.returncode == 0
    assert "Could not load spiders from module" in result.stderr


@pytest.mark.parametrize(("command", "package", "other"), [
    (["-m", "scrapy.cmdline"], "scrapy", "ascrapy"),
    (["-m", "ascrapy.cli.main"], "ascrapy", "scrapy"),
])
def test_projects_import_the_package_of_the_command_that_made_them(
    cli: Cli, workdir: Path, command: list[str], package: str, other: str
) -> None:
    """A project made with the compat ``scrapy`` command can go back to Scrapy."""

    def run(*args: str, cwd: Path) -> None:
        done = subprocess.run([sys.executable, *command, *args], cwd=cwd, env=cli.env,
                              capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr

    run("startproject", "demo", cwd=workdir)
    project = workdir / "demo"
    for template in ("basic", "crawl", "csvfeed", "xmlfeed"):
        run("genspider", "-t", template, f"s_{template}", "example.com", cwd=project)
    written = {path: path.read_text() for path in project.rglob("*") if path.suffix in (".py", ".cfg")}
    mentions = re.compile(rf"(?<![\w.]){other}\b")  # "import x", "x.Spider", "x.extensions..."
    assert not [path for path, text in written.items() if mentions.search(text)]
    spiders = project / "demo" / "spiders"
    assert f"import {package}\n" in (spiders / "s_basic.py").read_text()
    assert f"from {package}.spiders import CrawlSpider, Rule" in (spiders / "s_crawl.py").read_text()
    assert f"from {package} import signals" in (project / "demo" / "middlewares.py").read_text()
    assert f"# Written by: {package} startproject" in (project / "scrapy.cfg").read_text()
