"""FilesPipeline and its stores (scrapy.pipelines.files): download the URLs an item lists
in ``file_urls`` and keep them under FILES_STORE, named by the SHA1 of the URL.

Disk work (hashing, writing, the FTP and cloud clients) runs in worker threads, so the
event loop keeps downloading while files are stored. The local store is here; the S3, GCS
and FTP stores live in ascrapy.pipelines._remote_stores and are re-exported here.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import logging
import mimetypes
import time
import warnings
from collections import defaultdict
from contextlib import suppress
from importlib.util import find_spec
from io import BytesIO
from os import PathLike
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, ClassVar, NoReturn, Protocol, TypedDict
from urllib.parse import urlparse

from itemadapter import ItemAdapter

from ascrapy.exceptions import IgnoreRequest, NotConfigured, ScrapyDeprecationWarning
from ascrapy.http import Request, Response
from ascrapy.http.request import NO_CALLBACK
from ascrapy.pipelines._remote_stores import FTPFilesStore, GCSFilesStore, S3FilesStore
from ascrapy.pipelines.media import FileException as _FileException
from ascrapy.pipelines.media import FileInfo, FileInfoOrError, MediaPipeline, _MediaRequestFiltered
from ascrapy.utils.httpobj import urlparse_cached
from ascrapy.utils.python import to_bytes
from ascrapy.utils.request import referer_str

if TYPE_CHECKING:
    from typing import Self

    from ascrapy.failure import Failure
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.pipelines.files")


def _md5sum(file: IO[bytes]) -> str:
    """The hex MD5 of a file object, read in chunks from its current position."""
    digest = hashlib.md5()  # noqa: S324 - a checksum, not security
    for chunk in iter(lambda: file.read(65536), b""):
        digest.update(chunk)
    return digest.hexdigest()


def is_botocore_available() -> bool:
    return find_spec("botocore") is not None


class StatInfo(TypedDict, total=False):
    checksum: str
    last_modified: float


class FilesStoreProtocol(Protocol):
    def __init__(self, basedir: str): ...

    def persist_file(self, path: str, buf: BytesIO, info: MediaPipeline.SpiderInfo,
                     meta: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> Any: ...

    def stat_file(self, path: str, info: MediaPipeline.SpiderInfo) -> StatInfo | Any: ...


class FSFilesStore:
    """Files on the local disk, under ``basedir`` (a path or a file:// URI).

    Its methods block; the pipeline calls them in a worker thread."""

    def __init__(self, basedir: str | PathLike[str]):
        basedir = str(basedir)
        if "://" in basedir:
            basedir = basedir.split("://", 1)[1]
        self.basedir: str = basedir
        self._mkdir(Path(self.basedir))
        self.created_directories: defaultdict[Any, set[str]] = defaultdict(set)

    def persist_file(self, path: str | PathLike[str], buf: BytesIO, info: MediaPipeline.SpiderInfo,
                     meta: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> None:
        target = self._get_filesystem_path(path)
        self._mkdir(target.parent, info)
        target.write_bytes(buf.getvalue())

    def stat_file(self, path: str | PathLike[str], info: MediaPipeline.SpiderInfo) -> StatInfo:
        target = self._get_filesystem_path(path)
        try:
            last_modified = target.stat().st_mtime
            with target.open("rb") as file:
                checksum = _md5sum(file)
        except OSError:
            return {}
        return {"last_modified": last_modified, "checksum": checksum}

    def _get_filesystem_path(self, path: str | PathLike[str]) -> Path:
        return Path(self.basedir, *str(path).split("/"))

    def _mkdir(self, dirname: Path, domain: Any = None) -> None:
        made = self.created_directories[domain] if domain is not None else set()
        key = str(dirname)
        if key not in made:
            dirname.mkdir(parents=True, exist_ok=True)
            made.add(key)


async def _call_store(store: Any, method: str, *args: Any, **kwargs: Any) -> Any:
    """Call a store method: FSFilesStore's own blocking methods in a worker thread, any
    other in the loop (awaited when it returns an awaitable)."""
    function = getattr(store, method)
    if getattr(type(store), method, None) is getattr(FSFilesStore, method):
        return await asyncio.to_thread(function, *args, **kwargs)
    result = function(*args, **kwargs)
    if inspect.isawaitable(result):
        result = await result
    return result


class FilesPipeline(MediaPipeline):
    """Stores the files an item lists; a file stored fewer than FILES_EXPIRES days ago is
    reported ``uptodate`` without downloading it again."""

    MEDIA_NAME: str = "file"
    EXPIRES: int = 90
    STORE_SCHEMES: ClassVar[dict[str, type[Any]]] = {
        "": FSFilesStore, "file": FSFilesStore, "s3": S3FilesStore, "gs": GCSFilesStore, "ftp": FTPFilesStore,
    }
    DEFAULT_FILES_URLS_FIELD: str = "file_urls"
    DEFAULT_FILES_RESULT_FIELD: str = "files"
    _STORE_SETTING: ClassVar[str] = "FILES_STORE"

    def __init__(self, store_uri: str | PathLike[str], download_func: None = None, *, crawler: CrawlerProtocol):
        if download_func is not None:
            warnings.warn(
                "The download_func argument of FilesPipeline.__init__() is ignored"
                " and will be removed in a future Scrapy version.",
                category=ScrapyDeprecationWarning,
                stacklevel=2,
            )
        store_uri = str(store_uri) if store_uri else ""
        if not store_uri:
            raise NotConfigured(
                f"{self._STORE_SETTING} setting must be set to a valid path (not empty) "
                f"to enable {type(self).__name__}."
            )
        settings = crawler.settings
        self.store: FilesStoreProtocol = self._get_store(store_uri)

        def resolve(key: str) -> str:
            return self._key_for_pipe(key, base_class_name="FilesPipeline", settings=settings)

        self.expires: int = settings.getint(resolve("FILES_EXPIRES"), self.EXPIRES)
        if not hasattr(self, "FILES_URLS_FIELD"):
            self.FILES_URLS_FIELD = self.DEFAULT_FILES_URLS_FIELD
        if not hasattr(self, "FILES_RESULT_FIELD"):
            self.FILES_RESULT_FIELD = self.DEFAULT_FILES_RESULT_FIELD
        self.files_urls_field: str = settings.get(resolve("FILES_URLS_FIELD"), self.FILES_URLS_FIELD)
        self.files_result_field: str = settings.get(resolve("FILES_RESULT_FIELD"), self.FILES_RESULT_FIELD)
        super().__init__(crawler=crawler)

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> Self:
        cls._update_stores(crawler.settings)
        return cls(crawler.settings[cls._STORE_SETTING], crawler=crawler)

    @classmethod
    def _update_stores(cls, settings: Any) -> None:
        """Hand the credentials and ACL settings to the store classes."""
        s3 = cls.STORE_SCHEMES["s3"]
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL",
                     "AWS_REGION_NAME", "AWS_USE_SSL", "AWS_VERIFY"):
            setattr(s3, name, settings[name])
        s3.AWS_MAX_POOL_CONNECTIONS = (
            settings.getint("AWS_MAX_POOL_CONNECTIONS") or settings.getint("REACTOR_THREADPOOL_MAXSIZE")
        )
        s3.POLICY = settings["FILES_STORE_S3_ACL"]
        gcs = cls.STORE_SCHEMES["gs"]
        gcs.GCS_PROJECT_ID = settings["GCS_PROJECT_ID"]
        gcs.POLICY = settings["FILES_STORE_GCS_ACL"] or None
        ftp = cls.STORE_SCHEMES["ftp"]
        ftp.FTP_USERNAME = settings["FTP_USER"]
        ftp.FTP_PASSWORD = settings["FTP_PASSWORD"]
        ftp.USE_ACTIVE_MODE = settings.getbool("FEED_STORAGE_FTP_ACTIVE")

    def _get_store(self, uri: str) -> FilesStoreProtocol:
        scheme = "file" if Path(uri).is_absolute() else urlparse(uri).scheme
        return self.STORE_SCHEMES[scheme](uri)

    # -- before the download: is a fresh copy stored already? -----------------------------

    async def media_to_download(self, request: Request, info: MediaPipeline.SpiderInfo, *,
                                item: Any = None) -> FileInfo | None:
        path = self.file_path(request, info=info, item=item)
        try:
            stat = await _call_store(self.store, "stat_file", path, info)
            return self._onsuccess(stat, request, info, path)
        except Exception as error:  # no answer (an S3 404 for a new file): download it
            logger.debug(
                "File (stat failed): no stored copy of %(path)s known to %(store)s, downloading it: %(error)r",
                {"path": path, "store": type(self.store).__name__, "error": error},
                extra={"spider": info.spider},
            )
            return None

    def _onsuccess(self, result: StatInfo, request: Request, info: MediaPipeline.SpiderInfo,
                   path: str) -> FileInfo | None:
        """The uptodate file info for a stored file younger than ``expires`` days, else None."""
        last_modified = result.get("last_modified") if result else None
        if not last_modified:
            return None
        if (time.time() - last_modified) / 86400 > self.expires:
            return None
        logger.debug(
            "File (uptodate): Downloaded %(medianame)s from %(request)s referred in <%(referer)s>",
            {"medianame": self.MEDIA_NAME, "request": request, "referer": referer_str(request)},
            extra={"spider": info.spider},
        )
        self.inc_stats("uptodate")
        return {"url": request.url, "path": path, "checksum": result.get("checksum"), "status": "uptodate"}

    # -- after the download ---------------------------------------------------------------

    def media_failed(self, failure: Failure, request: Request, info: MediaPipeline.SpiderInfo) -> NoReturn:
        args = {"medianame": self.MEDIA_NAME, "request": request, "referer": referer_str(request),
                "exception": failure.value}
        if isinstance(failure.value, IgnoreRequest):
            logger.debug(
                "File (filtered): Not downloading %(medianame)s from %(request)s referred in <%(referer)s>: "
                "%(exception)s", args, extra={"spider": info.spider},
            )
            raise _MediaRequestFiltered(str(failure.value)) from failure.value
        logger.warning(
            "File (unknown-error): Error downloading %(medianame)s from %(request)s referred in <%(referer)s>: "
            "%(exception)s", args, extra={"spider": info.spider},
        )
        raise _FileException

    async def media_downloaded(self, response: Response, request: Request, info: MediaPipeline.SpiderInfo,
                               *, item: Any = None) -> FileInfo:
        referer = referer_str(request)
        if response.status != 200:
            logger.warning(
                "File (code: %(status)s): Error downloading file from %(request)s referred in <%(referer)s>",
                {"status": response.status, "request": request, "referer": referer},
                extra={"spider": info.spider},
            )
            raise _FileException("download-error")
        if not response.body:
            logger.warning(
                "File (empty-content): Empty file from %(request)s referred in <%(referer)s>: no-content",
                {"request": request, "referer": referer},
                extra={"spider": info.spider},
            )
            raise _FileException("empty-content")
        status = "cached" if "cached" in response.flags else "downloaded"
        logger.debug(
            "File (%(status)s): Downloaded file from %(request)s referred in <%(referer)s>",
            {"status": status, "request": request, "referer": referer},
            extra={"spider": info.spider},
        )
        self.inc_stats(status)
        try:
            path = self.file_path(request, response=response, info=info, item=item)
            checksum = self.file_downloaded(response, request, info, item=item)
            if inspect.isawaitable(checksum):
                checksum = await checksum
        except _FileException as error:
            logger.warning(
                "File (error): Error processing file from %(request)s referred in <%(referer)s>: %(errormsg)s",
                {"request": request, "referer": referer, "errormsg": str(error)},
                extra={"spider": info.spider},
                exc_info=True,
            )
            raise
        except Exception as error:
            logger.error(
                "File (unknown-error): Error processing file from %(request)s referred in <%(referer)s>",
                {"request": request, "referer": referer},
                exc_info=True,
                extra={"spider": info.spider},
            )
            raise _FileException(str(error)) from error
        return {"url": request.url, "path": path, "checksum": checksum, "status": status}

    def inc_stats(self, status: str) -> None:
        stats = self.crawler.stats
        stats.inc_value("file_count")
        stats.inc_value(f"file_status_count/{status}")

    async def _file_downloaded(self, response: Response, request: Request, info: MediaPipeline.SpiderInfo,
                               *, item: Any = None) -> str:
        path = self.file_path(request, response=response, info=info, item=item)
        buf = BytesIO(response.body)
        checksum = await asyncio.to_thread(_md5sum, buf)
        buf.seek(0)
        await _call_store(self.store, "persist_file", path, buf, info)
        return checksum

    # -- what subclasses override ---------------------------------------------------------

    def get_media_requests(self, item: Any, info: MediaPipeline.SpiderInfo) -> list[Request]:
        return _requests_from_field(item, self.files_urls_field)

    def file_downloaded(self, response: Response, request: Request, info: MediaPipeline.SpiderInfo,
                        *, item: Any = None) -> Any:
        """Store the response body; return (an awaitable of) its MD5 checksum."""
        return self._file_downloaded(response, request, info, item=item)

    def item_completed(self, results: list[FileInfoOrError], item: Any, info: MediaPipeline.SpiderInfo) -> Any:
        return _store_results(item, self.files_result_field, results)

    def file_path(self, request: Request, response: Response | None = None,
                  info: MediaPipeline.SpiderInfo | None = None, *, item: Any = None) -> str:
        """full/<SHA1 of the URL><extension>, the extension taken from the URL path, else
        from the whole URL, else guessed from the URL's MIME type."""
        media_guid = hashlib.sha1(to_bytes(request.url)).hexdigest()  # noqa: S324
        extension = Path(urlparse_cached(request).path).suffix
        if extension not in mimetypes.types_map:
            extension = Path(request.url).suffix
        if extension not in mimetypes.types_map:
            media_type = mimetypes.guess_type(request.url)[0]
            extension = (mimetypes.guess_extension(media_type) or "") if media_type else ""
        return f"full/{media_guid}{extension}"


def _requests_from_field(item: Any, field: str) -> list[Request]:
    """A request for each URL of the list in ``item[field]`` (no field: none)."""
    urls = ItemAdapter(item).get(field, [])
    if not isinstance(urls, list):
        raise TypeError(f"{field} must be a list of URLs, got {type(urls).__name__}. ")
    return [Request(url, callback=NO_CALLBACK) for url in urls]


def _store_results(item: Any, field: str, results: list[FileInfoOrError]) -> Any:
    """``item`` with the file infos of the successful results in ``item[field]``."""
    with suppress(KeyError):  # an Item without the result field keeps its fields
        ItemAdapter(item)[field] = [value for ok, value in results if ok]
    return item


def __getattr__(name: str) -> Any:
    if name == "FileException":
        warnings.warn(
            "scrapy.pipelines.files.FileException is deprecated, use "
            "scrapy.pipelines.media.FileException instead.",
            ScrapyDeprecationWarning,
            stacklevel=2,
        )
        return _FileException
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
