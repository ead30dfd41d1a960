"""Metrics: Prometheus text at /metrics and a liveness answer at /healthz, during the crawl.

Off unless METRICS_PORT is set. The server runs on the crawl's own event loop, bound to
METRICS_HOST (127.0.0.1 by default; the container image sets 0.0.0.0 so that Prometheus
and the kubelet reach it), from engine start to engine stop:

- ``GET /metrics``: the crawl's stats and load (ascrapy.utils.metric_families), and the
  process's memory and CPU, in Prometheus' text format. Needs prometheus-client
  (``pip install 'ascrapy[metrics]'``).
- ``GET /healthz``: 200 with a small JSON body while the event loop turns. A loop that is
  stuck cannot answer, so the probe times out; right after a stall longer than
  METRICS_MAX_LOOP_LAG seconds it answers 503 once.

A short crawl may end between two scrapes and its last numbers would never be seen:
METRICS_CLOSE_WAIT keeps the server up after a crawl that finished by itself until the next
scrape or for that many seconds, whichever comes first (never after a shutdown signal,
whose grace period is for draining).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import TYPE_CHECKING

from ascrapy import signals
from ascrapy.exceptions import NotConfigured
from ascrapy.utils._http_server import HttpRequest, HttpResponse, SmallHttpServer
from ascrapy.utils.crawl_load import crawl_load
from ascrapy.utils.loop_heartbeat import LoopHeartbeat

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.extensions.metrics")

PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Metrics:
    """Serves /metrics and /healthz on METRICS_HOST:METRICS_PORT while the engine runs."""

    def __init__(self, crawler: CrawlerProtocol) -> None:
        settings = crawler.settings
        self.port = settings.getint("METRICS_PORT")
        if not self.port:
            raise NotConfigured
        self.host = settings.get("METRICS_HOST") or "127.0.0.1"
        self.close_wait = settings.getfloat("METRICS_CLOSE_WAIT")
        self.max_loop_lag = settings.getfloat("METRICS_MAX_LOOP_LAG")
        self.crawler = crawler
        self.heartbeat = LoopHeartbeat()
        self.registry = _build_registry(crawler, self)
        self.server: SmallHttpServer | None = None
        self._final = False  # the crawl is over: the next scrape sees its final numbers
        self._final_scrape = asyncio.Event()
        crawler.signals.connect(self.engine_started, signal=signals.engine_started)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> Metrics:
        return cls(crawler)

    async def engine_started(self) -> None:
        self.heartbeat.start()
        server = SmallHttpServer(
            {("GET", "/metrics"): self.handle_metrics, ("GET", "/healthz"): self.handle_healthz},
            host=self.host, port=self.port,
        )
        try:
            await server.start()
        except OSError as error:
            logger.error("Metrics server could not listen on %(host)s:%(port)s: %(error)s",
                         {"host": self.host, "port": self.port, "error": error},
                         extra={"crawler": self.crawler})
            return
        self.server = server
        logger.info("Metrics on http://%(host)s:%(port)s/metrics, health on /healthz",
                    {"host": self.host, "port": server.port}, extra={"crawler": self.crawler})

    async def engine_stopped(self) -> None:
        self._final = True
        stopped_by_signal = self.crawler.stats.get_value("finish_reason") == "shutdown"
        if self.server is not None and self.close_wait > 0 and not stopped_by_signal:
            try:
                await asyncio.wait_for(self._final_scrape.wait(), self.close_wait)
            except TimeoutError:
                pass
        server, self.server = self.server, None
        if server is not None:
            await server.stop()
        await self.heartbeat.stop()

    async def handle_metrics(self, request: HttpRequest) -> HttpResponse:
        from prometheus_client import generate_latest  # noqa: PLC0415 - checked in _build_registry

        body = generate_latest(self.registry)
        if self._final:
            self._final_scrape.set()
        return HttpResponse(200, body, content_type=PROMETHEUS_CONTENT_TYPE)

    async def handle_healthz(self, request: HttpRequest) -> HttpResponse:
        lag = self.heartbeat.current_lag()
        healthy = lag <= self.max_loop_lag
        body = {"status": "ok" if healthy else "event loop stalled", "loop_lag_seconds": round(lag, 3),
                "max_loop_lag_seconds": round(max(lag, self.heartbeat.max_lag), 3)}
        return HttpResponse(200 if healthy else 503, json.dumps(body).encode("ascii"))

    def spider_name(self) -> str:
        spider = self.crawler.spider
        return str(getattr(spider, "name", "")) or str(getattr(self.crawler.spidercls, "name", ""))


def _build_registry(crawler: CrawlerProtocol, metrics: Metrics) -> CollectorRegistry:
    try:
        from prometheus_client import CollectorRegistry, PlatformCollector, ProcessCollector  # noqa: PLC0415
    except ImportError:
        logger.error("METRICS_PORT is set, but prometheus-client is not installed: "
                     "pip install 'ascrapy[metrics]'", extra={"crawler": crawler})
        raise NotConfigured("prometheus-client is not installed") from None
    from ascrapy.utils.metric_families import CrawlMetrics  # noqa: PLC0415 - imports prometheus_client

    registry = CollectorRegistry(auto_describe=False)
    registry.register(CrawlMetrics(
        spider_name=metrics.spider_name,
        stats=lambda: crawler.stats.get_stats(),
        load=lambda: crawl_load(crawler.engine),
        loop_lag=metrics.heartbeat.current_lag,
    ))
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    return registry
