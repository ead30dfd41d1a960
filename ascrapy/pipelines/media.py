"""The base of the media pipelines (scrapy.pipelines.media): items name URLs, the pipeline
downloads them beside the crawl and hands the outcomes to ``item_completed``.

Each spider has one cache of downloads keyed by request fingerprint: a URL that several
items name is fetched once, and every item that needs it waits on an asyncio future for
the same outcome (a file info or a Failure).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import warnings
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypedDict, cast

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.failure import Failure
from ascrapy.http.request import NO_CALLBACK, Request
from ascrapy.middleware._compat import warn_spider_arg
from ascrapy.utils.datatypes import SequenceExclude
from ascrapy.utils.misc import arg_to_iter
from ascrapy.utils.python import global_object_name
from ascrapy.utils.log import failure_to_exc_info

if TYPE_CHECKING:
    from typing import Self

    from ascrapy.http import Response
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.pipelines.media")


class FileInfo(TypedDict):
    """What a media pipeline reports for one stored file."""

    url: str
    path: str
    checksum: str | None
    status: str


FileInfoOrError: TypeAlias = tuple[Literal[True], FileInfo] | tuple[Literal[False], Failure]


class FileException(Exception):
    """A media file could not be downloaded or stored."""


class _MediaRequestFiltered(FileException):
    """A media request that a component filtered out (offsite, robots.txt): an expected
    outcome, so it is logged at DEBUG without a traceback rather than as an error."""


def _media_request_filtered(failure: Failure) -> bool:
    return isinstance(failure.value, _MediaRequestFiltered)


class MediaPipeline(ABC):
    """Downloads the media requests of each item once per spider and reports the outcomes."""

    LOG_FAILED_RESULTS: bool = True

    class SpiderInfo:
        """Per-spider download state: in flight, finished (the cache), and who waits."""

        def __init__(self, spider: Any):
            self.spider = spider
            self.downloading: set[bytes] = set()
            self.downloaded: dict[bytes, Any] = {}
            self.waiting: defaultdict[bytes, list[asyncio.Future[Any]]] = defaultdict(list)

    def __init__(self, download_func: None = None, *, crawler: CrawlerProtocol):
        if download_func is not None:
            warnings.warn(
                "The download_func argument of MediaPipeline.__init__() is ignored"
                " and will be removed in a future Scrapy version.",
                category=ScrapyDeprecationWarning,
                stacklevel=2,
            )
        self.crawler = crawler
        self._fingerprinter = crawler.request_fingerprinter
        key = self._key_for_pipe("MEDIA_ALLOW_REDIRECTS", base_class_name="MediaPipeline",
                                 settings=crawler.settings)
        self.allow_redirects: bool = crawler.settings.getbool(key, False)
        self._handle_statuses(self.allow_redirects)

    def _handle_statuses(self, allow_redirects: bool) -> None:
        """Media responses of every status reach media_downloaded; with redirects allowed,
        3xx are left to the redirect middleware."""
        self.handle_httpstatus_list: SequenceExclude | None = None
        if allow_redirects:
            self.handle_httpstatus_list = SequenceExclude(range(300, 400))

    def _key_for_pipe(self, key: str, base_class_name: str | None = None, settings: Any = None) -> str:
        """The setting name for ``key``: a subclass reads ``<CLASSNAME>_<key>`` when that
        setting is set, so two pipelines of one family can be configured apart."""
        class_name = type(self).__name__
        prefixed = f"{class_name.upper()}_{key}"
        if not base_class_name or class_name == base_class_name:
            return key
        if settings is not None and not settings.get(prefixed):
            return key
        return prefixed

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> Self:
        return cls(crawler=crawler)

    def open_spider(self, spider: Any = None) -> None:
        if spider is not None:
            warn_spider_arg(f"{type(self).__qualname__}.open_spider")
        self.spiderinfo = self.SpiderInfo(self.crawler.spider or spider)

    async def process_item(self, item: Any, spider: Any = None) -> Any:
        if spider is not None:
            warn_spider_arg(f"{type(self).__qualname__}.process_item")
        info = self.spiderinfo
        requests = list(arg_to_iter(self.get_media_requests(item, info)))
        if len(requests) == 1:
            results = [await self._outcome(requests[0], info, item)]
        elif requests:
            results = list(await asyncio.gather(*(self._outcome(r, info, item) for r in requests)))
        else:
            results = []
        return self.item_completed(results, item, info)

    # -- one request: from the cache, from another item's download, or downloaded here ----

    async def _outcome(self, request: Request, info: SpiderInfo, item: Any) -> FileInfoOrError:
        """(True, file info) or (False, Failure) for one media request of ``item``."""
        fp = self._fingerprinter.fingerprint(request)
        errback = request.errback
        request.callback = NO_CALLBACK
        request.errback = None
        if fp in info.downloaded:
            return await self._deliver(info.downloaded[fp], errback)

        waiter: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        info.waiting[fp].append(waiter)
        if fp in info.downloading:
            return await self._deliver(await waiter, errback)

        info.downloading.add(fp)
        try:
            result = await self._download_result(request, info, item)
        except BaseException as error:  # cancelled: wake the waiters, cache nothing
            self._release_waiters(Failure(error), fp, info, cache=False)
            raise
        self._cache_result_and_execute_waiters(result, fp, info)
        return await self._deliver(waiter.result(), errback)

    async def _download_result(self, request: Request, info: SpiderInfo, item: Any) -> Any:
        """The file info from media_to_download or the download, or the Failure."""
        try:
            file_info = self.media_to_download(request, info, item=item)
            if inspect.isawaitable(file_info):
                file_info = await file_info
            if file_info:
                return file_info
            return await self._check_media_to_download(request, info, item=item)
        except Exception as error:
            failure = Failure(error)
            if not _media_request_filtered(failure):
                logger.error(failure, exc_info=failure.exc_info(), extra={"spider": info.spider})
            return failure

    @staticmethod
    async def _deliver(result: Any, errback: Callable[[Failure], Any] | None) -> FileInfoOrError:
        """The outcome for one request: a Failure goes through the request's errback, which
        may recover it into a result (as a Twisted errback would)."""
        if not isinstance(result, Failure):
            return True, result
        if errback is None:
            return False, result
        try:
            recovered = errback(result)
            if inspect.isawaitable(recovered):
                recovered = await recovered
        except Exception as error:
            return False, Failure(error)
        if isinstance(recovered, Failure):
            return False, recovered
        return True, recovered

    def _modify_media_request(self, request: Request) -> None:
        if self.handle_httpstatus_list:
            request.meta["handle_httpstatus_list"] = self.handle_httpstatus_list
        else:
            request.meta["handle_httpstatus_all"] = True

    async def _check_media_to_download(self, request: Request, info: SpiderInfo, item: Any) -> Any:
        """Download ``request`` through the downloader middlewares and hand the response to
        media_downloaded, or the error to media_failed."""
        try:
            self._modify_media_request(request)
            response = await self.crawler.engine.download_async(request)
            result = self.media_downloaded(response, request, info, item=item)
            if inspect.isawaitable(result):
                result = await result
            return result
        except Exception as error:
            handled = self.media_failed(Failure(error), request, info)
            if isinstance(handled, Failure):
                warnings.warn(
                    f"{global_object_name(self.media_failed)} returned a Failure instance. This is "
                    "deprecated, please raise an exception instead, e.g. via failure.raiseException().",
                    category=ScrapyDeprecationWarning,
                    stacklevel=2,
                )
                handled.raiseException()
            return handled

    def _cache_result_and_execute_waiters(self, result: Any, fp: bytes, info: SpiderInfo) -> None:
        """Keep ``result`` for later items and wake every item waiting for it."""
        if isinstance(result, Failure):
            _forget_frames(result)
        self._release_waiters(result, fp, info, cache=True)

    @staticmethod
    def _release_waiters(result: Any, fp: bytes, info: SpiderInfo, *, cache: bool) -> None:
        info.downloading.discard(fp)
        if cache:
            info.downloaded[fp] = result
        for waiter in info.waiting.pop(fp, ()):
            if not waiter.done():
                waiter.set_result(result)

    # -- what subclasses implement ----------------------------------------------------------

    @abstractmethod
    def media_to_download(self, request: Request, info: SpiderInfo, *, item: Any = None) -> Any:
        """A file info when the media needs no download (up to date), else None; may be awaitable."""
        raise NotImplementedError

    @abstractmethod
    def get_media_requests(self, item: Any, info: SpiderInfo) -> list[Request]:
        """The media requests of ``item``."""
        raise NotImplementedError

    @abstractmethod
    def media_downloaded(
        self, response: Response, request: Request, info: SpiderInfo, *, item: Any = None
    ) -> FileInfo | Awaitable[FileInfo]:
        """Store a downloaded response; return its file info."""
        raise NotImplementedError

    @abstractmethod
    def media_failed(self, failure: Failure, request: Request, info: SpiderInfo) -> Any:
        """Handle a failed download, usually by raising."""
        raise NotImplementedError

    def item_completed(self, results: list[FileInfoOrError], item: Any, info: SpiderInfo) -> Any:
        """Called once all media of ``item`` are processed; logs the failures by default."""
        if self.LOG_FAILED_RESULTS:
            for ok, value in results:
                if ok:
                    continue
                failure = cast(Failure, value)  # what a failed download gives
                if _media_request_filtered(failure):
                    continue
                logger.error(
                    "%(class)s found errors processing %(item)s",
                    {"class": type(self).__name__, "item": item},
                    exc_info=failure_to_exc_info(failure),
                    extra={"spider": info.spider},
                )
        return item

    @abstractmethod
    def file_path(
        self, request: Request, response: Response | None = None, info: SpiderInfo | None = None,
        *, item: Any = None,
    ) -> str:
        """The path, relative to the store, where the media of ``request`` is kept."""
        raise NotImplementedError


def _forget_frames(failure: Failure) -> None:
    """Drop the tracebacks of a cached failure: their frames would keep every request and
    response of the failed download alive for the rest of the crawl."""
    failure.tb = None
    seen: set[int] = set()
    error: BaseException | None = failure.value
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        error.__traceback__ = None
        if isinstance(error.__context__, StopIteration):
            error.__context__ = None
        error = error.__cause__ or error.__context__
