"""``ascrapy shell``: subprocesses against local servers, and the Shell object in-process."""

from __future__ import annotations

import asyncio
import signal
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import ascrapy
import ascrapy.shell
from ascrapy.http import HtmlResponse, Request
from ascrapy.shell import Shell, inspect_response
from ascrapy.utils.test import get_crawler
from tests.cli_helpers import Cli, cli, start_project, workdir  # noqa: F401 - fixtures
from tests.sites import make_link_site, serve_app_in_thread


@pytest.fixture(scope="module")
def site_url() -> Iterator[str]:
    with serve_app_in_thread(make_link_site(pages=5, links_per_page=2)) as url:
        yield url


def _evaluate(cli: Cli, cwd: Path, *args: str) -> str:
    """The printed value of ``shell ARGS -c CODE``; the command must succeed."""
    result = cli("shell", *args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout


# --- the -c expression on a fetched URL ------------------------------------------------------


def test_response_of_a_url(cli: Cli, workdir: Path, site_url: str) -> None:
    assert _evaluate(cli, workdir, f"{site_url}/page/2", "-c", "response.status") == "200\n"
    assert _evaluate(cli, workdir, f"{site_url}/page/2", "-c", "response.css('h1::text').get()") == "Page 2\n"
    out = _evaluate(cli, workdir, f"{site_url}/page/2", "-c", "(type(response).__name__, request.url, spider.name)")
    assert out == f"('HtmlResponse', '{site_url}/page/2', 'default')\n"


def test_crawled_line_is_logged(cli: Cli, workdir: Path, site_url: str) -> None:
    result = cli("shell", f"{site_url}/page/1", "-c", "response.status", cwd=workdir)
    assert f"DEBUG: Crawled (200) <GET {site_url}/page/1> (referer: None)" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Unclosed" not in result.stderr


def test_error_statuses_are_kept(cli: Cli, workdir: Path, test_server_url: str) -> None:
    assert _evaluate(cli, workdir, f"{test_server_url}/status/404", "-c", "response.status") == "404\n"


def test_redirects(cli: Cli, workdir: Path, test_server_url: str) -> None:
    followed = _evaluate(cli, workdir, f"{test_server_url}/redirect/2", "-c", "(response.status, response.url)")
    assert followed == f"(200, '{test_server_url}/redirect/0')\n"
    kept = _evaluate(cli, workdir, "--no-redirect", f"{test_server_url}/redirect/2", "-c", "response.status")
    assert kept == "302\n"


def test_no_url(cli: Cli, workdir: Path) -> None:
    assert _evaluate(cli, workdir, "-c", "item") == "{}\n"
    assert _evaluate(cli, workdir, "-c", "(request, response, spider)") == "(None, None, None)\n"
    assert _evaluate(cli, workdir, "-c", "scrapy is ascrapy and settings is crawler.settings") == "True\n"


def test_shelp(cli: Cli, workdir: Path) -> None:
    out = _evaluate(cli, workdir, "-c", "shelp()")
    assert out.startswith("[s] Available Scrapy objects:\n")
    assert "[s]   fetch(url[, redirect=True]) Fetch URL and update local objects" in out
    assert "[s]   view(response)    View response in a browser\n" in out
    assert out.endswith("\nNone\n")


# --- fetch() inside the shell -------------------------------------------------------------------


def test_fetch_follows_redirects_unless_told(cli: Cli, workdir: Path, test_server_url: str) -> None:
    url = f"{test_server_url}/redirect/1"
    result = cli("shell", "-c", f"fetch({url!r}) or response.status", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "200\n"
    assert "Redirecting (302)" in result.stderr
    assert "Crawled (200)" in result.stderr

    result = cli("shell", "-c", f"fetch({url!r}, redirect=False) or response.status", cwd=workdir)
    assert result.stdout == "302\n"
    assert "Crawled (302)" in result.stderr


def test_fetch_a_request_then_a_replaced_one(cli: Cli, workdir: Path, test_server_url: str) -> None:
    code = (
        f"fetch(scrapy.Request('{test_server_url}/echo', callback=lambda r: r, errback=lambda f: f))"
        " or fetch(response.request.replace(method='POST', body=b'hello'))"
        " or (request.method, '\"method\": \"POST\"' in response.text, '\"body\": \"hello\"' in response.text)"
    )
    assert _evaluate(cli, workdir, "-c", code) == "('POST', True, True)\n"


def test_the_request_has_a_callback_while_it_downloads(cli: Cli, workdir: Path, site_url: str) -> None:
    """As in Scrapy's shell: components that read request.callback (scrapy-poet's injection)
    find one; the request the shell shows has its own (none) back."""
    (workdir / "callback_seen.py").write_text(
        "class Seen:\n"
        "    def process_response(self, request, response):\n"
        "        return response.replace(flags=[f'callback:{request.callback is not None}'])\n"
    )
    out = _evaluate(cli, workdir, f"{site_url}/page/1", "-s", 'DOWNLOADER_MIDDLEWARES={"callback_seen.Seen": 1}',
                    "-c", "(response.flags, request.callback)")
    assert out == "(['callback:True'], None)\n"


# --- local files ----------------------------------------------------------------------------


def test_local_files(cli: Cli, workdir: Path) -> None:
    (workdir / "page.html").write_text("<html><body><p class='one'>Works</p></body></html>")
    code = "(type(response).__name__, response.xpath('//p/text()').get())"
    expected = "('HtmlResponse', 'Works')\n"
    assert _evaluate(cli, workdir, str(workdir / "page.html"), "-c", code) == expected
    assert _evaluate(cli, workdir, "./page.html", "-c", code) == expected
    assert _evaluate(cli, workdir, (workdir / "page.html").as_uri(), "-c", code) == expected


def test_missing_local_file_fails(cli: Cli, workdir: Path) -> None:
    result = cli("shell", str(workdir / "nothing-here.html"), "-c", "item", cwd=workdir)
    assert result.returncode == 1
    assert "No such file or directory" in result.stderr
    assert result.stdout == ""


# --- with a project -----------------------------------------------------------------------------


def test_spider_option_and_update_vars(cli: Cli, tmp_path: Path, site_url: str) -> None:
    project = start_project(tmp_path, "shop")
    (project / "shop" / "spiders" / "mine.py").write_text(
        textwrap.dedent("""
        import ascrapy

        class MineSpider(ascrapy.Spider):
            name = "mine"
            custom_settings = {"ROBOTSTXT_OBEY": False}
        """)
    )
    out = _evaluate(cli, project, "--spider", "mine", f"{site_url}/page/1", "-c", "(spider.name, response.status)")
    assert out == "('mine', 200)\n"
    missing = cli("shell", "--spider", "nope", "-c", "item", cwd=project)
    assert missing.returncode == 1
    assert "Spider not found: nope" in missing.stderr


def test_interactive_console_reads_stdin(cli: Cli, workdir: Path, site_url: str) -> None:
    lines = f"fetch('{site_url}/page/3')\nprint('H1', response.css('h1::text').get())\n"
    result = cli("shell", "--nolog", cwd=workdir, input=lines, SCRAPY_PYTHON_SHELL="python")
    assert result.returncode == 0, result.stderr
    assert "Available Scrapy objects" in result.stdout + result.stderr
    assert "H1 Page 3" in result.stdout
    assert "Traceback" not in result.stderr


# --- the Shell object -------------------------------------------------------------------------


@pytest.fixture
def restore_sigint() -> Iterator[None]:
    handler = signal.getsignal(signal.SIGINT)
    yield
    signal.signal(signal.SIGINT, handler)


def test_shell_without_a_loop_offers_no_fetch(restore_sigint: None, capsys: pytest.CaptureFixture[str]) -> None:
    shell = Shell(get_crawler(), code="sorted({'fetch', 'view', 'shelp'} & set(dir()))")
    assert not shell.fetch_available
    shell.start()
    assert capsys.readouterr().out == "['shelp', 'view']\n"
    assert "fetch(" not in shell.get_help()
    assert "shelp()" in shell.get_help()
    with pytest.raises(RuntimeError, match="fetch"):
        shell.fetch("http://127.0.0.1:1/")


def test_shell_on_a_response(restore_sigint: None, capsys: pytest.CaptureFixture[str]) -> None:
    request = Request("http://127.0.0.1:1/here")
    response = HtmlResponse(request.url, body=b"<title>Here</title>", request=request)
    added: dict[str, Any] = {}

    def update_vars(namespace: dict[str, Any]) -> None:
        namespace["extra"] = 42
        added.update(namespace)

    shell = Shell(get_crawler(), update_vars=update_vars, code="(response.css('title::text').get(), extra)")
    shell.start(response=response)
    assert capsys.readouterr().out == "('Here', 42)\n"
    assert shell.vars["response"] is response
    assert shell.vars["request"] is request
    assert added["scrapy"] is ascrapy


async def test_inspect_response_from_a_callback_opens_the_console(
    restore_sigint: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}

    def console(namespace: dict[str, Any], shells: list[str], banner: str) -> None:
        seen.update(namespace=dict(namespace), shells=shells, banner=banner)

    monkeypatch.setattr(ascrapy.shell, "start_python_console", console)
    monkeypatch.setenv("SCRAPY_PYTHON_SHELL", "bpython,python")
    crawler = get_crawler()
    spider = crawler._create_spider()
    response = HtmlResponse("http://127.0.0.1:1/", body=b"", request=Request("http://127.0.0.1:1/"))
    handler = signal.getsignal(signal.SIGINT)
    inspect_response(response, spider)
    await asyncio.sleep(0)
    assert seen["namespace"]["response"] is response
    assert seen["namespace"]["spider"] is spider
    assert "fetch" not in seen["namespace"]  # the loop is this thread's: fetch() would hang
    assert seen["shells"] == ["bpython", "python", "python"]
    assert seen["banner"].startswith("[s] Available Scrapy objects:")
    assert signal.getsignal(signal.SIGINT) is handler
