"""Spiders whose start requests come from a Kafka topic: ``KafkaSpider`` and
``KafkaCrawlSpider`` (a CrawlSpider with rules).

Every pod of a spider joins one consumer group (KAFKA_GROUP_ID, default the spider's name)
and reads its share of KAFKA_START_URLS_TOPIC (default ``<name>.start_urls``); a rebalance
hands a dead pod's partitions to the others. A message is a URL or a JSON object
(ascrapy.kafka.messages); its request carries ``meta["kafka_message"]`` (topic, partition,
offset), and so do its redirects and retries.

At least once: a message is committed only once every request it led to (its page, the
pages its links led to, their redirects and retries) is finished and every item of those
requests has landed in every batch sink (ascrapy.engine.lineage). A ``kill -9`` loses
nothing: the group reads the uncommitted messages again.

A message that is not a URL nor valid JSON, names an unknown callback, or whose own request
fails for good (retries spent, an HTTP error status, its callback raises) goes to
KAFKA_RETRY_TOPIC while attempts remain (when set), then to KAFKA_DEAD_LETTER_TOPIC
(ascrapy.kafka.failures); the crawl goes on. Failures of the pages it led to are the
crawl's usual errors, logged and counted, not the message's.
"""

from __future__ import annotations

from typing import Any

from ascrapy import signals
from ascrapy.engine.frontier import Frontier
from ascrapy.engine.lineage import LineageUnsupported, Origin, OriginTracker
from ascrapy.exceptions import CloseSpider
from ascrapy.failure import Failure
from ascrapy.http import Request
from ascrapy.kafka import messages
from ascrapy.kafka.config import KafkaSourceConfig
from ascrapy.kafka.connection import KafkaUnreachableError
from ascrapy.kafka.failures import FailureRouter
from ascrapy.kafka.messages import BadMessage, KafkaRecord
from ascrapy.kafka.source import InFlightMessage, KafkaSource
from ascrapy.spiders import Spider
from ascrapy.spiders.crawl import CrawlSpider
from ascrapy.utils.misc import load_object

KAFKA_MESSAGE_KEY = "kafka_message"
"""The request meta key naming the message a request was made from (and its redirects, retries)."""

KAFKA_ERROR = "kafka_error"
"""The finish reason of a crawl that could not read its topic (broker away at start, group refused)."""


class KafkaSpiderMixin:
    """Start requests from Kafka (see the module docstring); mixed into a Spider class."""

    name: str
    kafka_config: KafkaSourceConfig
    crawler: Any
    settings: Any
    logger: Any

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
        setting = crawler.settings["SCHEDULER"]
        scheduler = load_object(setting)
        if isinstance(scheduler, type) and issubclass(scheduler, Frontier) and not scheduler.follows_lineage:
            raise LineageUnsupported(
                f"{cls.__name__} commits a Kafka message only when every request it led to is done, "
                f"which SCHEDULER = {setting!r} cannot tell (another worker may take those requests): "
                "run Kafka spiders on the default scheduler, with JOBDIR for a durable queue; the consumer "
                "group already shares the topic between pods"
            )
        spider = super().from_crawler(crawler, *args, **kwargs)  # type: ignore[misc]
        spider.kafka_config = KafkaSourceConfig.from_settings(crawler.settings, spider.name)  # errors early
        crawler.signals.connect(spider._kafka_spider_error, signals.spider_error)
        crawler.signals.connect(spider._kafka_closed, signals.spider_closed)
        return spider

    async def start(self) -> Any:
        """The requests of the start topic's messages, for as long as the spider runs (or
        until the group has drained the topic, with KAFKA_IDLE_CLOSE_SECONDS)."""
        crawler, config = self.crawler, self.kafka_config
        self.kafka_tracker: OriginTracker[InFlightMessage] = OriginTracker()
        crawler.engine.frontier.follow(self.kafka_tracker)
        self.kafka_router = FailureRouter(config, crawler.stats)
        self.kafka_source = KafkaSource(config, crawler.stats, busy=lambda: bool(self.kafka_router.pending),
                                        closing=lambda: crawler.engine.close_reason is not None)
        try:
            await self.kafka_router.open()
            await self.kafka_source.open()
        except KafkaUnreachableError as error:
            self.logger.error("%(error)s", {"error": error})
            raise CloseSpider(KAFKA_ERROR) from None
        async for message in self.kafka_source.messages():
            origin = self.kafka_tracker.begin(message, self._kafka_message_done)
            try:
                request = self.make_request_from_message(message.record)
            except BadMessage as error:
                origin.fail(error.reason, error)
                origin.release()
                continue
            self.kafka_tracker.stamp(request, origin)
            try:
                yield request
            finally:
                origin.release()
        if self.kafka_source.failure is not None:
            raise CloseSpider(KAFKA_ERROR)

    def make_request_from_message(self, record: KafkaRecord) -> Request:
        """The request a start message asks for; BadMessage when there is none (override
        this for messages of another shape)."""
        spec = messages.parse_start_message(record.value)
        callback = None
        if spec.callback is not None:
            callback = getattr(self, spec.callback, None)
            if not callable(callback):
                raise BadMessage(messages.UNKNOWN_CALLBACK, f"the spider has no method {spec.callback!r}")
        where = {"topic": record.topic, "partition": record.partition, "offset": record.offset}
        try:
            return Request(
                spec.url, callback=callback, errback=self.kafka_request_failed, priority=spec.priority,
                meta={**spec.meta, KAFKA_MESSAGE_KEY: where},
                dont_filter=messages.attempts_made(record.headers) > 0,  # a retry: the URL was seen
            )
        except (ValueError, TypeError) as error:
            raise BadMessage(messages.MALFORMED, str(error)) from None

    def kafka_request_failed(self, failure: Failure) -> None:
        """The errback of a message's request: it failed for good (retries spent, an HTTP
        error status, a download error). Call it from an override to keep the routing."""
        request = failure.request
        self.logger.warning("The request of Kafka message %(where)s failed: %(request)s: %(error)s",
                            {"where": _where(request), "request": request, "error": failure.value})
        self._kafka_failed(request, messages.REQUEST_FAILED, failure.value)

    def _kafka_spider_error(self, failure: Failure, response: Any, spider: Any) -> None:
        """A callback raised: when it was a message's own request's, the message failed."""
        request = getattr(response, "request", None)
        if request is not None and request.meta.get(KAFKA_MESSAGE_KEY) is not None:
            self._kafka_failed(request, messages.CALLBACK_ERROR, failure.value)

    def _kafka_failed(self, request: Request, reason: str, error: BaseException) -> None:
        origin = self.kafka_tracker.origin_of(request)
        if origin is not None:
            origin.fail(reason, error)

    def _kafka_message_done(self, origin: Origin[InFlightMessage]) -> None:
        message = origin.job
        stats = self.crawler.stats
        if origin.failure is None:
            stats.inc_value("kafka/messages/done")
            message.finish()
            return
        stats.inc_value("kafka/messages/failed")
        reason, error = origin.failure
        self.kafka_router.route(message.record, reason, error, message.finish)

    async def _kafka_closed(self, spider: Any, reason: str) -> None:
        """Send on the failed messages still on their way, commit what is done, leave the group."""
        source = getattr(self, "kafka_source", None)
        if source is None:
            return
        source.stop()
        await self.kafka_router.close(timeout=source.config.connection.connect_timeout)
        await source.close()


def _where(request: Request) -> str:
    where = request.meta.get(KAFKA_MESSAGE_KEY) or {}
    return f"{where.get('topic')}[{where.get('partition')}]@{where.get('offset')}"


class KafkaSpider(KafkaSpiderMixin, Spider):
    """A Spider whose start requests come from KAFKA_START_URLS_TOPIC."""


class KafkaCrawlSpider(KafkaSpiderMixin, CrawlSpider):
    """A CrawlSpider (rules) whose start requests come from KAFKA_START_URLS_TOPIC."""
