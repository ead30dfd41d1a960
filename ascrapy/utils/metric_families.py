"""A crawl's stats and load as Prometheus metric families, built afresh at every scrape.

The counters are the stats collector's own numbers (Scrapy's keys), so what /metrics says
agrees with the stats dumped at the close. Every metric carries a ``spider`` label; every
numeric stat is also exposed as it is, by key, in ``ascrapy_stat{key=...}``, which covers a
project's own stats.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric, SummaryMetricFamily

from ascrapy.utils.crawl_load import CrawlLoad

PREFIX = "ascrapy_"

# (metric name, help, stats key): one counter per stat.
_COUNTERS: tuple[tuple[str, str, str], ...] = (
    ("pages", "Responses received (pages)", "response_received_count"),
    ("items_scraped", "Items that went through every item pipeline", "item_scraped_count"),
    ("items_dropped", "Items dropped by an item pipeline", "item_dropped_count"),
    ("item_errors", "Items whose item pipeline raised", "item_error_count"),
    ("requests", "Requests sent by the downloader", "downloader/request_count"),
    ("response_bytes", "Response bytes downloaded", "downloader/response_bytes"),
    ("requests_scheduled", "Requests queued in the frontier", "scheduler/enqueued"),
    ("requests_dequeued", "Requests taken from the frontier", "scheduler/dequeued"),
    ("duplicates_filtered", "Requests dropped as duplicates", "dupefilter/filtered"),
    ("retries", "Requests retried", "retry/count"),
    ("retries_exhausted", "Requests that failed after their last retry", "retry/max_reached"),
    ("dead_letters", "Items written to the dead-letter file", "dead_letter_count"),
)

# (metric name, help, stats key prefix, label): one counter, a label value per key suffix.
_LABELLED_COUNTERS: tuple[tuple[str, str, str, str], ...] = (
    ("responses", "Responses by HTTP status", "downloader/response_status_count/", "status"),
    ("download_errors", "Download errors by exception type", "downloader/exception_type_count/", "type"),
    ("spider_exceptions", "Callback errors by exception type", "spider_exceptions/", "type"),
    ("retry_reasons", "Retries by reason", "retry/reason_count/", "reason"),
    ("log_records", "Log records by level", "log_count/", "level"),
    ("items_dropped_by_reason", "Items dropped by exception type", "item_dropped_reasons_count/", "reason"),
    ("feeds_stored", "Feeds stored, by storage", "feedexport/success_count/", "storage"),
    ("feeds_failed", "Feeds that could not be stored, by storage", "feedexport/failed_count/", "storage"),
)

# The batch stage's keys: batch/<pipeline>/<suffix>.
_BATCH_COUNTERS: tuple[tuple[str, str, str], ...] = (
    ("batch_items", "Items written by a batch pipeline", "items"),
    ("batch_retries", "Batch writes retried", "retries"),
    ("batch_failures", "Batches given up on (their items dead-lettered)", "failed_batches"),
    ("batch_dead_letters", "Items a batch pipeline dead-lettered", "dead_letter_count"),
)


class CrawlMetrics:
    """A prometheus_client collector: ``collect()`` reads ``stats()`` and ``load()`` now."""

    def __init__(
        self,
        spider_name: Callable[[], str],
        stats: Callable[[], Mapping[str, Any]],
        load: Callable[[], CrawlLoad],
        loop_lag: Callable[[], float],
    ) -> None:
        self._spider_name = spider_name
        self._stats = stats
        self._load = load
        self._loop_lag = loop_lag

    def collect(self) -> Iterator[Metric]:
        spider = self._spider_name()
        stats = dict(self._stats())
        yield from self._counters(spider, stats)
        yield from self._labelled_counters(spider, stats)
        yield from self._batch_metrics(spider, stats)
        yield from self._gauges(spider, stats)
        yield from self._load_gauges(spider, self._load())
        yield _all_stats(spider, stats)

    @staticmethod
    def _counters(spider: str, stats: Mapping[str, Any]) -> Iterator[Metric]:
        for name, help_text, key in _COUNTERS:
            family = CounterMetricFamily(PREFIX + name, help_text, labels=["spider"])
            family.add_metric([spider], _number(stats.get(key, 0)))
            yield family

    @staticmethod
    def _labelled_counters(spider: str, stats: Mapping[str, Any]) -> Iterator[Metric]:
        for name, help_text, prefix, label in _LABELLED_COUNTERS:
            family = CounterMetricFamily(PREFIX + name, help_text, labels=["spider", label])
            for key, value in sorted(stats.items()):
                suffix = key[len(prefix) :]
                if key.startswith(prefix) and suffix and "/" not in suffix and suffix != "count":
                    family.add_metric([spider, suffix], _number(value))
            yield family

    @staticmethod
    def _batch_metrics(spider: str, stats: Mapping[str, Any]) -> Iterator[Metric]:
        pipelines = sorted({key.split("/")[1] for key in stats if key.startswith("batch/") and key.count("/") == 2})
        latency = SummaryMetricFamily(
            PREFIX + "batch_write_seconds", "Time spent writing batches, retries included",
            labels=["spider", "pipeline"],
        )
        for pipeline in pipelines:
            latency.add_metric(
                [spider, pipeline],
                count_value=int(_number(stats.get(f"batch/{pipeline}/batches", 0))),
                sum_value=_number(stats.get(f"batch/{pipeline}/write_time", 0)),
            )
        yield latency
        for name, help_text, suffix in _BATCH_COUNTERS:
            family = CounterMetricFamily(PREFIX + name, help_text, labels=["spider", "pipeline"])
            for pipeline in pipelines:
                family.add_metric([spider, pipeline], _number(stats.get(f"batch/{pipeline}/{suffix}", 0)))
            yield family

    def _gauges(self, spider: str, stats: Mapping[str, Any]) -> Iterator[Metric]:
        start = stats.get("start_time")
        started = GaugeMetricFamily(PREFIX + "start_time_seconds", "When the crawl started (Unix time)",
                                    labels=["spider"])
        if isinstance(start, datetime):
            started.add_metric([spider], start.timestamp())
        yield started
        closed = GaugeMetricFamily(PREFIX + "closed", "1 once the spider has closed, by finish_reason",
                                   labels=["spider", "reason"])
        reason = stats.get("finish_reason")
        if reason is not None:
            closed.add_metric([spider, str(reason)], 1)
        yield closed
        lag = GaugeMetricFamily(PREFIX + "event_loop_lag_seconds",
                                "How late the event loop ran its last heartbeat", labels=["spider"])
        lag.add_metric([spider], self._loop_lag())
        yield lag

    @staticmethod
    def _load_gauges(spider: str, load: CrawlLoad) -> Iterator[Metric]:
        for name, help_text, value in (
            ("requests_queued", "Requests waiting in the frontier", load.queued),
            ("requests_in_flight", "Requests handed to the downloader and not yet done", load.in_flight),
            ("requests_pending", "Requests not finished yet (queued, downloading or in a callback)",
             load.pending),
        ):
            family = GaugeMetricFamily(PREFIX + name, help_text, labels=["spider"])
            family.add_metric([spider], value)
            yield family
        slot_in_flight = GaugeMetricFamily(PREFIX + "slot_requests_in_flight",
                                           "Requests in flight per download slot", labels=["spider", "slot"])
        slot_queued = GaugeMetricFamily(PREFIX + "slot_requests_queued",
                                        "Requests queued per download slot", labels=["spider", "slot"])
        for slot in load.slots:
            slot_in_flight.add_metric([spider, slot.key], slot.in_flight)
            slot_queued.add_metric([spider, slot.key], slot.queued)
        yield slot_in_flight
        yield slot_queued


def _all_stats(spider: str, stats: Mapping[str, Any]) -> Metric:
    family = GaugeMetricFamily(PREFIX + "stat", "Every numeric stat, by its stats key", labels=["spider", "key"])
    for key, value in sorted(stats.items()):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            family.add_metric([spider, key], value)
    return family


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) else 0.0
