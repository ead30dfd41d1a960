"""LOG_JSON: every log record is one JSON object per line, with the record's own fields."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap
from datetime import datetime, timezone
from pathlib import Path

from ascrapy import Field, Item, Request, Spider
from ascrapy.http import HtmlResponse
from ascrapy.utils.jsonlog import JsonLogFormatter
from tests.process_helpers import WAIT, ascrapy_command, child_env, json_lines
from tests.sites import make_failure_app, serve_app_in_thread


class Book(Item):
    title = Field()


def _record(msg: str, args: object = None, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("scrapy.core.engine", logging.INFO, __file__, 1, msg, None, None)
    if args is not None:
        record.args = args  # as logging stores a single mapping argument
    for name, value in extra.items():
        setattr(record, name, value)
    return record


def test_a_record_with_mapping_arguments_carries_them_as_fields() -> None:
    request = Request("http://example.com/a?b=1", method="POST")
    response = HtmlResponse("http://example.com/a?b=1", status=404, body=b"", request=request)
    record = _record("Crawled (%(status)s) %(request)s (referer: %(referer)s)",
                     {"status": 404, "request": request, "referer": None},
                     spider=Spider(name="books"), item=Book(title="Dune"), response=response)
    entry = json.loads(JsonLogFormatter().format(record))
    assert entry["message"] == "Crawled (404) <POST http://example.com/a?b=1> (referer: None)"
    assert entry["level"] == "INFO"
    assert entry["logger"] == "scrapy.core.engine"
    assert entry["spider"] == "books"
    assert (entry["url"], entry["method"], entry["status"]) == ("http://example.com/a?b=1", "POST", 404)
    assert entry["request"] == "<POST http://example.com/a?b=1>"
    assert entry["item"] == {"title": "Dune"}
    assert entry["referer"] is None
    assert datetime.fromisoformat(entry["time"]).tzinfo == timezone.utc


def test_fixed_keys_are_never_replaced_and_odd_values_become_text() -> None:
    record = _record("%(message)s and %(level)s", {"message": "m", "level": object()},
                     when=datetime(2026, 1, 2, tzinfo=timezone.utc), blob=b"\xffok", error=ValueError("bad"))
    entry = json.loads(JsonLogFormatter().format(record))
    assert entry["level"] == "INFO" and entry["message"].startswith("m and <object")
    assert entry["message_"] == "m" and entry["level_"].startswith("<object")
    assert entry["when"] == "2026-01-02T00:00:00+00:00"
    assert entry["blob"] == "\ufffdok"
    assert entry["error"] == "ValueError: bad"


def test_an_exception_is_one_field_and_the_line_stays_one_line() -> None:
    try:
        raise RuntimeError("boom\nsecond line")
    except RuntimeError:
        record = _record("failed")
        record.exc_info = sys.exc_info()
    line = JsonLogFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert "RuntimeError: boom" in entry["exception"] and "Traceback" in entry["exception"]


def test_a_stats_record_gives_its_short_message_and_the_stats_object() -> None:
    stats = {"item_scraped_count": 3, "start_time": datetime(2026, 1, 1, tzinfo=timezone.utc)}
    record = _record("Dumping Scrapy stats:\n{...}", stats=stats, json_message="Dumping Scrapy stats")
    entry = json.loads(JsonLogFormatter().format(record))
    assert entry["message"] == "Dumping Scrapy stats"
    assert entry["stats"] == {"item_scraped_count": 3, "start_time": "2026-01-01T00:00:00+00:00"}


SPIDER = """
import ascrapy


class Mixed(ascrapy.Spider):
    name = "mixed"

    def __init__(self, base, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [base + "/status/200", base + "/status/503", base + "/status/404", base + "/json"]

    def parse(self, response):
        if response.url.endswith("/json"):
            raise ValueError("no JSON wanted here")
        self.logger.info("Parsed %(url)s", {"url": response.url, "size": len(response.body)})
        yield {"url": response.url, "title": "caf\\u00e9"}
"""


def test_every_line_of_a_real_crawl_parses(tmp_path: Path) -> None:
    spider = tmp_path / "mixed.py"
    spider.write_text(textwrap.dedent(SPIDER))
    output = tmp_path / "items.jsonl"
    with serve_app_in_thread(make_failure_app()) as base:
        done = subprocess.run(
            ascrapy_command("runspider", str(spider), "-a", f"base={base}", "-o", str(output),
                            "-s", "RETRY_TIMES=1", "-s", "LOG_LEVEL=DEBUG"),
            cwd=tmp_path, env=child_env(ASCRAPY_LOG_JSON="true"), capture_output=True, text=True,
            timeout=WAIT, check=False,
        )
    assert done.returncode == 0, done.stderr[-3000:]
    records = json_lines(done.stderr)  # fails on any line that is not one JSON object
    assert len(records) > 20
    for record in records:
        assert {"time", "level", "logger", "message"} <= record.keys()
    crawled = [r for r in records if r["message"].startswith("Crawled (200)")]
    assert crawled and all(r["status"] == 200 and r["url"].startswith(base) for r in crawled)
    assert all(r["spider"] == "mixed" for r in crawled)
    retried = [r for r in records if r["message"].startswith("Retrying")]
    assert retried[0]["reason"] == "503 Service Unavailable"
    assert retried[0]["url"] == f"{base}/status/503" and retried[0]["retry_times"] == 1
    failed = [r for r in records if r["message"].startswith("Spider error processing")]
    assert failed[0]["level"] == "ERROR" and "ValueError: no JSON wanted here" in failed[0]["exception"]
    parsed = [r for r in records if r["message"].startswith("Parsed ")]
    assert parsed[0]["size"] > 0 and parsed[0]["logger"] == "mixed"
    closing = [r for r in records if "stats" in r]
    assert len(closing) == 1 and closing[0]["message"] == "Dumping Scrapy stats"
    stats = closing[0]["stats"]
    assert stats["item_scraped_count"] == len(output.read_text().splitlines()) == 1
    assert stats["finish_reason"] == "finished"
    assert stats["log_count/ERROR"] == sum(r["level"] == "ERROR" for r in records)


def test_a_spider_may_ask_for_json_logs_in_its_custom_settings(tmp_path: Path) -> None:
    spider = tmp_path / "quiet.py"
    spider.write_text(textwrap.dedent("""
        import ascrapy

        class Quiet(ascrapy.Spider):
            name = "quiet"
            custom_settings = {"LOG_JSON": True, "LOG_LEVEL": "INFO"}
    """))
    done = subprocess.run(ascrapy_command("runspider", str(spider)), cwd=tmp_path, env=child_env(),
                          capture_output=True, text=True, timeout=WAIT, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    # Lines before the crawler exists follow the process's settings; from there on, the spider's.
    after = done.stderr[done.stderr.index("Overridden settings") :].split("\n", 1)[1]
    assert not [line for line in after.splitlines() if not line.startswith('{"time"')]
    records = json_lines(after[after.index('{"time"') :])
    assert {r["level"] for r in records} <= {"INFO", "WARNING"}  # LOG_LEVEL came along too
    assert any(r["message"] == "Dumping Scrapy stats" for r in records)
