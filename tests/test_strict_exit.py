"""STRICT_EXIT / --strict: exit codes a Job controller can act on; Scrapy's 0 stays the default."""

from __future__ import annotations

import signal
import subprocess
import textwrap
from pathlib import Path

import pytest

from ascrapy.cli.exit_codes import ExitCode, strict_verdict
from tests.process_helpers import WAIT, HeldSite, ascrapy_command, child_env, crawl_process, free_port
from tests.sites import make_failure_app, make_link_site, serve_app_in_thread
from tests.test_acceptance import stat_value

LINKS_SPIDER = """
import ascrapy


class Links(ascrapy.Spider):
    name = "links"

    def __init__(self, base, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [base + "/"]

    def parse(self, response):
        yield {"url": response.url}
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href)
"""

# --- the verdict, from stats alone -------------------------------------------------------

FINISHED = {"finish_reason": "finished", "downloader/request_count": 3,
            "downloader/response_status_count/200": 3}


@pytest.mark.parametrize(
    ("stats", "stopped_by", "code"),
    [
        (FINISHED, None, ExitCode.OK),
        ({**FINISHED, "finish_reason": "shutdown"}, signal.SIGTERM, ExitCode.SIGTERM),
        ({**FINISHED, "finish_reason": "shutdown"}, signal.SIGINT, ExitCode.SIGINT),
        (FINISHED, signal.SIGTERM, ExitCode.OK),  # the signal came after the crawl had finished
        ({**FINISHED, "finish_reason": "closespider_pagecount"}, None, ExitCode.CLOSED_EARLY),
        ({**FINISHED, "finish_reason": "shutdown", "log_count/ERROR": 2}, None, ExitCode.CLOSED_EARLY),
        ({"finish_reason": "finished", "downloader/request_count": 2,
          "downloader/response_status_count/404": 2}, None, ExitCode.ALL_REQUESTS_FAILED),
        ({"finish_reason": "finished", "downloader/request_count": 3, "robotstxt/request_count": 1,
          "downloader/response_status_count/200": 1, "robotstxt/response_status_count/200": 1,
          "downloader/exception_count": 2}, None, ExitCode.ALL_REQUESTS_FAILED),
        ({**FINISHED, "dead_letter_count": 4, "log_count/ERROR": 1}, None, ExitCode.ITEMS_NOT_WRITTEN),
        ({**FINISHED, "feedexport/failed_count/FileFeedStorage": 1}, None, ExitCode.ITEMS_NOT_WRITTEN),
        ({**FINISHED, "item_error_count": 1}, None, ExitCode.ITEMS_NOT_WRITTEN),
        ({**FINISHED, "log_count/ERROR": 1}, None, ExitCode.ERRORS_LOGGED),
        ({**FINISHED, "log_count/CRITICAL": 1}, None, ExitCode.ERRORS_LOGGED),
        ({"finish_reason": "finished"}, None, ExitCode.OK),  # nothing to crawl is not a failure
    ],
)
def test_verdict_from_stats(stats: dict[str, object], stopped_by: int | None, code: ExitCode) -> None:
    verdict = strict_verdict(stats, stopped_by)
    assert verdict.code == code
    assert bool(verdict.reason) == (code != ExitCode.OK)


def test_codes_are_distinct_and_signals_follow_the_shell() -> None:
    assert len({int(code) for code in ExitCode}) == len(ExitCode)
    assert (ExitCode.SIGINT, ExitCode.SIGTERM) == (130, 143)


# --- real crawls ---------------------------------------------------------------------------


def run(tmp_path: Path, spider_code: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    spider = tmp_path / "spider.py"
    spider.write_text(textwrap.dedent(spider_code))
    return subprocess.run(
        ascrapy_command("runspider", str(spider), "-L", "INFO", *args),
        cwd=tmp_path, env=child_env(**env), capture_output=True, text=True, timeout=WAIT, check=False,
    )


def test_a_clean_crawl_exits_0(tmp_path: Path) -> None:
    with serve_app_in_thread(make_link_site(5, 2)) as base:
        done = run(tmp_path, LINKS_SPIDER, "-a", f"base={base}", "--strict")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Exiting with code" not in done.stderr


def test_every_request_failing_exits_0_by_default_and_4_when_strict(tmp_path: Path) -> None:
    with serve_app_in_thread(make_failure_app()) as base:
        default = run(tmp_path, LINKS_SPIDER, "-a", f"base={base}/status/503", "-s", "RETRY_TIMES=0")
        strict = run(tmp_path, LINKS_SPIDER, "-a", f"base={base}/status/503", "-s", "RETRY_TIMES=0", "--strict")
    assert default.returncode == 0, default.stderr[-3000:]
    assert strict.returncode == ExitCode.ALL_REQUESTS_FAILED, strict.stderr[-3000:]
    assert "Exiting with code 4 (ALL_REQUESTS_FAILED, STRICT_EXIT)" in strict.stderr


def test_connection_refused_everywhere_exits_4(tmp_path: Path) -> None:
    done = run(tmp_path, LINKS_SPIDER, "-a", f"base=http://127.0.0.1:{free_port()}", "-s", "RETRY_TIMES=0",
               ASCRAPY_STRICT_EXIT="true")
    assert done.returncode == ExitCode.ALL_REQUESTS_FAILED, done.stderr[-3000:]


def test_a_closespider_limit_exits_3(tmp_path: Path) -> None:
    with serve_app_in_thread(make_link_site(50, 5)) as base:
        done = run(tmp_path, LINKS_SPIDER, "-a", f"base={base}", "-s", "CLOSESPIDER_PAGECOUNT=2",
                   "-s", "CONCURRENT_REQUESTS=1", "--strict")
    assert done.returncode == ExitCode.CLOSED_EARLY, done.stderr[-3000:]
    assert "closespider_pagecount" in done.stderr


def test_an_item_pipeline_failure_exits_5(tmp_path: Path) -> None:
    code = LINKS_SPIDER + textwrap.dedent("""
        class Failing:
            def process_item(self, item):
                raise RuntimeError("cannot store")

        Links.custom_settings = {"ITEM_PIPELINES": {__name__ + ".Failing": 300}}
    """)
    with serve_app_in_thread(make_link_site(3, 1)) as base:
        done = run(tmp_path, code, "-a", f"base={base}", "--strict")
    assert done.returncode == ExitCode.ITEMS_NOT_WRITTEN, done.stderr[-3000:]
    assert "items failed in an item pipeline" in done.stderr


# The links spider with a batch sink that refuses every batch for good.
REJECTING_SINK_SPIDER = LINKS_SPIDER + textwrap.dedent("""
    from ascrapy.exceptions import PermanentWriteError

    class Rejecting:
        async def process_batch(self, items):
            raise PermanentWriteError("the store refuses")

    Links.custom_settings = {"ITEM_PIPELINES": {__name__ + ".Rejecting": 300}}
""")


def test_dead_letters_exit_5(tmp_path: Path) -> None:
    code = REJECTING_SINK_SPIDER
    with serve_app_in_thread(make_link_site(3, 1)) as base:
        done = run(tmp_path, code, "-a", f"base={base}", "--strict",
                   "-s", f"DEAD_LETTER_PATH={tmp_path / 'dead.jsonl'}")
    assert done.returncode == ExitCode.ITEMS_NOT_WRITTEN, done.stderr[-3000:]
    dead = stat_value(done.stderr, "dead_letter_count")
    assert f"{dead} items dead-lettered" in done.stderr
    assert len((tmp_path / "dead.jsonl").read_text().splitlines()) == dead > 0


def test_items_neither_written_nor_dead_lettered_exit_7_also_when_strict(tmp_path: Path) -> None:
    code = REJECTING_SINK_SPIDER
    with serve_app_in_thread(make_link_site(3, 1)) as base:
        done = run(tmp_path, code, "-a", f"base={base}", "-s", "DEAD_LETTER_PATH=/dev/full", "--strict")
    assert done.returncode == ExitCode.CRAWL_FAILED, done.stderr[-3000:]
    assert "'finish_reason': 'dead_letter_error'" in done.stderr


def test_a_feed_that_cannot_be_written_exits_5(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the feed wants a directory")
    with serve_app_in_thread(make_link_site(3, 1)) as base:
        done = run(tmp_path, LINKS_SPIDER, "-a", f"base={base}", "-o", f"{blocked}/items.jsonl", "--strict")
    assert done.returncode == ExitCode.ITEMS_NOT_WRITTEN, done.stderr[-3000:]


def test_a_failing_callback_exits_6(tmp_path: Path) -> None:
    code = LINKS_SPIDER.replace(
        '        yield {"url": response.url}\n',
        '        if response.url.endswith("/page/1"):\n'
        '            raise ValueError("unexpected page")\n'
        '        yield {"url": response.url}\n',
    )
    with serve_app_in_thread(make_link_site(4, 2)) as base:
        done = run(tmp_path, code, "-a", f"base={base}", "--strict")
    assert done.returncode == ExitCode.ERRORS_LOGGED, done.stderr[-3000:]
    assert "ValueError: unexpected page" in done.stderr


def test_a_spider_that_cannot_start_exits_1_in_both_modes(tmp_path: Path) -> None:
    code = """
        import ascrapy

        class Broken(ascrapy.Spider):
            name = "broken"

            def __init__(self, **kwargs):
                raise RuntimeError("misconfigured")
    """
    assert run(tmp_path, code).returncode == ExitCode.START_FAILED
    assert run(tmp_path, code, "--strict").returncode == ExitCode.START_FAILED


def test_a_usage_error_exits_2(tmp_path: Path) -> None:
    done = run(tmp_path, LINKS_SPIDER, "-a", "no-equals-sign", "--strict")
    assert done.returncode == ExitCode.USAGE


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_drains_then_exits_128_plus_its_number(tmp_path: Path, signum: int, code: int) -> None:
    spider = tmp_path / "spider.py"
    spider.write_text(LINKS_SPIDER)
    output = tmp_path / "items.jsonl"
    site = HeldSite(count=3)
    with site.serve() as base, crawl_process(
        ["runspider", str(spider), "-a", f"base={base}", "-o", str(output), "-L", "INFO", "--strict"], tmp_path,
    ) as (process, log):
        assert site.arrived.wait(WAIT), "no request reached the held pages"
        process.send_signal(signum)
        log.wait_for(f"Received {signal.Signals(signum).name}, shutting down gracefully")
        site.release()  # the requests in flight finish: a drain, not a drop
        assert process.wait(WAIT) == code
        text = log.rest()
    assert f"Exiting with code {code} ({signal.Signals(signum).name}, STRICT_EXIT)" in text
    urls = output.read_text()
    assert "/held/" in urls  # a page that was in flight when the signal came was scraped and written


def test_shutdown_timeout_forces_a_stuck_drain(tmp_path: Path) -> None:
    spider = tmp_path / "spider.py"
    spider.write_text(LINKS_SPIDER)
    site = HeldSite(count=2)  # never released: the drain cannot end by itself
    with site.serve() as base, crawl_process(
        ["runspider", str(spider), "-a", f"base={base}", "-L", "INFO", "--strict",
         "-s", "SHUTDOWN_TIMEOUT=0.5", "-s", "DOWNLOAD_TIMEOUT=600"], tmp_path,
    ) as (process, log):
        assert site.arrived.wait(WAIT)
        process.send_signal(signal.SIGTERM)
        log.wait_for("forcing unclean shutdown")
        assert process.wait(WAIT) == ExitCode.SIGTERM
        text = log.rest()
        site.release()
    assert "Exiting with code 143 (SIGTERM, STRICT_EXIT)" in text
