"""METRICS_PORT: Prometheus text at /metrics during a crawl, agreeing with the final stats,
and /healthz, which fails while the event loop is stuck."""

from __future__ import annotations

import json
import os
import re
import textwrap
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from ascrapy.utils.crawl_load import CrawlLoad, SlotLoad
from ascrapy.utils.loop_heartbeat import LoopHeartbeat
from ascrapy.utils.metric_families import CrawlMetrics
from tests.process_helpers import WAIT, HeldSite, crawl_process, free_port, json_lines

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def parse_metrics(text: str) -> Samples:
    """Every sample by (name, sorted labels), parsed with prometheus-client's own parser."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples[(name, tuple(sorted(labels.items())))]


# --- the metric families, from stats alone ------------------------------------------------


def test_stats_and_load_become_metric_families() -> None:
    stats = {
        "start_time": datetime(2026, 1, 1, tzinfo=timezone.utc),
        "response_received_count": 12, "item_scraped_count": 10, "downloader/request_count": 14,
        "downloader/response_status_count/200": 11, "downloader/response_status_count/404": 1,
        "downloader/exception_type_count/aiohttp.ClientError": 2, "spider_exceptions/count": 1,
        "spider_exceptions/ValueError": 1, "retry/count": 2, "retry/reason_count/503 Service Unavailable": 2,
        "log_count/ERROR": 1, "log_count/INFO": 9, "dead_letter_count": 3,
        "batch/MongoPipeline/batches": 4, "batch/MongoPipeline/write_time": 0.5,
        "batch/MongoPipeline/items": 7, "batch/MongoPipeline/dead_letter_count": 3,
        "feedexport/failed_count/FileFeedStorage": 1, "custom/thing": 5, "a_text_stat": "x",
    }
    load = CrawlLoad(queued=5, in_flight=2, pending=9, slots=(SlotLoad("example.com", 2, 5),))
    registry = CollectorRegistry(auto_describe=False)
    registry.register(CrawlMetrics(lambda: "books", lambda: stats, lambda: load, lambda: 0.25))
    samples = parse_metrics(generate_latest(registry).decode())
    spider = {"spider": "books"}
    assert value(samples, "ascrapy_pages_total", **spider) == 12
    assert value(samples, "ascrapy_items_scraped_total", **spider) == 10
    assert value(samples, "ascrapy_responses_total", status="404", **spider) == 1
    assert value(samples, "ascrapy_download_errors_total", type="aiohttp.ClientError", **spider) == 2
    assert value(samples, "ascrapy_spider_exceptions_total", type="ValueError", **spider) == 1
    assert ("ascrapy_spider_exceptions_total", (("spider", "books"), ("type", "count"))) not in samples
    assert value(samples, "ascrapy_retry_reasons_total", reason="503 Service Unavailable", **spider) == 2
    assert value(samples, "ascrapy_log_records_total", level="ERROR", **spider) == 1
    assert value(samples, "ascrapy_dead_letters_total", **spider) == 3
    assert value(samples, "ascrapy_batch_write_seconds_count", pipeline="MongoPipeline", **spider) == 4
    assert value(samples, "ascrapy_batch_write_seconds_sum", pipeline="MongoPipeline", **spider) == 0.5
    assert value(samples, "ascrapy_batch_items_total", pipeline="MongoPipeline", **spider) == 7
    assert value(samples, "ascrapy_feeds_failed_total", storage="FileFeedStorage", **spider) == 1
    assert value(samples, "ascrapy_requests_queued", **spider) == 5
    assert value(samples, "ascrapy_requests_in_flight", **spider) == 2
    assert value(samples, "ascrapy_slot_requests_queued", slot="example.com", **spider) == 5
    assert value(samples, "ascrapy_event_loop_lag_seconds", **spider) == 0.25
    assert value(samples, "ascrapy_start_time_seconds", **spider) == stats["start_time"].timestamp()
    assert value(samples, "ascrapy_stat", key="custom/thing", **spider) == 5
    assert not [key for key in samples if ("key", "a_text_stat") in key[1]]


def test_heartbeat_lag_is_how_late_the_loop_ran_it() -> None:
    now = [100.0]
    beat = LoopHeartbeat(interval=1.0, clock=lambda: now[0])
    now[0] += 1.0
    beat.record_beat()
    assert beat.lag == 0.0
    now[0] += 7.5  # the loop was blocked: the beat due after 1 s came 6.5 s late
    beat.record_beat()
    assert beat.lag == 6.5 and beat.max_lag == 6.5
    now[0] += 3.0  # no beat yet, and it is 2 s overdue: the lag now is at least the last one
    assert beat.current_lag() == 6.5
    now[0] += 6.0
    assert beat.current_lag() == 8.0


async def test_healthz_answers_503_right_after_a_stall_longer_than_the_limit() -> None:
    from ascrapy import Spider
    from ascrapy.crawler import Crawler
    from ascrapy.extensions.metrics import Metrics
    from ascrapy.utils._http_server import HttpRequest

    crawler = Crawler(Spider, {"METRICS_PORT": free_port(), "METRICS_MAX_LOOP_LAG": 5})
    metrics = Metrics.from_crawler(crawler)
    now = [0.0]
    metrics.heartbeat = LoopHeartbeat(interval=1.0, clock=lambda: now[0])
    probe = HttpRequest("GET", "/healthz", "", {})
    now[0] = 4.0  # the beat due at 1.0 has not come: 3 s late, within the limit
    assert (await metrics.handle_healthz(probe)).status == 200
    now[0] = 7.0  # 6 s late
    answer = await metrics.handle_healthz(probe)
    assert answer.status == 503
    assert json.loads(answer.body) == {"status": "event loop stalled", "loop_lag_seconds": 6.0,
                                       "max_loop_lag_seconds": 6.0}
    metrics.heartbeat.record_beat()  # the loop turns again; the next beat comes on time
    now[0] += 1.0
    metrics.heartbeat.record_beat()
    assert (await metrics.handle_healthz(probe)).status == 200


# --- a real crawl -------------------------------------------------------------------------

SPIDER = """
import ascrapy


class Held(ascrapy.Spider):
    name = "held"
    custom_settings = {"CONCURRENT_REQUESTS": 8}

    def __init__(self, base, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [base + "/"]

    def parse(self, response):
        yield {"url": response.url}
        yield from response.follow_all(css="a")
"""


def get(url: str, timeout: float = WAIT) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310 - 127.0.0.1 only
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_metrics_during_a_crawl_and_after_it_agree_with_the_final_stats(tmp_path: Path) -> None:
    (tmp_path / "held.py").write_text(SPIDER)
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    site = HeldSite(count=3)
    with site.serve() as base, crawl_process(
        ["runspider", "held.py", "-a", f"base={base}", "-o", "items.jsonl",
         "-s", f"METRICS_PORT={port}", "-s", "METRICS_CLOSE_WAIT=120", "-s", "LOG_JSON=True"],
        tmp_path,
    ) as (process, log):
        assert site.wait_arrivals(3)
        log.wait_for("Metrics on http://127.0.0.1:")
        status, text = get(f"{endpoint}/metrics")
        assert status == 200
        during = parse_metrics(text)
        assert value(during, "ascrapy_pages_total", spider="held") == 1  # "/" only: the rest are held
        assert value(during, "ascrapy_requests_in_flight", spider="held") == 3
        assert value(during, "ascrapy_slot_requests_in_flight", spider="held", slot="127.0.0.1") == 3
        assert value(during, "process_resident_memory_bytes") > 0
        health_status, health = get(f"{endpoint}/healthz")
        assert health_status == 200 and json.loads(health)["status"] == "ok"

        site.release()
        log.wait_for("Spider closed")
        status, text = get(f"{endpoint}/metrics")  # the server waits for this scrape to exit
        assert status == 200
        assert process.wait(WAIT) == 0
        records = json_lines(log.rest())
    final = parse_metrics(text)
    stats = next(r["stats"] for r in records if "stats" in r)
    numeric = {k: v for k, v in stats.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    assert numeric and all(value(final, "ascrapy_stat", spider="held", key=k) == v for k, v in numeric.items())
    assert value(final, "ascrapy_pages_total", spider="held") == stats["response_received_count"] == 4
    assert value(final, "ascrapy_items_scraped_total", spider="held") == stats["item_scraped_count"] == 4
    assert value(final, "ascrapy_requests_total", spider="held") == stats["downloader/request_count"]
    assert value(final, "ascrapy_responses_total", spider="held", status="200") == 4
    assert value(final, "ascrapy_closed", spider="held", reason="finished") == 1
    assert value(final, "ascrapy_requests_in_flight", spider="held") == 0


def test_healthz_fails_while_the_event_loop_is_stuck(tmp_path: Path) -> None:
    fifo = tmp_path / "unblock"
    os.mkfifo(fifo)
    (tmp_path / "stuck.py").write_text(textwrap.dedent(f"""
        import ascrapy

        class Stuck(ascrapy.Spider):
            name = "stuck"

            def __init__(self, base, **kwargs):
                super().__init__(**kwargs)
                self.start_urls = [base + "/"]

            def parse(self, response):
                if response.url.endswith("/"):
                    with open({str(fifo)!r}) as gate:  # blocks the event loop until the test writes
                        gate.read()
                yield from response.follow_all(css="a")
    """))
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    site = HeldSite(count=1)
    with site.serve() as base, crawl_process(
        ["runspider", "stuck.py", "-a", f"base={base}", "-s", f"METRICS_PORT={port}", "-L", "INFO"], tmp_path,
    ) as (process, log):
        log.wait_for("Metrics on http://127.0.0.1:")
        with open(fifo, "w") as gate:  # returns once the callback has opened it: the loop is blocked
            for _ in range(2):  # two probes time out: the loop stays blocked for 2 s at least
                with pytest.raises((TimeoutError, urllib.error.URLError)):
                    get(f"{endpoint}/healthz", timeout=1.0)
            gate.write("go")
        status, body = get(f"{endpoint}/healthz")
        assert status in (200, 503)  # 503 only if this probe came before the next heartbeat
        assert json.loads(body)["max_loop_lag_seconds"] >= 1.0
        assert site.arrived.wait(WAIT)  # the crawl went on after the stall
        while status != 200:
            status, body = get(f"{endpoint}/healthz")
        site.release()
        assert process.wait(WAIT) == 0


def test_the_grafana_dashboard_reads_only_metrics_that_exist() -> None:
    from prometheus_client import PlatformCollector, ProcessCollector

    registry = CollectorRegistry(auto_describe=False)
    registry.register(CrawlMetrics(lambda: "books", dict, CrawlLoad, lambda: 0.0))
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    suffixes = {"counter": ("_total",), "summary": ("_sum", "_count"), "gauge": ("",)}
    exposed = {
        family.name + suffix
        for family in text_string_to_metric_families(generate_latest(registry).decode())
        for suffix in suffixes.get(family.type, ("",))
    }
    dashboard_file = Path(__file__).resolve().parent.parent / "deploy" / "grafana" / "ascrapy-dashboard.json"
    dashboard = json.loads(dashboard_file.read_text())
    used = {
        name
        for panel in dashboard["panels"]
        for target in panel["targets"]
        for name in re.findall(r"\b(?:ascrapy|process)_[a-z_]+\b", target["expr"])
    }
    assert len(used) >= 12
    assert used <= exposed, used - exposed
