"""RemoteControl: the authenticated /status and /execute endpoints and the job file."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import stat
import sys
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import aiohttp
import pytest

import ascrapy
from ascrapy.crawler import CrawlerRunner
from ascrapy.exceptions import NotConfigured
from ascrapy.extensions.remote_control import RemoteControl, _cap, _compile, _effective_timeout
from ascrapy.settings import Settings
from ascrapy.utils._remote_control import job_files_dir, write_job_file
from ascrapy.utils.misc import build_from_crawler

from .crawl_helpers import TEST_SETTINGS
from .ext_helpers import ExtCrawler


def build(settings: dict[str, Any] | None = None) -> RemoteControl:
    return build_from_crawler(RemoteControl, ExtCrawler(settings))


@asynccontextmanager
async def started(jobs_dir: Path, **settings: Any):
    extension = build({"REMOTE_CONTROL_JOBS_DIR": str(jobs_dir), **settings})
    await extension.start()
    assert extension._runner is not None
    try:
        yield extension
    finally:
        await extension.stop()


async def call(extension: RemoteControl, method: str, path: str, auth: bool = True,
               **kwargs: Any) -> tuple[int, Any]:
    assert extension._runner is not None
    port = extension._runner.port
    headers = {"Authorization": f"Bearer {extension._auth_token}"} if auth else {}
    async with aiohttp.ClientSession() as session:
        async with session.request(method, f"http://127.0.0.1:{port}{path}", headers=headers, **kwargs) as response:
            return response.status, await response.json(content_type=None)


async def execute(extension: RemoteControl, code: str, **body: Any) -> dict[str, Any]:
    status, result = await call(extension, "POST", "/execute", json={"code": code, **body})
    assert status == 200, result
    return result


# -- settings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "settings",
    [
        {"REMOTE_CONTROL_ENABLED": False},
        {"REMOTE_CONTROL_TIMEOUT_DEFAULT": 0},
        {"REMOTE_CONTROL_TIMEOUT_MAX": -1},
    ],
)
def test_not_configured(settings):
    with pytest.raises(NotConfigured):
        build(settings)


def test_settings_are_read():
    extension = build({"REMOTE_CONTROL_TIMEOUT_DEFAULT": 3, "REMOTE_CONTROL_TIMEOUT_MAX": 9,
                       "REMOTE_CONTROL_OUTPUT_MAX_BYTES": 10, "REMOTE_CONTROL_TRACEBACK_MAX_BYTES": 20})
    assert (extension._default_timeout, extension._max_timeout) == (3.0, 9.0)
    assert (extension._output_max_bytes, extension._traceback_max_bytes) == (10, 20)


# -- helpers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requested", "expected"),
    [(None, 30.0), (5, 5.0), (0, 30.0), (-3, 30.0), (float("nan"), 30.0), (900, 600.0)],
)
def test_effective_timeout(requested, expected):
    assert _effective_timeout(requested, 30.0, 600.0) == expected


def test_cap_marks_what_it_cut_without_splitting_characters():
    assert _cap("short", 10) == ("short", False)
    text, cut = _cap("é" * 2000, 5)  # 4000 bytes
    assert cut
    assert text == "éé…[truncated, +4KB]"


def test_compile_returns_the_error_text():
    assert isinstance(_compile("await x"), type(compile("1", "", "eval")))
    error = _compile("def (")
    assert isinstance(error, str) and "SyntaxError" in error


def test_jobs_dir_defaults_to_the_user_state_folder(tmp_path, monkeypatch):
    assert job_files_dir(Settings({"REMOTE_CONTROL_JOBS_DIR": str(tmp_path)})) == tmp_path
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
        assert job_files_dir(Settings()) == tmp_path / "scrapy" / "job_files"


def test_job_file_is_private_and_complete(tmp_path):
    path = tmp_path / "jobs" / "123-abc.json"
    write_job_file(path, spider="s", project="p", scrapy_version="1", port=8, token="t")
    assert [p.name for p in path.parent.iterdir()] == ["123-abc.json"]
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    record = json.loads(path.read_text(encoding="utf-8"))
    assert {k: record[k] for k in ("version", "pid", "port", "token", "spider", "project")} == {
        "version": 1, "pid": os.getpid(), "port": 8, "token": "t", "spider": "s", "project": "p",
    }


def test_job_file_refuses_a_planted_temporary_file(tmp_path):
    path = tmp_path / "1-x.json"
    (tmp_path / ".1-x.json.tmp").write_text("planted", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_job_file(path, spider="s", project=None, scrapy_version="1", port=1, token="t")
    assert not path.exists()


# -- the server -----------------------------------------------------------------------


async def test_status_answers_with_the_crawl_facts(tmp_path):
    async with started(tmp_path, BOT_NAME="shop") as extension:
        moment = datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
        extension._crawler.stats.set_value("start_time", moment)
        status, body = await call(extension, "GET", "/status")
    assert status == 200
    assert body == {"pid": os.getpid(), "spider": "ext-test", "project": "shop",
                    "scrapy_version": ascrapy.__version__, "start_time": moment.timestamp()}


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Bearer ü"}])
async def test_requests_without_the_token_are_refused(tmp_path, headers):
    async with started(tmp_path) as extension:
        port = extension._runner.port
        async with aiohttp.ClientSession() as session:
            for method, path in (("GET", "/status"), ("POST", "/execute")):
                async with session.request(method, f"http://127.0.0.1:{port}{path}", headers=headers,
                                           json={"code": "print(1)"}) as response:
                    assert response.status == 401
                    assert await response.json() == {"error": "unauthorized"}


@pytest.mark.filterwarnings("ignore:Sending a large body:ResourceWarning")  # aiohttp's client, on purpose
async def test_other_methods_paths_and_oversized_bodies_are_refused(tmp_path):
    async with started(tmp_path) as extension:
        assert (await call(extension, "GET", "/execute"))[0] == 405
        assert (await call(extension, "POST", "/status"))[0] == 405
        assert (await call(extension, "GET", "/nothing"))[0] == 404
        too_big = {"code": "#" * (1024 * 1024)}
        assert await call(extension, "POST", "/execute", json=too_big) == (413, {"error": "request body too large"})
        assert (await call(extension, "GET", "/status"))[0] == 200  # still serving


async def test_execute_runs_code_with_crawler_stash_and_captured_print(tmp_path):
    async with started(tmp_path) as extension:
        first = await execute(extension, "stash['n'] = crawler.spider.name\nprint('hi', end='!')")
        second = await execute(extension, "import asyncio\nawait asyncio.sleep(0)\nprint(stash['n'])\nx = 1")
        third = await execute(extension, "print('x' in dir())")
    assert first == {"status": "ok", "output": "hi!", "traceback": None, "elapsed_sec": first["elapsed_sec"]}
    assert second["output"] == "ext-test\n"
    assert third["output"] == "False\n"  # a fresh namespace each call


async def test_execute_reports_errors_timeouts_and_compile_errors(tmp_path):
    async with started(tmp_path, REMOTE_CONTROL_OUTPUT_MAX_BYTES=8) as extension:
        error = await execute(extension, "print('partial output')\nraise KeyError('boom')")
        timeout = await execute(extension, "import asyncio\nawait asyncio.sleep(5)", timeout_sec=0.05)
        broken = await execute(extension, "def (")
    assert error["status"] == "error"
    assert "KeyError: 'boom'" in error["traceback"]
    assert error["output"].startswith("partial ") and error["output_truncated"] is True
    assert timeout["status"] == "timeout" and timeout["traceback"] is None
    assert timeout["elapsed_sec"] >= 0.05
    assert broken["status"] == "compile_error" and "SyntaxError" in broken["traceback"]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"data": "{not json"}, "invalid JSON body"),
        ({"json": {"code": 3}}, "Missing or invalid 'code' value"),
        ({"json": ["print(1)"]}, "Missing or invalid 'code' value"),
        ({"json": {"code": "1", "timeout_sec": "5"}}, "Invalid 'timeout_sec' value"),
    ],
)
async def test_bad_execute_requests(tmp_path, kwargs, error):
    async with started(tmp_path) as extension:
        status, body = await call(extension, "POST", "/execute", **kwargs)
    assert (status, body) == (400, {"error": error})


async def test_job_file_lives_while_the_server_runs_and_the_token_is_not_logged(tmp_path, caplog):
    with caplog.at_level(logging.DEBUG):
        async with started(tmp_path) as extension:
            (job_file,) = tmp_path.glob("*.json")
            record = json.loads(job_file.read_text(encoding="utf-8"))
            token = extension._auth_token
            assert record["token"] == token
            assert record["port"] == extension._runner.port
    assert list(tmp_path.iterdir()) == []
    assert token and token not in caplog.text
    assert f"(job {job_file.stem})" in caplog.text
    await extension.stop()  # twice is harmless
    assert extension._runner is None and extension._stash == {}


async def test_a_job_file_that_cannot_be_removed_is_reported(tmp_path, caplog, monkeypatch):
    extension = build({"REMOTE_CONTROL_JOBS_DIR": str(tmp_path)})
    await extension.start()
    (job_file,) = tmp_path.glob("*.json")

    def refuse(self: Path, missing_ok: bool = False) -> None:
        raise PermissionError("read-only folder")

    monkeypatch.setattr(Path, "unlink", refuse)
    with caplog.at_level(logging.WARNING, logger="scrapy.extensions.remote_control"):
        await extension.stop()
    monkeypatch.undo()
    assert f"Could not remove the remote control job file {job_file}: read-only folder" in caplog.messages
    assert extension._runner is None and extension._auth_token is None


async def test_a_failed_start_leaves_the_extension_off(tmp_path, caplog):
    blocker = tmp_path / "jobs"
    blocker.write_text("", encoding="utf-8")  # a file where the folder should be
    extension = build({"REMOTE_CONTROL_JOBS_DIR": str(blocker)})
    await extension.start()
    assert "Remote control HTTP server failed to start" in caplog.text
    assert extension._runner is None and extension._auth_token is None


# -- end to end -----------------------------------------------------------------------


class SelfInspectingSpider(ascrapy.Spider):
    """Finds its own job file and asks its crawl's remote control for the status."""

    name = "self-inspecting"

    async def start(self):
        (job_file,) = Path(self.jobs_dir).glob("*.json")
        record = json.loads(job_file.read_text(encoding="utf-8"))
        url = f"http://127.0.0.1:{record['port']}/execute"
        headers = {"Authorization": f"Bearer {record['token']}"}
        async with aiohttp.ClientSession() as session:
            async with session.post(url, headers=headers, json={"code": "print(crawler.spider.name)"}) as resp:
                self.answer = await resp.json()
        return
        yield


async def test_crawl_serves_its_own_remote_control(tmp_path):
    runner = CrawlerRunner({
        **TEST_SETTINGS,
        "EXTENSIONS": {"ascrapy.extensions.remote_control.RemoteControl": 0},
        "REMOTE_CONTROL_ENABLED": True,
        "REMOTE_CONTROL_JOBS_DIR": str(tmp_path),
    })
    crawler = runner.create_crawler(SelfInspectingSpider)
    runner.crawl(crawler, jobs_dir=str(tmp_path))
    await asyncio.wait_for(runner.join(), 30)
    assert crawler.spider.answer["status"] == "ok"
    assert crawler.spider.answer["output"] == "self-inspecting\n"
    assert list(tmp_path.glob("*.json")) == []
