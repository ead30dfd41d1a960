"""ftp:// downloads against a local FTP server (pyftpdlib), with Scrapy's FTP semantics."""

from __future__ import annotations

import logging
import socket
import sys

import pytest

import ascrapy
from ascrapy.exceptions import DownloadCancelledError, DownloadConnectionRefusedError, NotConfigured
from ascrapy.handlers.ftp import FTPDownloadHandler
from tests.crawl_helpers import crawl
from tests.ftp_helpers import ftp_server
from tests.mw_helpers import get_crawler

pytest.importorskip("aioftp", reason="ftp:// downloads need the ftp extra")

CONTENT = b"I have the power!\n" * 100


@pytest.fixture
def served(tmp_path):
    root = tmp_path / "root"
    (root / "dir").mkdir(parents=True)
    (root / "dir" / "file.txt").write_bytes(CONTENT)
    (root / "page.html").write_bytes(b"<html><title>on ftp</title></html>")
    with ftp_server(root, anonymous=True) as port:
        yield f"ftp://127.0.0.1:{port}"


async def fetch(*requests, settings=None):
    """Crawl ``requests`` (callbacks and errbacks set here); outcomes by URL, and the crawler."""
    outcomes = {}

    class Ftp(ascrapy.Spider):
        name = "ftp"

        async def start(self):
            for request in requests:
                yield request.replace(callback=self.done, errback=self.done, dont_filter=True)

        def done(self, outcome):
            request = getattr(outcome, "request", None)
            outcomes[request.url if request is not None else outcome.url] = outcome

    crawler = await crawl(Ftp, settings)
    return outcomes, crawler


async def test_a_file_comes_as_the_body_with_its_size(served):
    url = f"{served}/dir/file.txt"
    outcomes, crawler = await fetch(ascrapy.Request(url, meta={"ftp_user": "user", "ftp_password": "secret"}))
    response = outcomes[url]
    assert response.status == 200 and response.body == CONTENT
    assert response.headers[b"Size"] == str(len(CONTENT)).encode()
    assert response.headers[b"Local Filename"] == b""
    assert crawler.stats.get_value("finish_reason") == "finished"


async def test_the_response_class_follows_the_file_name(served):
    url = f"{served}/page.html"
    outcomes, _ = await fetch(ascrapy.Request(url))  # anonymous / guest: FTP_USER, FTP_PASSWORD
    assert isinstance(outcomes[url], ascrapy.http.HtmlResponse)
    assert outcomes[url].css("title::text").get() == "on ftp"


async def test_a_local_filename_gets_the_file_and_the_body_names_it(served, tmp_path):
    url, local = f"{served}/dir/file.txt", tmp_path / "local.txt"
    outcomes, _ = await fetch(ascrapy.Request(url, meta={"ftp_local_filename": str(local)}))
    response = outcomes[url]
    assert local.read_bytes() == CONTENT
    assert response.body == str(local).encode()
    assert response.headers[b"Local Filename"] == str(local).encode()
    assert response.headers[b"Size"] == str(len(CONTENT)).encode()


async def test_a_missing_file_is_a_404_and_a_refused_login_a_503(served):
    missing, refused = f"{served}/dir/missing.txt", f"{served}/dir/file.txt"
    meta = {"handle_httpstatus_all": True}
    outcomes, crawler = await fetch(
        ascrapy.Request(missing, meta=meta),
        ascrapy.Request(refused, meta={**meta, "ftp_user": "user", "ftp_password": "wrong"}),
    )
    assert outcomes[missing].status == 404 and outcomes[missing].body.startswith(b"550")
    assert outcomes[refused].status == 503 and outcomes[refused].body.startswith(b"530")
    assert crawler.stats.get_value("retry/count") == 1  # 503 is retried, as in Scrapy; 404 is not


async def test_settings_give_the_credentials(served):
    url = f"{served}/dir/file.txt"
    outcomes, _ = await fetch(ascrapy.Request(url), settings={"FTP_USER": "user", "FTP_PASSWORD": "wrong"})
    assert outcomes[url].value.response.status == 503  # HttpError: the settings were used


async def test_a_file_over_maxsize_is_cancelled_once(served):
    url = f"{served}/dir/file.txt"
    outcomes, crawler = await fetch(ascrapy.Request(url), settings={"DOWNLOAD_MAXSIZE": 100})
    error = outcomes[url].value
    assert isinstance(error, DownloadCancelledError)
    assert "larger than download max size (100)" in str(error) and url in str(error)
    assert crawler.stats.get_value("retry/count") is None


async def test_a_refused_connection_is_retried_and_names_the_url():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"ftp://127.0.0.1:{port}/file"
    outcomes, crawler = await fetch(ascrapy.Request(url))
    error = outcomes[url].value
    assert isinstance(error, DownloadConnectionRefusedError) and str(error) == f"Connection to {url} was refused"
    assert crawler.stats.get_value("retry/count") == 1


async def test_active_mode_is_warned_about_once_and_passive_mode_used(served, caplog):
    urls = [f"{served}/dir/file.txt", f"{served}/page.html"]
    with caplog.at_level(logging.WARNING):
        outcomes, _ = await fetch(*map(ascrapy.Request, urls), settings={"FTP_PASSIVE_MODE": False})
    assert all(outcomes[url].status == 200 for url in urls)
    assert caplog.text.count("FTP active mode (FTP_PASSIVE_MODE = False) is not supported by aioftp") == 1


def test_without_aioftp_the_handler_declines_with_the_fix(monkeypatch):
    monkeypatch.setitem(sys.modules, "aioftp", None)
    with pytest.raises(NotConfigured, match=r"ftp:// downloads need aioftp: pip install 'ascrapy\[ftp\]'"):
        FTPDownloadHandler.from_crawler(get_crawler())
