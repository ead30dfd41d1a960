"""``ascrapy check``: spiders' contracts checked through a real crawl, run as a subprocess."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_helpers import Cli, _project_template, cli, project, workdir, write_spider  # noqa: F401
from tests.sites import make_link_site, serve_app_in_thread


@pytest.fixture(scope="module")
def site_url() -> Iterator[str]:
    with serve_app_in_thread(make_link_site(pages=5, links_per_page=2)) as url:
        yield url


def _write_pages_spider(project: Path, site_url: str, contracts: str, body: str, extra: str = "") -> None:
    """pages.py: PagesSpider.parse with ``contracts`` under its @url line, and a spider without any."""
    contract_lines = "".join(f"        {line.strip()}\n" for line in contracts.strip().splitlines())
    code = (
        "import os\nimport ascrapy\n\n\n"
        "class PagesSpider(ascrapy.Spider):\n"
        '    name = "pages"\n'
        '    custom_settings = {"DOWNLOAD_DELAY": 0, "ROBOTSTXT_OBEY": False}\n\n'
        f"{textwrap.indent(textwrap.dedent(extra).strip(), ' ' * 4)}\n\n"
        "    def parse(self, response, **cb_kwargs):\n"
        '        """Pages of the link site.\n'
        f"        @url {site_url}/page/1\n"
        f"{contract_lines}"
        '        """\n'
        f"{textwrap.indent(textwrap.dedent(body).strip(), ' ' * 8)}\n\n\n"
        "class PlainSpider(ascrapy.Spider):\n"
        '    name = "plain"\n'
        f'    start_urls = ["{site_url}/never-fetched"]\n\n'
        "    def parse(self, response):\n"
        '        raise AssertionError("check must not crawl spiders without contracts")\n'
    )
    write_spider(project, "pages", code)


PASSING_CONTRACTS = """
    @returns items 1 1
    @returns requests 2
    @scrapes title url
    @cb_kwargs {"currency": "EUR"}
"""
PASSING_BODY = """
    if cb_kwargs != {"currency": "EUR"} or os.environ.get("SCRAPY_CHECK") != "true":
        raise ValueError("not called as a contract check")
    yield {"title": response.css("h1::text").get(), "url": response.url}
    for href in response.css("ul.links a::attr(href)").getall():
        yield response.follow(href)
"""


def test_check_passes(cli: Cli, project: Path, site_url: str) -> None:
    _write_pages_spider(project, site_url, PASSING_CONTRACTS, PASSING_BODY)
    result = cli("check", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("...\n")
    assert "\nRan 3 contracts in " in result.stderr
    assert result.stderr.endswith("\n\nOK\n")


def test_check_callback_error_report_and_exit_code(cli: Cli, project: Path, site_url: str) -> None:
    _write_pages_spider(project, site_url, "@returns items 2\n@scrapes title price", PASSING_BODY)
    result = cli("check", "pages", cwd=project)
    assert result.returncode == 1
    # without @cb_kwargs the callback raises before any output check can run
    assert "ERROR: [pages] parse (callback)" in result.stderr
    assert "ValueError: not called as a contract check" in result.stderr
    assert "Ran 0 contracts in" in result.stderr
    assert result.stderr.rstrip().endswith("FAILED (errors=1)")


def test_check_verbose_lists_each_contract(cli: Cli, project: Path, site_url: str) -> None:
    _write_pages_spider(project, site_url, "@returns items 2\n@scrapes title", 'yield {"title": 1}')
    result = cli("check", "-v", cwd=project)
    assert result.returncode == 1
    assert "[pages] parse (@returns post-hook) ... FAIL\n" in result.stderr
    assert "[pages] parse (@scrapes post-hook) ... ok\n" in result.stderr
    assert "ContractFail: Returned 1 items, expected 2..inf" in result.stderr
    assert "Ran 2 contracts in" in result.stderr
    assert result.stderr.rstrip().endswith("FAILED (failures=1)")


def test_check_list(cli: Cli, project: Path, site_url: str) -> None:
    extra = '''
    def parse_other(self, response):
        """@url http://127.0.0.1:1/"""
    '''
    _write_pages_spider(project, site_url, "@returns items 0", "pass", extra=extra)
    result = cli("check", "-l", cwd=project)
    assert result.returncode == 0
    assert result.stdout == "pages\n  * parse\n  * parse_other\n"


def test_check_spider_arguments(cli: Cli, project: Path, site_url: str) -> None:
    body = """
    if getattr(self, "mode", None) != "strict":
        raise ValueError("spider argument missing")
    """
    _write_pages_spider(project, site_url, "", body)
    assert cli("check", cwd=project).returncode == 1
    result = cli("check", "-a", "mode=strict", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Ran 0 contracts" in result.stderr
    invalid = cli("check", "-a", "mode", cwd=project)
    assert invalid.returncode == 2
    assert "Invalid -a value, use -a NAME=VALUE" in invalid.stderr


def test_check_unknown_spider(cli: Cli, project: Path, site_url: str) -> None:
    _write_pages_spider(project, site_url, "", "pass")
    result = cli("check", "nope", cwd=project)
    assert result.returncode == 1
    assert "Spider not found: nope" in result.stderr


def test_check_turns_item_output_off_unless_asked(cli: Cli, project: Path, site_url: str) -> None:
    (project / "demo" / "marker.py").write_text(
        "from pathlib import Path\n\n"
        "class MarkerPipeline:\n"
        "    def open_spider(self, spider):\n"
        "        Path('pipeline-opened').touch()\n\n"
        "    def process_item(self, item, spider):\n"
        "        return item\n"
    )
    with (project / "demo" / "settings.py").open("a") as settings:
        settings.write('\nITEM_PIPELINES = {"demo.marker.MarkerPipeline": 100}\n')
        settings.write('FEEDS = {"items.jsonl": {"format": "jsonlines"}}\n')
    _write_pages_spider(project, site_url, "@returns items 1", 'yield {"title": 1}')
    result = cli("check", cwd=project)
    assert result.returncode == 0, result.stderr
    assert not (project / "pipeline-opened").exists()
    assert not (project / "items.jsonl").exists()

    result = cli(
        "check",
        "-s",
        'ITEM_PIPELINES={"demo.marker.MarkerPipeline": 100}',
        "-s",
        'FEEDS={"items.jsonl": {"format": "jsonlines"}}',
        cwd=project,
    )
    assert result.returncode == 0, result.stderr
    assert (project / "pipeline-opened").exists()
    assert (project / "items.jsonl").exists()
