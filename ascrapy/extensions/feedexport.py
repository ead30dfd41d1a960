"""Feed exports (FEEDS, -o/-O): items written to files by Scrapy's exporters, in batches.

FeedExporter is an extension and, for the engine, a batch sink: the engine hands it lists
of scraped items (FEED_WRITE_BATCH_SIZE items or FEED_WRITE_BATCH_TIMEOUT seconds, whichever
comes first), and each feed writes them in one go. Files are finished on spider_closed,
after the engine has flushed the last partial batch.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import re
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlparse

from ascrapy import signals
from ascrapy.exceptions import NotConfigured, ScrapyDeprecationWarning
from ascrapy.extensions.feedstorage import (  # noqa: F401 - Scrapy's module offers them here
    BlockingFeedStorage,
    FileFeedStorage,
    FTPFeedStorage,
    GCSFeedStorage,
    S3FeedStorage,
    StdoutFeedStorage,
)
from ascrapy.exporters.json_encoder import checked_datetime_format
from ascrapy.extensions.postprocessing import PostProcessingManager
from ascrapy.utils.conf import feed_complete_default_values_from_settings
from ascrapy.utils.misc import LazyObjects, build_from_crawler, load_object
from ascrapy.utils.python import without_none_values

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.extensions.feedexport")

_PLACEHOLDER = re.compile(r"%\([^)]+\)[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa]")


def apply_uri_params(uri_template: str, uri_params: dict[str, Any]) -> str:
    """Fill ``%(name)s`` placeholders; any other ``%`` (e.g. ``%20``) stays as written."""
    pieces: list[str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(uri_template):
        pieces.append(uri_template[position:match.start()].replace("%", "%%"))
        pieces.append(match.group(0))
        position = match.end()
    pieces.append(uri_template[position:].replace("%", "%%"))
    return "".join(pieces) % uri_params


class ItemFilter:
    """Accepts the items of a feed: all, or those of its ``item_classes``."""

    def __init__(self, feed_options: dict[str, Any] | None) -> None:
        self.feed_options = feed_options
        classes = (feed_options or {}).get("item_classes") or ()
        self.item_classes: tuple[type, ...] = tuple(load_object(c) for c in classes)

    def accepts(self, item: Any) -> bool:
        return isinstance(item, self.item_classes) if self.item_classes else True


class FeedSlot:
    """One output file of one feed: its storage, exporter and item count."""

    def __init__(self, *, storage: Any, uri: str, uri_template: str, feed_options: dict[str, Any],
                 exporter_cls: type, batch_id: int, item_filter: ItemFilter, spider: Any) -> None:
        self.storage = storage
        self.uri = uri
        self.uri_template = uri_template
        self.format = feed_options["format"]
        self.store_empty = feed_options["store_empty"]
        self.batch_id = batch_id
        self.filter = item_filter
        self.feed_options = feed_options
        self.spider = spider
        self.itemcount = 0
        self.file: IO[bytes] | None = None
        self.exporter: Any = None
        self._exporter_cls = exporter_cls
        self._exporting = False
        self._exporter_kwargs = {
            "fields_to_export": feed_options["fields"],
            "encoding": feed_options["encoding"],
            "indent": feed_options["indent"],
            **(feed_options.get("item_export_kwargs") or {}),
        }

    def start_exporting(self) -> None:
        if self.file is None:
            self.file = self.storage.open(self.spider)
            if self.feed_options.get("postprocessing"):
                # The exporter writes into the plugin chain, which writes into the storage file.
                self.file = PostProcessingManager(  # type: ignore[assignment]
                    self.feed_options["postprocessing"], self.file, self.feed_options
                )
            self.exporter = self._exporter_cls(self.file, **self._exporter_kwargs)
        if not self._exporting:
            self.exporter.start_exporting()
            self._exporting = True

    def finish_exporting(self) -> None:
        if self._exporting:
            self.exporter.finish_exporting()
            self._exporting = False

    def storage_file(self) -> IO[bytes] | None:
        """The file to hand to the storage: with post-processing, the plugins are closed
        first (writing their last bytes) and the storage's own file is returned."""
        if isinstance(self.file, PostProcessingManager):
            self.file.close()
            return self.file.file
        return self.file


class RollbackMark:
    """Where a feed file ended before a chunk: a failed chunk is cut off there, so that its
    retry writes no duplicate. Only for a plain seekable file whose exporter has written its
    first item (its header or opening bracket is not in the chunk)."""

    __slots__ = ("itemcount", "position")

    def __init__(self, position: int, itemcount: int) -> None:
        self.position = position
        self.itemcount = itemcount

    @classmethod
    def of(cls, slot: FeedSlot) -> RollbackMark | None:
        file = slot.file
        if file is None or not slot.itemcount or isinstance(file, PostProcessingManager):
            return None
        try:
            if not file.seekable():
                return None
            file.flush()
            return cls(file.tell(), slot.itemcount)
        except (OSError, ValueError):
            return None

    def restore(self, slot: FeedSlot) -> None:
        file = slot.file
        assert file is not None
        try:
            file.seek(self.position)
            file.truncate()
        except (OSError, ValueError) as error:
            logger.warning("Could not cut a failed batch off %(uri)s (%(error)s): a retry may repeat its "
                           "first items", {"uri": slot.uri, "error": error})
        slot.itemcount = self.itemcount


class FeedExporter:
    """Writes scraped items to every configured feed."""

    def __init__(self, crawler: CrawlerProtocol) -> None:
        self.crawler = crawler
        self.settings = crawler.settings
        self.feeds: dict[str, dict[str, Any]] = {}
        self.slots: list[FeedSlot] = []
        self.filters: dict[str, ItemFilter] = {}
        self._datetime_format = checked_datetime_format(self.settings["FEED_EXPORT_DATETIME_FORMAT"])
        if self.settings["FEED_URI"]:  # the one feed of projects older than FEEDS
            warnings.warn(
                "The `FEED_URI` and `FEED_FORMAT` settings have been deprecated in favor of the `FEEDS` "
                "setting. Please see the `FEEDS` setting docs for more details",
                ScrapyDeprecationWarning, stacklevel=2,
            )
            self._add_feed(self.settings["FEED_URI"], {"format": self.settings["FEED_FORMAT"]})
        for uri, options in self.settings.getdict("FEEDS").items():  # FEEDS wins over FEED_URI
            self._add_feed(uri, options)
        if not self.feeds:
            raise NotConfigured
        self.storages = dict(without_none_values(self.settings.getwithbase("FEED_STORAGES")))
        self.exporters = LazyObjects(without_none_values(self.settings.getwithbase("FEED_EXPORTERS")))
        for uri, options in self.feeds.items():
            if not (self._storage_supported(uri, options) and self._batch_uri_is_valid(uri, options)
                    and self._exporter_supported(options["format"])):
                raise NotConfigured
        self.batch_size = max(self.settings.getint("FEED_WRITE_BATCH_SIZE", 100), 1)
        self.batch_timeout = self.settings.getfloat("FEED_WRITE_BATCH_TIMEOUT", 1.0)
        # The batch being written and, per feed, how many of its items are written: what a
        # retry of that batch skips.
        self._unfinished: tuple[list[Any], dict[int, int]] | None = None
        self._closing: list[asyncio.Future[None]] = []  # files that item_scraped filled

    def _add_feed(self, uri: str | Path, options: dict[str, Any]) -> None:
        """A feed with its options completed from the FEED_* settings; a Path URI is made
        absolute and the format, when not set, is the URI's file extension."""
        uri = str(uri.absolute()) if isinstance(uri, Path) else str(uri)
        feed = self.feeds[uri] = feed_complete_default_values_from_settings(options, self.settings, uri)
        if self._datetime_format != "iso":  # only then: exporters of Scrapy's kind need not know the option
            feed["item_export_kwargs"] = {"datetime_format": self._datetime_format, **feed["item_export_kwargs"]}
        self.filters[uri] = load_object(options.get("item_filter", ItemFilter))(options)

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> FeedExporter:
        exporter = cls(crawler)
        crawler.signals.connect(exporter.open_spider, signals.spider_opened)
        crawler.signals.connect(exporter.close_spider, signals.spider_closed)
        return exporter

    def _storage_supported(self, uri: str, options: dict[str, Any]) -> bool:
        """Build the feed's storage once now, so a missing library or a bad URI is said at
        start, not when the first item arrives."""
        scheme = urlparse(uri).scheme
        if scheme not in self.storages and len(scheme) > 1:  # one letter: a Windows drive
            logger.error("Unknown feed storage scheme: %(scheme)s", {"scheme": scheme})
            return False
        try:
            self._storage(uri, options)
        except NotConfigured as error:
            logger.error(
                "Disabled feed storage scheme: %(scheme)s. Reason: %(reason)s",
                {"scheme": scheme, "reason": str(error)},
            )
            return False
        return True

    @staticmethod
    def _batch_uri_is_valid(uri: str, options: dict[str, Any]) -> bool:
        """A feed split into files of batch_item_count items needs a URI that differs per file."""
        if options["batch_item_count"] and not re.search(r"%\(batch_time\)s|%\(batch_id\)", uri):
            logger.error(
                "%%(batch_time)s or %%(batch_id)d must be in the feed URI (%s) if "
                "FEED_EXPORT_BATCH_ITEM_COUNT setting or FEEDS.batch_item_count is specified and "
                "greater than 0.",
                uri,
            )
            return False
        return True

    def _exporter_supported(self, format_: str) -> bool:
        if format_ in self.exporters:
            return True
        if format_:
            logger.error("Unknown feed format: %(format)s", {"format": format_})
        else:
            logger.error(
                "Feed format not set and it could not be inferred from the feed URI; set it "
                "explicitly with the 'format' key"
            )
        return False

    def _storage(self, uri: str, options: dict[str, Any]) -> Any:
        storage_cls = load_object(self.storages.get(urlparse(uri).scheme, self.storages.get("file", FileFeedStorage)))
        return build_from_crawler(storage_cls, self.crawler, uri, feed_options=options)

    def open_spider(self, spider: Any) -> None:
        for uri, options in self.feeds.items():
            params = self._uri_params(spider, options["uri_params"])
            self.slots.append(self._new_slot(1, apply_uri_params(uri, params), options, spider, uri))

    def _new_slot(self, batch_id: int, uri: str, options: dict[str, Any], spider: Any,
                  template: str) -> FeedSlot:
        return FeedSlot(storage=self._storage(uri, options), uri=uri, uri_template=template, feed_options=options,
                        exporter_cls=self.exporters[options["format"]], batch_id=batch_id,
                        item_filter=self.filters[template], spider=spider)

    def _uri_params(self, spider: Any, function: Any, slot: FeedSlot | None = None) -> dict[str, Any]:
        params = {name: getattr(spider, name) for name in dir(spider) if not name.startswith("__")}
        now = datetime.now(tz=timezone.utc)
        params["time"] = now.replace(microsecond=0).isoformat().replace(":", "-")
        params["batch_time"] = now.isoformat().replace(":", "-")
        params["batch_id"] = slot.batch_id + 1 if slot is not None else 1
        params["worker"] = spider.crawler.settings.getint("WORKER_INDEX") if getattr(spider, "crawler", None) else 0
        if function:
            updated = load_object(function)(params, spider)
            if updated is not None:
                return updated
        return params

    async def process_batch(self, items: list[Any]) -> None:
        """Export a batch of scraped items to every feed that accepts them.

        A batch that fails is retried by the batch stage with the same list: what this
        batch already wrote (whole feeds, whole chunks) is skipped then, and the chunk that
        failed is cut off its file where the file allows it, so a retry adds no duplicate.
        """
        retry = self._unfinished
        written = retry[1] if retry is not None and retry[0] is items else {}
        self._unfinished = (items, written)
        for position in range(len(self.slots)):
            slot = self.slots[position]
            accepted = [item for item in items if slot.filter.accepts(item)][written.get(position, 0):]
            while accepted:
                limit = self.feeds[slot.uri_template]["batch_item_count"]
                if limit and slot.itemcount >= limit:  # this file is full: the next one
                    slot = self.slots[position] = await self._next_file(slot)
                room = limit - slot.itemcount if limit else len(accepted)
                chunk, accepted = accepted[:room], accepted[room:]
                self._export(slot, chunk)
                written[position] = written.get(position, 0) + len(chunk)
            limit = self.feeds[slot.uri_template]["batch_item_count"]
            if limit and slot.itemcount >= limit:
                self.slots[position] = await self._next_file(slot)
        self._unfinished = None

    @staticmethod
    def _export(slot: FeedSlot, chunk: list[Any]) -> None:
        """Write ``chunk`` to the slot's file and flush it (a batch on disk survives a crash
        of the process); on failure, cut what was written of it where the file allows."""
        slot.start_exporting()
        mark = RollbackMark.of(slot)
        try:
            export_items = getattr(slot.exporter, "export_items", None)
            if export_items is not None:
                export_items(chunk)
            else:
                for item in chunk:
                    slot.exporter.export_item(item)
            flush = getattr(slot.file, "flush", None)
            if flush is not None:
                flush()
        except Exception:
            if mark is not None:
                mark.restore(slot)
            raise
        slot.itemcount += len(chunk)

    async def _next_file(self, slot: FeedSlot) -> FeedSlot:
        """Close a full file of a batch_item_count feed; the slot of its next file."""
        await self._close_slot(slot, slot.spider)
        return self._following_slot(slot)

    def _following_slot(self, slot: FeedSlot) -> FeedSlot:
        options = self.feeds[slot.uri_template]
        params = self._uri_params(slot.spider, options["uri_params"], slot)
        return self._new_slot(slot.batch_id + 1, apply_uri_params(slot.uri_template, params),
                              options, slot.spider, slot.uri_template)

    def item_scraped(self, item: Any, spider: Any) -> None:
        """Write one item now: Scrapy's per-item entry, for code that calls it (the crawl
        itself writes in batches through process_batch). A full file of a batch_item_count
        feed is closed in the background; close_spider waits for it."""
        for position, slot in enumerate(self.slots):
            if not slot.filter.accepts(item):
                continue
            self._export(slot, [item])
            limit = self.feeds[slot.uri_template]["batch_item_count"]
            if limit and slot.itemcount >= limit:
                self._closing.append(asyncio.ensure_future(self._close_slot(slot, spider)))
                self.slots[position] = self._following_slot(slot)

    async def close_spider(self, spider: Any) -> None:
        closing, self._closing = self._closing, []
        await asyncio.gather(*closing)
        for slot in self.slots:
            await self._close_slot(slot, spider)
        self.slots = []
        await self.crawler.signals.send_catch_log_async(signals.feed_exporter_closed)

    async def _close_slot(self, slot: FeedSlot, spider: Any) -> None:
        if slot.itemcount:
            slot.finish_exporting()
        elif slot.store_empty and slot.batch_id == 1:
            slot.start_exporting()
            slot.finish_exporting()
        else:
            return
        description = f"{slot.format} feed ({slot.itemcount} items) in: {slot.uri}"
        storage_type = type(slot.storage).__name__
        try:
            result = slot.storage.store(slot.storage_file())
            if inspect.isawaitable(result):
                await result
        except Exception:
            logger.error("Error storing %s", description, exc_info=True, extra={"spider": spider})
            self.crawler.stats.inc_value(f"feedexport/failed_count/{storage_type}")
        else:
            logger.info("Stored %s", description, extra={"spider": spider})
            self.crawler.stats.inc_value(f"feedexport/success_count/{storage_type}")
        await self.crawler.signals.send_catch_log_async(signals.feed_slot_closed, slot=slot)
