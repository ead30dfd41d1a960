"""The test sites themselves: the link site is complete and deterministic, and every
failure endpoint does what tests rely on it to do."""

from __future__ import annotations

import asyncio
import gzip
import sys
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import aiohttp
import brotli
import pytest
import zstandard
from aiohttp import web
from parsel import Selector
from w3lib.encoding import html_to_unicode

from tests.sites import (
    ENCODING_NAMES,
    ENCODING_SAMPLE_TEXT,
    JSON_DOCUMENT,
    LOGIN_PASSWORD,
    LOGIN_USER,
    crawl_links,
    link_targets,
    main as sites_main,
    make_link_site,
    render_link_page,
    serve_app_in_thread,
    serve_command,
    write_link_site,
)


# ---------------------------------------------------------------- link site


async def test_every_page_of_the_2000_page_site_is_reachable_from_page_0(link_site):
    base_url = link_site(2000, 20)
    pages = await crawl_links(f"{base_url}/page/0", concurrency=32)
    assert set(pages) == {f"{base_url}/page/{n}" for n in range(2000)} | {f"{base_url}/"}
    assert {status for status, _ in pages.values()} == {200}


async def test_crawl_links_reports_broken_links_and_stays_on_the_origin():
    async def home(request):
        html = '<a href="/missing">x</a> <a href="http://192.0.2.1/elsewhere">y</a> <a href="#top">z</a>'
        return web.Response(text=html, content_type="text/html")

    app = web.Application()
    app.router.add_get("/", home)
    with serve_app_in_thread(app) as base_url:
        pages = await crawl_links(f"{base_url}/")
    assert {url: status for url, (status, _) in pages.items()} == {f"{base_url}/": 200, f"{base_url}/missing": 404}


async def test_pages_have_title_h1_and_the_links_of_link_targets(link_site):
    base_url = link_site(50, 7, seed=3)
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{base_url}/page/12") as response:
            assert response.content_type == "text/html"
            assert response.charset == "utf-8"
            html = await response.text()
    page = Selector(text=html)
    assert page.css("title::text").get() == "Page 12 | Link site"
    assert page.xpath("//h1/text()").get() == "Page 12"
    assert page.css("dd.price::text").re_first(r"^\$\d+\.\d\d$")
    hrefs = page.css("ul.links a::attr(href)").getall()
    assert hrefs == [f"/page/{n}" for n in link_targets(12, 50, 7, seed=3)]
    assert hrefs[0] == "/page/13"


def test_a_page_with_20_links_weighs_about_2_kb():
    sizes = [len(render_link_page(page, 2000, 20).encode()) for page in range(0, 2000, 97)]
    assert all(1800 < size < 2600 for size in sizes), sizes


def test_link_targets_are_deterministic_and_depend_on_the_seed():
    first = [link_targets(page, 2000, 20, seed=0) for page in range(100)]
    assert first == [link_targets(page, 2000, 20, seed=0) for page in range(100)]
    assert first != [link_targets(page, 2000, 20, seed=1) for page in range(100)]
    assert all(len(targets) == 20 for targets in first)
    assert all(0 <= target < 2000 for targets in first for target in targets)
    assert link_targets(1999, 2000, 20)[0] == 0
    assert link_targets(0, 1, 3) == [0, 0, 0]


async def test_two_servers_with_the_same_seed_serve_the_same_bytes(link_site):
    urls = [link_site(30, 5, seed=7), link_site(30, 5, seed=7)]
    async with aiohttp.ClientSession() as session:
        for path in ("/", "/page/0", "/page/29"):
            bodies = []
            for base_url in urls:
                async with session.get(base_url + path) as response:
                    bodies.append(await response.read())
            assert bodies[0] == bodies[1]


@pytest.mark.parametrize("path", ["/page/30", "/page/-1", "/page/01", "/page/x", "/nothing"])
async def test_pages_outside_the_site_are_404(link_site, path):
    base_url = link_site(30, 5)
    async with aiohttp.ClientSession() as session:
        async with session.get(base_url + path) as response:
            assert response.status == 404


def test_link_site_rejects_an_empty_site():
    with pytest.raises(ValueError):
        make_link_site(0, 5)


@pytest.mark.parametrize(("layout", "page_file"), [("file", "page/{}.html"), ("directory", "page/{}/index.html")])
async def test_written_site_has_the_served_bytes(tmp_path, link_site, layout, page_file):
    root = write_link_site(tmp_path, 40, 6, seed=2, layout=layout)
    base_url = link_site(40, 6, seed=2)
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{base_url}/") as response:
            assert (root / "index.html").read_bytes() == await response.read()
        for number in (0, 17, 39):
            async with session.get(f"{base_url}/page/{number}") as response:
                assert (root / page_file.format(number)).read_bytes() == await response.read()
    assert len(list((root / "page").iterdir())) == 40


def test_command_line_writes_the_site(tmp_path, capsys):
    sites_main(["write", str(tmp_path / "out"), "--pages", "3", "--links", "2", "--layout", "directory"])
    assert capsys.readouterr().out.strip() == str(tmp_path / "out")
    assert (tmp_path / "out" / "page" / "2" / "index.html").read_text() == render_link_page(2, 3, 2, 0)


def test_command_line_serves_the_link_site_in_its_own_process():
    command = [sys.executable, "-m", "tests.sites", "link", "--pages", "4", "--links", "2"]
    with serve_command(command, cwd=Path(__file__).resolve().parent.parent) as base_url:
        with urllib.request.urlopen(f"{base_url}/page/3", timeout=10) as response:
            assert response.read().decode() == render_link_page(3, 4, 2, 0)
    with pytest.raises(urllib.error.URLError):  # stopped on exit
        urllib.request.urlopen(f"{base_url}/page/3", timeout=5)


def test_serve_command_reports_a_command_that_prints_no_url():
    with pytest.raises(RuntimeError, match="not its URL"):
        with serve_command([sys.executable, "-c", "print('no server here')"]):
            pass


def test_written_site_rejects_an_unknown_layout(tmp_path):
    with pytest.raises(ValueError):
        write_link_site(tmp_path, 2, 1, layout="flat")


def test_pages_are_cached_but_equal_to_a_fresh_render():
    render_link_page.cache_clear()
    first = render_link_page(3, 10, 4, 0)
    render_link_page.cache_clear()
    assert render_link_page(3, 10, 4, 0) == first


# ---------------------------------------------------------------- serving in a thread


def test_serve_app_in_thread_answers_blocking_callers_and_stops_on_exit():
    with serve_app_in_thread(make_link_site(3, 1)) as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{base_url}/page/2", timeout=5) as response:
            assert b"<h1>Page 2</h1>" in response.read()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"{base_url}/page/2", timeout=5)


def test_serve_app_in_thread_reports_a_port_that_cannot_be_bound():
    with pytest.raises(OSError):
        with serve_app_in_thread(make_link_site(1, 1), host="192.0.2.1"):
            pass


# ---------------------------------------------------------------- failure endpoints


@pytest.fixture
async def session():
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
        yield client


@pytest.mark.parametrize("code", [200, 201, 301, 404, 418, 500, 503, 599])
async def test_status_answers_any_status_with_a_small_body(session, test_server_url, code):
    async with session.get(f"{test_server_url}/status/{code}", allow_redirects=False) as response:
        assert response.status == code
        assert await response.text() == f"status {code}"


async def test_status_204_has_no_body_and_out_of_range_is_rejected(session, test_server_url):
    async with session.get(f"{test_server_url}/status/204") as response:
        assert response.status == 204
        assert await response.read() == b""
    async with session.get(f"{test_server_url}/status/99") as response:
        assert response.status == 400


async def test_slow_answers_after_the_delay_and_trips_a_shorter_timeout(session, test_server_url):
    async with session.get(f"{test_server_url}/slow?seconds=0.05") as response:
        assert await response.text() == "slept 0.05"
    with pytest.raises(asyncio.TimeoutError):
        async with session.get(f"{test_server_url}/slow?seconds=5", timeout=aiohttp.ClientTimeout(total=0.2)):
            pass


async def test_slow_after_headers_stalls_the_body_not_the_headers(session, test_server_url):
    timeout = aiohttp.ClientTimeout(sock_read=0.3)
    async with session.get(f"{test_server_url}/slow?seconds=5&after_headers=1", timeout=timeout) as response:
        assert response.status == 200
        assert response.content_length == 10
        with pytest.raises(asyncio.TimeoutError):
            await response.read()
    async with session.get(f"{test_server_url}/slow?seconds=0.05&after_headers=1") as response:
        assert await response.read() == b"slow body!"


@pytest.mark.parametrize("size", [0, 1, 65536, 300_001])
async def test_big_streams_n_bytes_with_content_length(session, test_server_url, size):
    async with session.get(f"{test_server_url}/big?bytes={size}") as response:
        assert response.headers["Content-Length"] == str(size)
        assert "Transfer-Encoding" not in response.headers
        assert len(await response.read()) == size


async def test_big_chunked_has_no_content_length(session, test_server_url):
    async with session.get(f"{test_server_url}/big?bytes=200000&chunked=1") as response:
        assert "Content-Length" not in response.headers
        assert response.headers["Transfer-Encoding"] == "chunked"
        assert len(await response.read()) == 200000


DECOMPRESS = {
    "gzip": gzip.decompress,
    "deflate": zlib.decompress,
    "br": brotli.decompress,
    "zstd": lambda data: zstandard.ZstdDecompressor().decompress(data, max_output_size=10**7),
}


@pytest.mark.parametrize("path", ["/gzip?bytes=50000", "/compress/gzip?bytes=50000", "/compress/deflate?bytes=50000",
                                  "/compress/br?bytes=50000", "/compress/zstd?bytes=50000"])
async def test_compressed_bodies_carry_content_encoding(test_server_url, path):
    async with aiohttp.ClientSession(auto_decompress=False) as raw_session:
        async with raw_session.get(test_server_url + path) as response:
            coding = response.headers["Content-Encoding"]
            raw = await response.read()
    assert len(raw) < 50000
    assert len(DECOMPRESS[coding](raw)) == 50000


async def test_unknown_content_coding_is_rejected(session, test_server_url):
    async with session.get(f"{test_server_url}/compress/lzma") as response:
        assert response.status == 400


async def test_redirect_chain_counts_down_to_a_page(session, test_server_url):
    async with session.get(f"{test_server_url}/redirect/3?status=301", allow_redirects=False) as response:
        assert response.status == 301
        assert response.headers["Location"] == "/redirect/2?status=301"
    async with session.get(f"{test_server_url}/redirect/3") as response:
        assert len(response.history) == 3
        assert response.url.path == "/redirect/0"
        assert await response.text() == "redirect chain done"


async def test_redirect_to_any_url(session, test_server_url):
    async with session.get(f"{test_server_url}/redirect-to?url=/json&status=307", allow_redirects=False) as response:
        assert response.status == 307
        assert response.headers["Location"] == "/json"


async def test_headers_and_echo_return_what_was_sent(session, test_server_url):
    async with session.get(f"{test_server_url}/headers", headers={"X-Test": "yes"}) as response:
        assert (await response.json())["X-Test"] == "yes"
    async with session.put(f"{test_server_url}/echo?a=1", data=b"payload", headers={"X-Test": "2"}) as response:
        echoed = await response.json()
    assert echoed["method"] == "PUT"
    assert echoed["path"] == "/echo"
    assert echoed["query"] == {"a": "1"}
    assert echoed["headers"]["X-Test"] == "2"
    assert echoed["body"] == "payload"


async def test_cookies_set_redirects_to_the_echo_and_delete_removes(session, test_server_url):
    async with session.get(f"{test_server_url}/cookies/set?flavour=oat&size=big") as response:
        assert response.history[0].status == 302
        assert await response.json() == {"cookies": {"flavour": "oat", "size": "big"}}
    async with session.get(f"{test_server_url}/cookies/delete?size") as response:
        assert await response.json() == {"cookies": {"flavour": "oat"}}


async def test_login_form_sets_a_session_cookie_that_private_needs(session, test_server_url):
    async with session.get(f"{test_server_url}/private") as response:
        assert response.status == 403
    async with session.get(f"{test_server_url}/form") as response:
        form = Selector(text=await response.text()).css("form#login")
    assert form.attrib["action"] == "/login"
    fields = dict(zip(form.css("input::attr(name)").getall(), form.css("input::attr(value)").getall()))
    fields.update(username=LOGIN_USER, password="wrong")
    async with session.post(f"{test_server_url}/login", data=fields) as response:
        assert response.status == 401
        assert "Wrong login" in await response.text()
    fields["password"] = LOGIN_PASSWORD
    async with session.post(f"{test_server_url}/login", data=fields) as response:
        assert response.history[0].status == 302
        assert response.url.path == "/private"
        assert response.status == 200
        assert f"Welcome, {LOGIN_USER}" in await response.text()


async def test_login_needs_the_form_token(session, test_server_url):
    data = {"username": LOGIN_USER, "password": LOGIN_PASSWORD}
    async with session.post(f"{test_server_url}/login", data=data) as response:
        assert response.status == 401


async def test_json_endpoint(session, test_server_url):
    async with session.get(f"{test_server_url}/json") as response:
        assert response.content_type == "application/json"
        assert await response.json() == JSON_DOCUMENT


@pytest.mark.parametrize(
    ("name", "header_charset", "raw_marker"),
    [
        ("utf-8", "utf-8", "Café".encode()),
        ("latin-1", "iso-8859-1", b"Caf\xe9"),
        ("utf-8-bom", None, b"\xef\xbb\xbf<html>"),
        ("meta", None, b'<meta charset="iso-8859-1">'),
    ],
)
async def test_encoding_pages_decode_to_the_sample_text(session, test_server_url, name, header_charset, raw_marker):
    async with session.get(f"{test_server_url}/encoding/{name}") as response:
        assert response.charset == header_charset
        body = await response.read()
        content_type = response.headers["Content-Type"]
    assert raw_marker in body
    _, text = html_to_unicode(content_type, body)
    assert ENCODING_SAMPLE_TEXT in text
    assert name in ENCODING_NAMES


async def test_undeclared_latin1_would_not_decode_as_utf8(session, test_server_url):
    async with session.get(f"{test_server_url}/encoding/meta") as response:
        body = await response.read()
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


async def test_drop_loses_data(session, test_server_url):
    async with session.get(f"{test_server_url}/drop") as response:
        assert response.content_length == 100
        with pytest.raises(aiohttp.ClientPayloadError):
            await response.read()


async def test_flaky_fails_the_first_times_per_key(session, test_server_url):
    statuses = []
    for _ in range(4):
        async with session.get(f"{test_server_url}/flaky?key=test_flaky&fail=2&status=500") as response:
            statuses.append(response.status)
    assert statuses == [500, 500, 200, 200]


async def test_robots_txt_disallows_one_path(session, test_server_url):
    async with session.get(f"{test_server_url}/robots.txt") as response:
        assert "Disallow: /disallowed" in await response.text()
