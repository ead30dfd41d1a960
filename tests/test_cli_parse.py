"""``ascrapy parse URL``, run as a subprocess in a project, against a local link site."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.cli_helpers import Cli, cli, start_project  # noqa: F401 - fixtures
from tests.sites import link_targets, make_link_site, serve_app_in_thread

PAGES, LINKS = 10, 2

SPIDERS = '''
import asyncio
import inspect
import logging
from pathlib import Path

import ascrapy
from ascrapy.linkextractors import LinkExtractor
from ascrapy.spiders import CrawlSpider, Rule

FAST = {"DOWNLOAD_DELAY": 0, "ROBOTSTXT_OBEY": False}


class CallbackSignature:
    """Logs how downloader middlewares see the request's callback."""

    def process_request(self, request, spider):
        spider.logger.info(f"callback {request.callback.__name__}{inspect.signature(request.callback)}")


class PagesSpider(ascrapy.Spider):
    name = "pages"
    custom_settings = {**FAST, "DOWNLOADER_MIDDLEWARES": {CallbackSignature: 0}}

    def parse(self, response):
        yield {"title": response.css("h1::text").get()}
        for href in response.css("ul.links a::attr(href)").getall():
            yield response.follow(href, callback=self.parse_page)

    def parse_page(self, response, suffix=""):
        yield {"page": response.css("h1::text").get() + suffix, "meta": response.meta.get("note")}

    async def parse_async(self, response):
        for number in range(5):
            await asyncio.sleep(0)
            yield {"n": number}
            if number == 2:
                raise ValueError("stopped by the callback")

    async def parse_coroutine(self, response):
        await asyncio.sleep(0)
        return {"coroutine": response.status}

    def parse_again(self, response):
        if response.meta.get("again"):
            yield {"again": True}
            return
        response.meta["again"] = True
        yield response.request.replace(dont_filter=True)


class RulesSpider(CrawlSpider):
    name = "rules"
    custom_settings = FAST
    rules = (
        Rule(LinkExtractor(allow=r"/page/[0-4]$"), callback="parse_low"),
        Rule(LinkExtractor(allow=r"/page/[5-7]$")),
        Rule(LinkExtractor(allow=r"/page/[89]$"), callback="not_defined"),
    )

    def parse_low(self, response):
        return [{"low": response.url}]

    def parse(self, response):
        return [{"default": response.url}]


class MarkerPipeline:
    """Appends every item it sees to the MARKER_FILE setting's file, if set."""

    def __init__(self, path):
        self.path = Path(path) if path else None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("MARKER_FILE"))

    def process_item(self, item, spider):
        if self.path is not None:
            with self.path.open("a") as marker:
                marker.write(f"{dict(item)}\\n")
        return item
'''


@pytest.fixture(scope="module")
def site_url() -> Iterator[str]:
    with serve_app_in_thread(make_link_site(PAGES, LINKS)) as url:
        yield url


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, site_url: str) -> Path:
    root = start_project(tmp_path_factory.mktemp("parse"), "shop")
    (root / "shop" / "spiders" / "pages.py").write_text(SPIDERS)
    # a spider whose name is the site's host:port, so it is found by URL
    (root / "shop" / "spiders" / "by_url.py").write_text(
        textwrap.dedent(f"""
        import ascrapy

        class ByUrlSpider(ascrapy.Spider):
            name = "{urlparse(site_url).netloc}"
            custom_settings = {{"DOWNLOAD_DELAY": 0, "ROBOTSTXT_OBEY": False}}

            def parse(self, response):
                return [{{"found_by_url": response.url}}]
        """)
    )
    with (root / "shop" / "settings.py").open("a") as settings:
        settings.write('\nITEM_PIPELINES = {"shop.spiders.pages.MarkerPipeline": 100}\n')
    return root


def _page_links(site_url: str, page: int) -> list[str]:
    return [f"{site_url}/page/{target}" for target in link_targets(page, PAGES, LINKS)]


def test_items_and_requests_of_one_level(cli: Cli, project: Path, site_url: str) -> None:
    result = cli("parse", "--spider", "pages", "--nolog", f"{site_url}/page/3", cwd=project)
    assert result.returncode == 0, result.stderr
    requests = ", ".join(f"<GET {url}>" for url in _page_links(site_url, 3))
    assert result.stdout == (
        "\n>>> STATUS DEPTH LEVEL 1 <<<\n"
        f"# Scraped Items  {'-' * 60}\n"
        "[{'title': 'Page 3'}]\n"
        f"# Requests  {'-' * 65}\n"
        f"[{requests}]\n"
    )


def test_depth_follows_requests_with_their_own_callback(cli: Cli, project: Path, site_url: str) -> None:
    result = cli("parse", "--spider", "pages", "-d", "2", "-v", "--nolog", f"{site_url}/page/3", cwd=project)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    level_one, level_two = out.split(">>> DEPTH LEVEL: 2 <<<")
    assert ">>> DEPTH LEVEL: 1 <<<" in level_one
    assert "[{'title': 'Page 3'}]" in level_one
    followed = {int(url.rsplit("/", 1)[1]) for url in _page_links(site_url, 3)}
    for number in followed:
        assert f"{{'meta': None, 'page': 'Page {number}'}}" in level_two
    assert level_two.rstrip().endswith("[]")  # parse_page yields no requests

    # without -v: all items, and the requests of the deepest level
    summary = cli("parse", "--spider", "pages", "-d", "2", "--nolog", f"{site_url}/page/3", cwd=project).stdout
    assert summary.startswith("\n>>> STATUS DEPTH LEVEL 2 <<<\n")
    assert "'title': 'Page 3'" in summary and "'page': 'Page" in summary
    assert summary.endswith(f"# Requests  {'-' * 65}\n[]\n")


def test_callback_meta_and_cb_kwargs(cli: Cli, project: Path, site_url: str) -> None:
    result = cli(
        "parse",
        "--spider",
        "pages",
        "-c",
        "parse_page",
        "--meta",
        '{"note": "from the command line"}',
        "--cbkwargs",
        '{"suffix": "!"}',
        f"{site_url}/page/5",
        cwd=project,
    )
    assert result.returncode == 0, result.stderr
    assert "[{'meta': 'from the command line', 'page': 'Page 5!'}]" in result.stdout
    # middlewares see the real callback's name and signature
    assert "INFO: callback parse_page(response, suffix='')" in result.stderr


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--meta", "Invalid -m/--meta value"),
        ("-m", "Invalid -m/--meta value"),
        ("--cbkwargs", "Invalid --cbkwargs value"),
    ],
)
def test_invalid_json_options(cli: Cli, project: Path, site_url: str, option: str, message: str) -> None:
    result = cli("parse", "--spider", "pages", option, "{not json", f"{site_url}/page/1", cwd=project)
    assert result.returncode == 2
    assert message in result.stderr


@pytest.mark.parametrize("args", [(), ("not-a-url",), ("http://a.example", "http://b.example")])
def test_bad_arguments(cli: Cli, project: Path, args: tuple[str, ...]) -> None:
    result = cli("parse", *args, cwd=project)
    assert result.returncode == 2
    assert "Usage" in result.stdout


def test_async_callbacks(cli: Cli, project: Path, site_url: str) -> None:
    result = cli("parse", "--spider", "pages", "-c", "parse_async", f"{site_url}/page/1", cwd=project)
    assert result.returncode == 0
    # what was yielded before the error is kept; the error is logged
    assert "[{'n': 0}, {'n': 1}, {'n': 2}]" in result.stdout
    assert "An error is caught while iterating the async iterable" in result.stderr
    assert "ValueError: stopped by the callback" in result.stderr
    result = cli("parse", "--spider", "pages", "-c", "parse_coroutine", f"{site_url}/page/1", cwd=project)
    assert "[{'coroutine': 200}]" in result.stdout


def test_request_rebuilt_from_the_response_keeps_its_callback(cli: Cli, project: Path, site_url: str) -> None:
    result = cli("parse", "--spider", "pages", "-c", "parse_again", "-d", "2", f"{site_url}/page/1", cwd=project)
    assert result.returncode == 0
    assert "RecursionError" not in result.stderr
    assert "[{'again': True}]" in result.stdout


def test_unknown_callback(cli: Cli, project: Path, site_url: str) -> None:
    result = cli("parse", "--spider", "pages", "-c", "nothere", f"{site_url}/page/1", cwd=project)
    assert result.returncode == 0
    assert re.search(r"# Scraped Items  -+\n\[\]", result.stdout)
    assert "Cannot find callback 'nothere' in spider: pages" in result.stderr
    assert f"No response downloaded for: {site_url}/page/1" in result.stderr


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (2, "[{'low': '{url}'}]"),  # the matching rule's callback
        (6, "[{'default': '{url}'}]"),  # a matching rule without callback: parse
    ],
)
def test_rules_choose_the_callback(cli: Cli, project: Path, site_url: str, page: int, expected: str) -> None:
    url = f"{site_url}/page/{page}"
    result = cli("parse", "--spider", "rules", "-r", url, cwd=project)
    assert result.returncode == 0, result.stderr
    assert expected.replace("{url}", url) in result.stdout


@pytest.mark.parametrize(
    ("spider", "path", "message"),
    [
        ("rules", "/", "Cannot find a rule that matches"),
        ("rules", "/page/9", "Cannot find callback 'not_defined' in spider: rules"),
        ("pages", "/page/1", "No CrawlSpider rules found in spider 'pages'"),
    ],
)
def test_rules_without_a_usable_callback(
    cli: Cli, project: Path, site_url: str, spider: str, path: str, message: str
) -> None:
    result = cli("parse", "--spider", spider, "-r", f"{site_url}{path}", cwd=project)
    assert result.returncode == 0
    assert re.search(r"# Scraped Items  -+\n\[\]", result.stdout)
    assert message in result.stderr


def test_pipelines_only_when_asked(cli: Cli, project: Path, site_url: str, tmp_path: Path) -> None:
    marker = tmp_path / "marker.txt"
    args = ("--spider", "pages", "-s", f"MARKER_FILE={marker}", f"{site_url}/page/4")
    assert cli("parse", *args, cwd=project).returncode == 0
    assert not marker.exists()
    assert cli("parse", "--pipelines", *args, cwd=project).returncode == 0
    assert marker.read_text() == "{'title': 'Page 4'}\n"


def test_output_file_gets_the_items(cli: Cli, project: Path, site_url: str, tmp_path: Path) -> None:
    output = tmp_path / "items.json"
    result = cli(
        "parse", "--spider", "pages", "-c", "parse_page", "-O", str(output),
        f"{site_url}/page/7", cwd=project,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(output.read_text()) == [{"page": "Page 7", "meta": None}]


@pytest.mark.parametrize("verbose", [False, True])
def test_noitems_nolinks(cli: Cli, project: Path, site_url: str, verbose: bool) -> None:
    args = ["-v"] if verbose else []
    result = cli("parse", "--spider", "pages", "--noitems", "--nolinks", *args, f"{site_url}/page/1", cwd=project)
    assert result.returncode == 0
    assert "# Scraped Items" not in result.stdout
    assert "# Requests" not in result.stdout
    assert "DEPTH LEVEL" in result.stdout


def test_spider_chosen_by_url_or_missing(cli: Cli, project: Path, site_url: str) -> None:
    found = cli("parse", f"{site_url}/page/2", cwd=project)
    assert found.returncode == 0, found.stderr
    assert f"[{{'found_by_url': '{site_url}/page/2'}}]" in found.stdout

    unknown = cli("parse", "--spider", "nope", f"{site_url}/page/2", cwd=project)
    assert (unknown.returncode, unknown.stdout) == (0, "")
    assert "Unable to find spider: nope" in unknown.stderr

    no_match = cli("parse", "http://elsewhere.example/", cwd=project)
    assert (no_match.returncode, no_match.stdout) == (0, "")
    assert "Unable to find spider for: http://elsewhere.example/" in no_match.stderr


def test_bootstrap_failure_exits_with_1(cli: Cli, project: Path, site_url: str) -> None:
    result = cli(
        "parse", "--spider", "pages", "-s", "STATS_CLASS=shop.nowhere.Stats", f"{site_url}/page/1", cwd=project
    )
    assert result.returncode == 1
