"""The drop-in swap: an unmodified Scrapy project (examples/scrapy_project) crawling the
members-only forum of examples/scrapy_site through the compat ``scrapy`` command.

The project imports ``scrapy`` only, never ``ascrapy``. These tests need the compat
distribution installed (``pip install ./compat``); without it they fail, they do not skip.
The forum records every request it answers, so the tests can see what a crawl really
fetched: that it logged in, what it followed and what it left alone.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, NamedTuple

import aiohttp
import pytest

from tests.sites import EXAMPLES_DIR, load_example, serve_app_in_thread, serve_command, start_app

PROJECT_DIR = EXAMPLES_DIR / "scrapy_project"
CRAWL_TIMEOUT = 120
COMPAT_HINT = "install the compat distribution into this environment: `pip install ./compat` from the repository root"


site = load_example("scrapy_site/app.py")
DATA = site.DATA
SECTION_NAMES = {s["slug"]: s["name"] for s in DATA["sections"]}
KEPT_THREAD_IDS = [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 13]  # not 8 (removed), 12 (untitled), 50 (staff)
# What the threads crawl must fetch, each exactly once (GET unless said otherwise).
THREADS_CRAWL_REQUESTS = Counter(
    ["/robots.txt", "/login", "POST /login", "/", "/forum"]
    + ["/forum/announcements", "/forum/python", "/forum/python?page=2", "/forum/python?page=3"]
    + ["/forum/off-topic", "/forum/off-topic?page=2", "/thread/5?from=off-topic"]
    + [f"/thread/{n}" for n in range(1, 14)]
)


def expected_thread(thread_id: int, base_url: str) -> dict[str, Any]:
    """The item the threads spider should make of a thread, from the site's own data."""
    thread = DATA["threads"][str(thread_id)]
    first = thread["posts"][0]
    return {
        "thread_id": thread_id,
        "section": SECTION_NAMES[thread["section"]],
        "title": thread["title"],
        "author": first["author"],
        "started": first["at"],
        "post_count": len(thread["posts"]),
        "tags": thread["tags"],
        "first_post": "\n".join(first["body"]),
        "url": f"{base_url}/thread/{thread_id}",
    }


# ---------------------------------------------------------------- running the compat command


def require_compat() -> Path:
    """The compat ``scrapy`` command; fails the calling test when `scrapy` is not the compat package."""
    try:
        import scrapy
    except ImportError as error:
        pytest.fail(f"`import scrapy` fails ({error}); {COMPAT_HINT}")
    import ascrapy

    if getattr(scrapy, "Spider", None) is not ascrapy.Spider:
        where = getattr(scrapy, "__file__", scrapy)
        pytest.fail(f"`import scrapy` is {where}, not ascrapy's compat package; {COMPAT_HINT}")
    script = Path(sys.executable).parent / "scrapy"
    if not script.exists():
        pytest.fail(f"no `scrapy` command next to {sys.executable}; {COMPAT_HINT}")
    return script


def run_scrapy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(require_compat()), *args], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=CRAWL_TIMEOUT
    )


def stats_of(log: str) -> dict[str, int]:
    """The integer stats of the stats dump at the end of a crawl log."""
    _, marker, dump = log.partition("Dumping Scrapy stats:")
    assert marker, f"no stats dump in the log:\n{log[-3000:]}"
    dump = dump[: dump.index("}") + 1]
    return {key: int(value) for key, value in re.findall(r"'([^']+)': (\d+)[,}\n]", dump)}


def request_keys(records: list[Any]) -> list[str]:
    return [record.path if record.method == "GET" else f"{record.method} {record.path}" for record in records]


class Crawl(NamedTuple):
    base_url: str
    items: list[dict[str, Any]]
    log: str
    stats: dict[str, int]
    requests: list[Any]  # the site's RequestRecords
    output: Path


SORT_KEYS = {"threads": "thread_id", "members": "username"}


def crawl(spider: str, output: Path, *extra: str) -> Crawl:
    """``scrapy crawl SPIDER -O OUTPUT`` against a fresh forum; the items in a stable order."""
    app = site.make_app()
    with serve_app_in_thread(app) as base_url:
        result = run_scrapy("crawl", spider, "-a", f"base_url={base_url}", "-O", str(output), *extra)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = output.read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines if line.strip()]
    items.sort(key=lambda item: item[SORT_KEYS[spider]])
    return Crawl(base_url, items, result.stderr, stats_of(result.stderr), list(app[site.REQUEST_LOG]), output)


@pytest.fixture(scope="module")
def threads_crawl(tmp_path_factory: pytest.TempPathFactory) -> Callable[[], Crawl]:
    """The threads crawl, run once when a test first asks for it: inside the test, so that a
    missing compat package fails the tests rather than erroring their setup."""
    done: list[Crawl] = []

    def get() -> Crawl:
        if not done:
            done.append(crawl("threads", tmp_path_factory.mktemp("threads") / "threads.jsonl"))
        return done[0]

    return get


# ---------------------------------------------------------------- the forum on its own


@pytest.fixture
async def forum() -> AsyncIterator[tuple[str, aiohttp.ClientSession]]:
    runner, base_url = await start_app(site.make_app())
    # unsafe=True: aiohttp keeps no cookies for IP addresses otherwise
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        yield base_url, session
    await runner.cleanup()


async def log_in(session: aiohttp.ClientSession, base_url: str, password: str) -> aiohttp.ClientResponse:
    async with session.get(f"{base_url}/login") as response:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', await response.text()).group(1)
    form = {"csrfmiddlewaretoken": token, "username": "crawler", "password": password}
    async with session.post(f"{base_url}/login", data=form, allow_redirects=False) as response:
        await response.read()
        return response


async def test_member_pages_redirect_to_the_login_or_answer_403(forum):
    base_url, session = forum
    for path in ("/forum", "/forum/python?page=2", "/members"):
        async with session.get(f"{base_url}{path}", allow_redirects=False) as response:
            assert response.status == 302
            assert response.headers["Location"].startswith("/login?next=")
    async with session.get(f"{base_url}/thread/3") as response:
        assert response.status == 403


async def test_login_needs_the_csrf_token_and_the_password(forum):
    base_url, session = forum
    async with session.post(f"{base_url}/login", data={"username": "crawler", "password": "x"}) as response:
        assert response.status == 403  # no token
    refused = await log_in(session, base_url, "wrong")
    assert refused.status == 200
    assert "forum_session" not in refused.cookies
    accepted = await log_in(session, base_url, DATA["accounts"]["crawler"])
    assert accepted.status == 302
    assert accepted.headers["Location"] == "/"
    async with session.get(f"{base_url}/thread/3") as response:
        assert response.status == 200
        assert "asyncio.gather vs TaskGroup" in await response.text()


async def test_logout_ends_the_session(forum):
    base_url, session = forum
    await log_in(session, base_url, DATA["accounts"]["crawler"])
    async with session.get(f"{base_url}/forum/logout") as response:
        assert str(response.url) == f"{base_url}/login"
    async with session.get(f"{base_url}/forum", allow_redirects=False) as response:
        assert response.status == 302


def test_the_forum_serves_from_the_command_line():
    with serve_command([sys.executable, str(EXAMPLES_DIR / "scrapy_site" / "app.py")]) as url:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{url}/login", timeout=10) as response:
            assert b'<form id="login" action="/login" method="post">' in response.read()


# ---------------------------------------------------------------- the project, end to end


def test_scrapy_is_the_compat_package():
    require_compat()


def test_both_commands_list_the_spiders():
    by_script = run_scrapy("list")
    by_module = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=CRAWL_TIMEOUT
    )
    for result in (by_script, by_module):
        assert result.returncode == 0, result.stderr[-3000:]
        assert result.stdout.split() == ["members", "threads"]


def test_threads_are_scraped_exactly(threads_crawl):
    result = threads_crawl()
    items, base_url = result.items, result.base_url
    assert [item["thread_id"] for item in items] == KEPT_THREAD_IDS
    assert items == [expected_thread(thread_id, base_url) for thread_id in KEPT_THREAD_IDS]
    assert items[KEPT_THREAD_IDS.index(10)] == {
        "thread_id": 10,
        "section": "Off Topic",
        "title": "Café crawling meetup in Łódź",
        "author": "marta",
        "started": "2024-04-01T17:00",
        "post_count": 4,
        "tags": ["meetup"],
        "first_post": "Who is coming to the meetup?\nFirst coffee is on me.",
        "url": f"{base_url}/thread/10",
    }
    assert "Café crawling meetup in Łódź" in result.output.read_text(encoding="utf-8")


def test_threads_spider_logs_in_before_the_rules_run(threads_crawl):
    result = threads_crawl()
    keys = request_keys(result.requests)
    login = keys.index("POST /login")
    assert keys[:login] == ["/robots.txt", "/login"]
    assert result.requests[login].status == 302  # token, cookie and password accepted
    members_only = {i: r for i, r in enumerate(result.requests) if r.path.startswith(("/forum", "/thread"))}
    assert members_only
    assert min(members_only) > login
    assert {(r.user, r.status) for r in members_only.values()} == {("crawler", 200)}
    assert "Logged in as crawler" in result.log


def test_threads_spider_follows_only_what_the_rules_allow(threads_crawl):
    result = threads_crawl()
    keys = request_keys(result.requests)
    assert not [k for k in keys if "logout" in k], "followed the logout link: deny"
    assert not [k for k in keys if k.endswith(".pdf") or k.endswith("/reply")], "followed a denied link"
    assert not [k for k in keys if k in ("/thread/50", "/forum/staff")], "followed the staff picks: restrict_css"
    assert {r.host for r in result.requests} == {result.base_url.removeprefix("http://")}
    assert result.stats["offsite/filtered"] == 1  # the mirror on localhost
    assert Counter(keys) == THREADS_CRAWL_REQUESTS


def test_the_downloader_middleware_tags_and_counts_every_request(threads_crawl):
    result = threads_crawl()
    assert {r.client for r in result.requests} == {"forum-archiver/1.0"}
    assert result.stats["forum_client/requests"] == len(result.requests)
    assert "Requests carry X-Forum-Client: forum-archiver/1.0" in result.log


def test_the_pipeline_drops_removed_untitled_and_duplicate_threads(threads_crawl):
    result = threads_crawl()
    stats, log, base_url = result.stats, result.log, result.base_url
    assert stats["item_scraped_count"] == 11
    assert stats["item_dropped_count"] == 3
    assert stats["item_dropped_reasons_count/DropItem"] == 3
    # set by the pipeline's close_spider
    assert {key: value for key, value in stats.items() if key.startswith("forum/threads/")} == {
        "forum/threads/kept": 11,
        "forum/threads/too_few_posts": 1,
        "forum/threads/incomplete": 1,
        "forum/threads/duplicate": 1,
    }
    assert f"Dropped: Too few posts (0) in {base_url}/thread/8" in log
    assert f"Dropped: Missing title in {base_url}/thread/12" in log
    assert f"Dropped: Duplicate thread 5 at {base_url}/thread/5" in log


def test_the_pipeline_reads_its_minimum_from_the_settings(tmp_path):
    result = crawl("threads", tmp_path / "threads.jsonl", "-s", "FORUM_MIN_POSTS=3")
    assert [item["thread_id"] for item in result.items] == [3, 5, 10]
    assert result.stats["forum/threads/too_few_posts"] == 10
    assert result.stats["forum/threads/duplicate"] == 1


def test_a_failed_login_scrapes_nothing(tmp_path):
    result = crawl("threads", tmp_path / "threads.jsonl", "-s", "FORUM_PASSWORD=wrong")
    assert result.items == []
    assert "Login failed: Invalid username or password." in result.log
    assert request_keys(result.requests) == ["/robots.txt", "/login", "POST /login"]


def test_members_spider_starts_from_start_and_follows_the_directory(tmp_path):
    result = crawl("members", tmp_path / "members.jsonl")
    expected = [
        {
            "username": m["username"], "name": m["name"], "role": m["role"].lower(),
            "joined": m["joined"], "posts": m["posts"], "location": m["location"],
        }
        for m in DATA["members"]
    ]
    assert result.items == sorted(expected, key=lambda item: item["username"])
    assert result.items[3] == {
        "username": "marta", "name": "Marta Kowalska", "role": "moderator",
        "joined": "2018-11-20", "posts": 3377, "location": "Łódź",
    }
    keys = request_keys(result.requests)
    assert keys[:4] == ["/robots.txt", "/login", "POST /login", "/"]
    profiles = [f"/members/{m['username']}" for m in DATA["members"]]
    assert Counter(keys[4:]) == Counter(["/members", "/members?page=2", *profiles])
    assert {r.user for r in result.requests[3:]} == {"crawler"}
    assert result.stats["item_scraped_count"] == 6
