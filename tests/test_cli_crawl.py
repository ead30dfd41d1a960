"""``runspider`` and ``crawl``: running a spider, its options and its failures, as subprocesses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli_helpers import Cli, _project_template, cli, project, workdir, write_spider  # noqa: F401


# --- commands that need arguments (usage errors, before any crawl) --------------------------


def test_crawl_needs_one_spider(cli: Cli, project: Path) -> None:
    none = cli("crawl", cwd=project)
    assert none.returncode == 2
    assert "Usage" in none.stdout
    two = cli("crawl", "a", "b", cwd=project)
    assert two.returncode == 2
    assert "running 'ascrapy crawl' with more than one spider is not supported" in two.stderr


@pytest.mark.parametrize("args", [(), ("a.py", "b.py")])
def test_runspider_bad_arguments(cli: Cli, workdir: Path, args: tuple[str, ...]) -> None:
    result = cli("runspider", *args, cwd=workdir)
    assert result.returncode == 2
    assert "Usage" in result.stdout




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


def test_runspider(cli: Cli, workdir: Path, spider_file: Path) -> None:
    result = cli("runspider", str(spider_file), "-a", "foo=42", cwd=workdir)
    assert result.returncode == 0, result.stderr
    err = result.stderr
    assert re.search(r"\[scrapy\.utils\.log\] INFO: ascrapy \S+ started \(bot: scrapybot\)", err)
    assert "[myspider] DEBUG: It works! foo=42" in err
    assert "Spider closed (finished)" in err
    assert LOG_LINE.match(err)
    assert "Traceback" not in err


def test_runspider_nolog(cli: Cli, workdir: Path, spider_file: Path) -> None:
    result = cli("runspider", str(spider_file), "--nolog", cwd=workdir)
    assert result.returncode == 0
    assert result.stderr == ""


def test_runspider_logfile(cli: Cli, workdir: Path, spider_file: Path) -> None:
    logfile = workdir / "run.log"
    result = cli("runspider", str(spider_file), "--logfile", str(logfile), cwd=workdir)
    assert result.returncode == 0
    assert "It works!" in logfile.read_text()
    assert "It works!" not in result.stderr


def test_runspider_loglevel_and_short_names(cli: Cli, workdir: Path, spider_file: Path) -> None:
    result = cli("runspider", str(spider_file), "-L", "INFO", "-s", "LOG_SHORT_NAMES=True", cwd=workdir)
    assert "It works!" not in result.stderr
    assert "[scrapy] INFO:" in result.stderr
    assert "[scrapy." not in result.stderr


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


def test_runspider_output_and_overwrite(cli: Cli, workdir: Path, spider_file: Path) -> None:
    result = cli("runspider", str(spider_file), "-o", "a.json", "-O", "b.json", cwd=workdir)
    assert result.returncode == 2
    assert "error: Please use only one of -o/--output and -O/--overwrite-output" in result.stderr


def test_runspider_invalid_spider_argument(cli: Cli, workdir: Path, spider_file: Path) -> None:
    result = cli("runspider", str(spider_file), "-a", "NOEQUALS", cwd=workdir)
    assert result.returncode == 2
    assert "Invalid -a value, use -a NAME=VALUE" in result.stderr


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


def test_crawl_in_project(cli: Cli, project: Path) -> None:
    write_spider(project, "quiet", QUIET_SPIDER)
    result = cli("crawl", "myspider", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "(bot: demo)" in result.stderr
    assert "[myspider] DEBUG: It works!" in result.stderr


def test_crawl_unknown_spider(cli: Cli, project: Path) -> None:
    result = cli("crawl", "nope", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == "ascrapy crawl: error: Spider not found: nope"


def test_crawl_bootstrap_failure_exits_1(cli: Cli, project: Path) -> None:
    write_spider(project, "quiet", QUIET_SPIDER)
    with (project / "demo" / "settings.py").open("a") as settings:
        settings.write(
            "\nclass Exploding:\n    def __init__(self):\n        raise RuntimeError('no')\n"
            'SPIDER_MIDDLEWARES = {"demo.settings.Exploding": 10}\n'
        )
    result = cli("crawl", "myspider", cwd=project)
    assert result.returncode == 1


UNWRITABLE_DEAD_LETTERS_SPIDER = """
import ascrapy

class Down:
    async def process_batch(self, items):
        raise ConnectionError("unreachable")

class MySpider(ascrapy.Spider):
    name = "myspider"
    custom_settings = {"ITEM_PIPELINES": {Down: 100}, "BATCH_RETRY_TIMES": 0, "DEAD_LETTER_PATH": "/dev/full"}

    async def start(self):
        yield {"n": 1}
"""


def test_runspider_exits_7_when_items_cannot_be_dead_lettered(cli: Cli, workdir: Path) -> None:
    path = workdir / "myspider.py"
    path.write_text(UNWRITABLE_DEAD_LETTERS_SPIDER)
    result = cli("runspider", str(path), cwd=workdir)
    assert result.returncode == 7, result.stderr  # ExitCode.CRAWL_FAILED, with or without STRICT_EXIT
    assert "Cannot write the dead-letter file /dev/full: [Errno 28] No space left on device" in result.stderr
    assert "Spider closed (dead_letter_error)" in result.stderr


@pytest.mark.parametrize(
    ("args", "process"),
    [
        ((), "AsyncCrawlerProcess"),
        (("-s", "FORCE_CRAWLER_PROCESS=True"), "CrawlerProcess"),
        (("-s", "TWISTED_REACTOR=twisted.internet.selectreactor.SelectReactor"), "CrawlerProcess"),
    ],
)
def test_the_process_class_is_chosen_as_scrapy_does(
    cli: Cli, workdir: Path, spider_file: Path, args: tuple[str, ...], process: str
) -> None:
    result = cli("runspider", str(spider_file), *args, cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert f"Using {process}\n" in result.stderr
    assert "It works!" in result.stderr  # async def start() runs whichever class runs it
