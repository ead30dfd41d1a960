"""The command line, run as a subprocess the way a user runs it."""

from __future__ import annotations

import importlib.util
import os
import py_compile
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
HAS_CRAWLER = importlib.util.find_spec("ascrapy.crawler") is not None
SCRAPY_IMPORT = re.compile(r"^\s*(import scrapy|from scrapy)\b", re.M)
needs_crawler = pytest.mark.skipif(not HAS_CRAWLER, reason="ascrapy.crawler is not there yet")


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")}
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
        self, *args: str, cwd: Path, timeout: float = 60, **env: str
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ascrapy.cli.main", *args],
            cwd=cwd,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


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
    base = tmp_path_factory.mktemp("template")
    home = base / "home"
    home.mkdir()
    result = Cli(home)("startproject", "demo", cwd=base)
    assert result.returncode == 0, result.stderr
    return base / "demo"


@pytest.fixture
def project(_project_template: Path, workdir: Path) -> Path:
    """A fresh copy of a project made by ``startproject demo``."""
    target = workdir / "demo"
    shutil.copytree(_project_template, target)
    return target


def _write_spider(project: Path, module: str, code: str) -> None:
    (project / "demo" / "spiders" / f"{module}.py").write_text(textwrap.dedent(code))


# --- the command list, unknown commands ------------------------------------------------


def test_no_command_outside_project(cli: Cli, workdir: Path) -> None:
    result = cli(cwd=workdir)
    assert result.returncode == 0
    out = result.stdout
    assert re.search(r"^ascrapy \S+ - no active project$", out, re.M)
    assert "Usage:\n  ascrapy <command> [options] [args]" in out
    assert re.search(r"^  startproject +Create new project$", out, re.M)
    assert re.search(r"^  version +", out, re.M)
    assert not re.search(r"^  crawl ", out, re.M)
    assert "[ more ]      More commands available when run from project directory" in out
    assert 'Use "ascrapy <command> -h" to see more info about a command' in out
    assert not re.search(r"^  check ", out, re.M)  # project-only, like crawl


def test_no_command_inside_project(cli: Cli, project: Path) -> None:
    result = cli(cwd=project)
    assert result.returncode == 0
    assert re.search(r"^ascrapy \S+ - active project: demo$", result.stdout, re.M)
    assert re.search(r"^  crawl +Run a spider of the current project, by name$", result.stdout, re.M)
    assert re.search(r"^  list +List available spiders$", result.stdout, re.M)
    assert "[ more ]" not in result.stdout


def test_unknown_command(cli: Cli, workdir: Path) -> None:
    result = cli("abc", cwd=workdir)
    assert result.returncode == 2
    assert "Unknown command: abc" in result.stdout
    assert 'Use "ascrapy" to see available commands' in result.stdout


def test_project_only_command_outside_project(cli: Cli, workdir: Path) -> None:
    result = cli("list", cwd=workdir)
    assert result.returncode == 2
    assert "The list command is not available from this location." in result.stdout
    assert "These commands are only available from within a project: check, crawl, edit, list, parse." in result.stdout


def test_option_before_command_name(cli: Cli, workdir: Path) -> None:
    result = cli("-h", "version", cwd=workdir)
    assert result.returncode == 0
    assert "Usage\n=====\n  ascrapy version [-v]" in result.stdout


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        ("crawl", "ascrapy crawl [options] <spider>"),
        ("list", "ascrapy list "),
        ("runspider", "ascrapy runspider [options] <spider_file>"),
        ("startproject", "ascrapy startproject <project_name> [project_dir]"),
        ("genspider", "ascrapy genspider [options] <name> <domain>"),
        ("settings", "ascrapy settings [options]"),
        ("version", "ascrapy version [-v]"),
        ("fetch", "ascrapy fetch [options] <url>"),
    ],
)
def test_help(cli: Cli, project: Path, command: str, usage: str) -> None:
    result = cli(command, "-h", cwd=project)
    assert result.returncode == 0
    assert result.stdout.startswith(f"Usage\n=====\n  {usage}")
    assert "Global Options\n--------------\n" in result.stdout
    assert "-s NAME=VALUE, --set NAME=VALUE" in result.stdout


def test_run_spider_options_in_help(cli: Cli, workdir: Path) -> None:
    out = cli("runspider", "-h", cwd=workdir).stdout
    for option in (
        "-a NAME=VALUE",
        "-o FILE, --output FILE",
        "-O FILE, --overwrite-output FILE",
        "-t FORMAT",
    ):
        assert option in out


def test_program_name_follows_the_command_typed(cli: Cli, tmp_path: Path, workdir: Path) -> None:
    launcher = tmp_path / "bin" / "scrapy"
    launcher.parent.mkdir()
    launcher.write_text(
        f"#!{sys.executable}\nimport sys\nfrom ascrapy.cli.main import main\nsys.exit(main())\n"
    )
    launcher.chmod(0o755)
    run = lambda *args: subprocess.run(  # noqa: E731
        [str(launcher), *args], cwd=workdir, env=cli.env, capture_output=True, text=True, check=False
    )
    assert "Usage\n=====\n  scrapy genspider" in run("genspider", "-h").stdout
    assert 'Use "scrapy <command> -h"' in run().stdout
    assert run("nope").returncode == 2


def test_project_commands_module(cli: Cli, project: Path) -> None:
    package = project / "demo" / "commands"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "hello.py").write_text(
        textwrap.dedent("""
        from ascrapy.cli import ScrapyCommand
        from ascrapy.exceptions import UsageError

        class Command(ScrapyCommand):
            requires_crawler_process = False

            def syntax(self):
                return "<who>"

            def short_desc(self):
                return "Say hello"

            def run(self, args, opts):
                if not args:
                    raise UsageError
                if args[0] == "nobody":
                    raise UsageError(print_help=False)
                print(f"hello {args[0]} from {self.settings.get('BOT_NAME')}")
        """)
    )
    with (project / "demo" / "settings.py").open("a") as settings:
        settings.write('\nCOMMANDS_MODULE = "demo.commands"\n')
    assert re.search(r"^  hello +Say hello$", cli(cwd=project).stdout, re.M)
    assert cli("hello", "you", cwd=project).stdout == "hello you from demo\n"
    needs_help = cli("hello", cwd=project)
    assert needs_help.returncode == 2
    assert "Usage\n=====\n  ascrapy hello <who>" in needs_help.stdout
    silent = cli("hello", "nobody", cwd=project)
    assert (silent.returncode, silent.stdout) == (2, "")


def test_entry_point_commands(cli: Cli, workdir: Path) -> None:
    (workdir / "plugin_cmds.py").write_text(
        textwrap.dedent("""
        from ascrapy.cli import ScrapyCommand

        class Command(ScrapyCommand):
            requires_crawler_process = False

            def short_desc(self):
                return "A plugin command"

            def run(self, args, opts):
                print("plugin ran")
        """)
    )
    dist_info = workdir / "plugin_cmds-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: plugin-cmds\nVersion: 1.0\n")
    (dist_info / "entry_points.txt").write_text("[ascrapy.commands]\nplug = plugin_cmds:Command\n")
    assert re.search(r"^  plug +A plugin command$", cli(cwd=workdir).stdout, re.M)
    assert cli("plug", cwd=workdir).stdout == "plugin ran\n"


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
    assert "class $classname(ascrapy.Spider):" in dump.stdout


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
        _write_spider(
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
    _write_spider(project, "broken", "import module_that_is_not_there_xyz\n")
    result = cli("list", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "ModuleNotFoundError: No module named 'module_that_is_not_there_xyz'" in lines[0]
    assert "broken.py" in lines[0]


def test_list_spider_syntax_error_is_one_line(cli: Cli, project: Path) -> None:
    _write_spider(project, "bad_syntax", "def oops(:\n")
    result = cli("list", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "SyntaxError" in result.stderr and "bad_syntax.py" in result.stderr


def test_list_warn_only(cli: Cli, project: Path) -> None:
    _write_spider(project, "broken", "import module_that_is_not_there_xyz\n")
    result = cli("list", "-s", "SPIDER_LOADER_WARN_ONLY=True", cwd=project)
    assert result.returncode == 0
    assert "Could not load spiders from module" in result.stderr


# --- settings and version ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "name", "expected"),
    [
        ("--get", "BOT_NAME", "scrapybot"),
        ("--getbool", "COOKIES_ENABLED", "True"),
        ("--getint", "CONCURRENT_REQUESTS", "16"),
        ("--getfloat", "DOWNLOAD_DELAY", "0.0"),
        ("--getlist", "SPIDER_MODULES", "[]"),
    ],
)
def test_settings_defaults(cli: Cli, workdir: Path, option: str, name: str, expected: str) -> None:
    result = cli("settings", option, name, cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{expected}\n"


def test_settings_in_project_and_cmdline_priority(cli: Cli, project: Path) -> None:
    assert cli("settings", "--get", "BOT_NAME", cwd=project).stdout == "demo\n"
    assert cli("settings", "--getfloat", "DOWNLOAD_DELAY", cwd=project).stdout == "1.0\n"
    overridden = cli("settings", "--get", "BOT_NAME", "-s", "BOT_NAME=other", cwd=project)
    assert overridden.stdout == "other\n"


def test_settings_json_values(cli: Cli, workdir: Path) -> None:
    result = cli("settings", "--get", "ITEM_PIPELINES", "-s", 'ITEM_PIPELINES={"a.B": 300}', cwd=workdir)
    assert result.stdout == '{"a.B": 300}\n'
    listed = cli("settings", "--getlist", "SPIDER_MODULES", "-s", 'SPIDER_MODULES=["x", "y"]', cwd=workdir)
    assert listed.stdout == "['x', 'y']\n"
    text = cli("settings", "--get", "BOT_NAME", "-s", "BOT_NAME={not json", cwd=workdir)
    assert text.stdout == "{not json\n"


def test_settings_no_option_prints_nothing(cli: Cli, workdir: Path) -> None:
    result = cli("settings", cwd=workdir)
    assert result.returncode == 0
    assert result.stdout == ""


def test_invalid_set_value(cli: Cli, workdir: Path) -> None:
    result = cli("settings", "-s", "NOEQUALS", cwd=workdir)
    assert result.returncode == 2
    assert "Invalid -s value, use -s NAME=VALUE" in result.stderr


def test_version(cli: Cli, workdir: Path) -> None:
    result = cli("version", cwd=workdir)
    assert result.returncode == 0
    assert re.fullmatch(r"ascrapy \S+\n", result.stdout)


def test_version_verbose(cli: Cli, workdir: Path) -> None:
    result = cli("version", "-v", cwd=workdir)
    names = [line.split(":")[0].strip() for line in result.stdout.splitlines()]
    assert names[0] == "ascrapy"
    for name in ("lxml", "parsel", "w3lib", "aiohttp", "aiostream", "Python", "Platform"):
        assert name in names
    widths = {line.index(" : ") for line in result.stdout.splitlines()}
    assert len(widths) == 1  # one aligned column


def test_pidfile(cli: Cli, workdir: Path) -> None:
    pidfile = workdir / "run.pid"
    assert cli("version", "--pidfile", str(pidfile), cwd=workdir).returncode == 0
    assert pidfile.read_text().strip().isdigit()


def test_profile(cli: Cli, workdir: Path) -> None:
    stats = workdir / "prof.out"
    result = cli("version", "--profile", str(stats), cwd=workdir)
    assert result.returncode == 0
    assert "writing cProfile stats" in result.stderr
    import pstats

    assert pstats.Stats(str(stats)).total_calls > 0


# --- commands that need arguments (usage errors, before any crawl) --------------------------


@needs_crawler
def test_crawl_needs_one_spider(cli: Cli, project: Path) -> None:
    none = cli("crawl", cwd=project)
    assert none.returncode == 2
    assert "Usage" in none.stdout
    two = cli("crawl", "a", "b", cwd=project)
    assert two.returncode == 2
    assert "running 'ascrapy crawl' with more than one spider is not supported" in two.stderr


@needs_crawler
@pytest.mark.parametrize("args", [(), ("a.py", "b.py")])
def test_runspider_bad_arguments(cli: Cli, workdir: Path, args: tuple[str, ...]) -> None:
    result = cli("runspider", *args, cwd=workdir)
    assert result.returncode == 2
    assert "Usage" in result.stdout


@needs_crawler
@pytest.mark.parametrize("args", [(), ("not-a-url",), ("a:b", "c:d")])
def test_fetch_bad_arguments(cli: Cli, workdir: Path, args: tuple[str, ...]) -> None:
    result = cli("fetch", *args, cwd=workdir)
    assert result.returncode == 2
    assert "Usage" in result.stdout


def test_python_dash_m_ascrapy(cli: Cli, workdir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ascrapy", "version"],
        cwd=workdir,
        env=cli.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("ascrapy ")


# --- running spiders (needs the crawler, engine and built-in components) ---------------------

QUIET_SPIDER = """
import ascrapy

class MySpider(ascrapy.Spider):
    name = "myspider"

    async def start(self):
        self.logger.debug("It works! foo=%s", getattr(self, "foo", None))
        self.logger.debug("FEEDS: %s", sorted(self.settings.getdict("FEEDS").items()))
        return
        yield
"""

LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[[^\]]+\] [A-Z]+: ", re.M)


@pytest.fixture
def spider_file(workdir: Path) -> Path:
    path = workdir / "myspider.py"
    path.write_text(QUIET_SPIDER)
    return path


@needs_crawler
def test_runspider(cli: Cli, workdir: Path, spider_file: Path) -> None:
    result = cli("runspider", str(spider_file), "-a", "foo=42", cwd=workdir)
    assert result.returncode == 0, result.stderr
    err = result.stderr
    assert re.search(r"\[scrapy\.utils\.log\] INFO: ascrapy \S+ started \(bot: scrapybot\)", err)
    assert "[myspider] DEBUG: It works! foo=42" in err
    assert "Spider closed (finished)" in err
    assert LOG_LINE.match(err)
    assert "Traceback" not in err


@needs_crawler
def test_runspider_nolog(cli: Cli, workdir: Path, spider_file: Path) -> None:
    result = cli("runspider", str(spider_file), "--nolog", cwd=workdir)
    assert result.returncode == 0
    assert result.stderr == ""


@needs_crawler
def test_runspider_logfile(cli: Cli, workdir: Path, spider_file: Path) -> None:
    logfile = workdir / "run.log"
    result = cli("runspider", str(spider_file), "--logfile", str(logfile), cwd=workdir)
    assert result.returncode == 0
    assert "It works!" in logfile.read_text()
    assert "It works!" not in result.stderr


@needs_crawler
def test_runspider_loglevel_and_short_names(cli: Cli, workdir: Path, spider_file: Path) -> None:
    result = cli("runspider", str(spider_file), "-L", "INFO", "-s", "LOG_SHORT_NAMES=True", cwd=workdir)
    assert "It works!" not in result.stderr
    assert "[scrapy] INFO:" in result.stderr
    assert "[scrapy." not in result.stderr


@needs_crawler
@pytest.mark.parametrize(
    ("args", "feeds"),
    [
        (("-o", "out.json"), "[('out.json', {'format': 'json'})]"),
        (("-O", "out.jsonl"), "[('out.jsonl', {'format': 'jsonl', 'overwrite': True})]"),
        (("-o", "-:json"), "[('stdout:', {'format': 'json'})]"),
        (("-o", "items.data", "-t", "csv"), "[('items.data', {'format': 'csv'})]"),
    ],
)
def test_runspider_output_options(
    cli: Cli, workdir: Path, spider_file: Path, args: tuple[str, ...], feeds: str
) -> None:
    result = cli("runspider", str(spider_file), *args, cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert f"FEEDS: {feeds}" in result.stderr


@needs_crawler
def test_runspider_output_and_overwrite(cli: Cli, workdir: Path, spider_file: Path) -> None:
    result = cli("runspider", str(spider_file), "-o", "a.json", "-O", "b.json", cwd=workdir)
    assert result.returncode == 2
    assert "error: Please use only one of -o/--output and -O/--overwrite-output" in result.stderr


@needs_crawler
def test_runspider_invalid_spider_argument(cli: Cli, workdir: Path, spider_file: Path) -> None:
    result = cli("runspider", str(spider_file), "-a", "NOEQUALS", cwd=workdir)
    assert result.returncode == 2
    assert "Invalid -a value, use -a NAME=VALUE" in result.stderr


@needs_crawler
@pytest.mark.parametrize(
    ("filename", "code", "exitcode", "message"),
    [
        ("none.py", "import ascrapy\n", 2, "No spider found in file"),
        ("spider.txt", "", 2, "Unable to load"),
        ("missing.py", None, 2, "File not found: missing.py"),
        ("broken.py", "import module_not_there_xyz\n", 1, "No module named 'module_not_there_xyz'"),
        (
            "two.py",
            "import ascrapy\n"
            "class A(ascrapy.Spider):\n    name = 'a'\n"
            "class B(ascrapy.Spider):\n    name = 'b'\n",
            2,
            "More than one spider found in file two.py (a, b)",
        ),
    ],
)
def test_runspider_file_problems(
    cli: Cli, workdir: Path, filename: str, code: str | None, exitcode: int, message: str
) -> None:
    if code is not None:
        (workdir / filename).write_text(code)
    result = cli("runspider", filename, cwd=workdir)
    assert result.returncode == exitcode
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@needs_crawler
def test_crawl_in_project(cli: Cli, project: Path) -> None:
    _write_spider(project, "quiet", QUIET_SPIDER)
    result = cli("crawl", "myspider", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "(bot: demo)" in result.stderr
    assert "[myspider] DEBUG: It works!" in result.stderr


@needs_crawler
def test_crawl_unknown_spider(cli: Cli, project: Path) -> None:
    result = cli("crawl", "nope", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == "ascrapy crawl: error: Spider not found: nope"


@needs_crawler
def test_crawl_bootstrap_failure_exits_1(cli: Cli, project: Path) -> None:
    _write_spider(project, "quiet", QUIET_SPIDER)
    with (project / "demo" / "settings.py").open("a") as settings:
        settings.write(
            "\nclass Exploding:\n    def __init__(self):\n        raise RuntimeError('no')\n"
            'SPIDER_MIDDLEWARES = {"demo.settings.Exploding": 10}\n'
        )
    result = cli("crawl", "myspider", cwd=project)
    assert result.returncode == 1


@pytest.fixture
def http_server() -> str:
    """A local HTTP server: /text answers "Works", /redirect answers 302 to /text."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if self.path == "/redirect":
                body = b"moved"
                self.send_response(302)
                self.send_header("Location", "/text")
            else:
                body = b"Works"
                self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("X-Test", "yes")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@needs_crawler
def test_fetch_prints_body(cli: Cli, workdir: Path, http_server: str) -> None:
    result = cli("fetch", "--nolog", f"{http_server}/text", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Works\n"


@needs_crawler
def test_fetch_follows_redirects_unless_told(cli: Cli, workdir: Path, http_server: str) -> None:
    assert cli("fetch", "--nolog", f"{http_server}/redirect", cwd=workdir).stdout == "Works\n"
    raw = cli("fetch", "--nolog", "--no-redirect", f"{http_server}/redirect", cwd=workdir)
    assert raw.stdout == "moved\n"


@needs_crawler
def test_fetch_headers(cli: Cli, workdir: Path, http_server: str) -> None:
    out = cli("fetch", "--nolog", "--headers", f"{http_server}/text", cwd=workdir).stdout
    assert re.search(r"^> User-Agent: ", out, re.M)
    assert "\n>\n" in out
    assert re.search(r"^< X-Test: yes$", out, re.M | re.I)


@needs_crawler
def test_fetch_with_project_spider(cli: Cli, project: Path, http_server: str) -> None:
    _write_spider(
        project,
        "agent",
        """
        import ascrapy

        class AgentSpider(ascrapy.Spider):
            name = "agent"
            custom_settings = {"USER_AGENT": "agent-spider-ua"}
    """,
    )
    result = cli("fetch", "--nolog", "--headers", "--spider", "agent", f"{http_server}/text", cwd=project)
    assert "> User-Agent: agent-spider-ua" in result.stdout, result.stderr
    missing = cli("fetch", "--nolog", "--spider", "nope", f"{http_server}/text", cwd=project)
    assert missing.returncode == 1
    assert "Spider not found: nope" in missing.stderr
