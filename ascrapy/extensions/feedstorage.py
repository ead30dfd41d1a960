"""Where feeds are stored (FEED_STORAGES): local files, standard output, FTP; S3 and Google
Cloud Storage decline to load unless their client libraries are installed and supported.

A storage's ``open(spider)`` gives the file the exporter writes into; ``store(file)`` puts
it in place when the feed closes (a coroutine for storages that upload).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from tempfile import NamedTemporaryFile
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from w3lib.url import file_uri_to_path

from ascrapy.exceptions import NotConfigured
from ascrapy.utils.asyncio import run_in_thread
from ascrapy.utils.ftp import ftp_store_file

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.extensions.feedexport")


# Formats with one record per line: a record cut short by a crash can be told and removed.
_LINE_FORMATS = {"jsonlines", "jsonl", "jl", "csv"}


class FileFeedStorage:
    """A local file (a path or a file:// URI); ``overwrite`` truncates it first.

    Appending to a line-based feed (JSON lines, CSV) that a killed crawl left with its last
    record cut short first removes that partial record (the resumed crawl writes it again):
    otherwise the next record would be glued to it, and both lines would be lost.
    """

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None) -> None:
        self.path = file_uri_to_path(uri) if uri.startswith("file://") else uri
        self.write_mode = "wb" if (feed_options or {}).get("overwrite", False) else "ab"
        self.line_based = (feed_options or {}).get("format") in _LINE_FORMATS

    def open(self, spider: Any) -> IO[bytes]:
        path = Path(self.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        file = path.open(self.write_mode)
        if self.write_mode == "ab" and self.line_based:
            _drop_cut_record(file, self.path)
        return file

    def store(self, file: IO[bytes]) -> None:
        file.close()


def _drop_cut_record(file: IO[bytes], path: str) -> None:
    """Truncate ``file`` (opened to append) after its last newline, if it does not end with one."""
    end = file.seek(0, 2)
    if not end:
        return
    with open(path, "rb") as reader:
        chunk_start = max(end - 65536, 0)
        reader.seek(chunk_start)
        tail = reader.read()
        while tail[-1:] != b"\n" and b"\n" not in tail and chunk_start:
            chunk_start = max(chunk_start - 65536, 0)  # a record longer than the chunk
            reader.seek(chunk_start)
            tail = reader.read()
    if tail[-1:] == b"\n":
        return
    keep = chunk_start + tail.rfind(b"\n") + 1
    file.truncate(keep)
    logger.warning("%(path)s ended with a record cut short (%(size)d bytes, a crawl killed while writing "
                   "it?): removed before appending", {"path": path, "size": end - keep})


class StdoutFeedStorage:
    """Standard output (``-o -:json`` or ``stdout:``)."""

    def __init__(self, uri: str, *, _stdout: IO[bytes] | None = None,
                 feed_options: dict[str, Any] | None = None) -> None:
        self._stdout = _stdout or sys.stdout.buffer
        if feed_options and feed_options.get("overwrite", False) is True:
            logger.warning("Standard output (stdout) storage does not support overwriting.")

    def open(self, spider: Any) -> IO[bytes]:
        return self._stdout

    def store(self, file: IO[bytes]) -> None:
        file.flush()


class BlockingFeedStorage:
    """A feed written to a temporary file (FEED_TEMPDIR), uploaded in a thread when stored."""

    def open(self, spider: Any) -> IO[bytes]:
        directory = spider.crawler.settings["FEED_TEMPDIR"]
        if directory and not Path(directory).is_dir():
            raise OSError(f"Not a Directory: {directory}")
        return NamedTemporaryFile(prefix="feed-", dir=directory)  # noqa: SIM115 - closed by store

    async def store(self, file: IO[bytes]) -> None:
        await run_in_thread(self._store_in_thread, file)

    def _store_in_thread(self, file: IO[bytes]) -> None:
        raise NotImplementedError


class FTPFeedStorage(BlockingFeedStorage):
    """ftp:// and ftps:// URIs; FEED_STORAGE_FTP_ACTIVE selects active mode."""

    def __init__(self, uri: str, use_active_mode: bool = False, *,
                 feed_options: dict[str, Any] | None = None) -> None:
        parsed = urlparse(uri)
        if not parsed.hostname:
            raise ValueError(f"Got a storage URI without a hostname: {uri}")
        self.host = parsed.hostname
        self.port = int(parsed.port or 21)
        self.username = parsed.username or ""
        self.password = unquote(parsed.password or "")
        self.path = parsed.path
        self.tls = parsed.scheme == "ftps"
        self.use_active_mode = use_active_mode
        self.overwrite = not feed_options or feed_options.get("overwrite", True)

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol, uri: str, *,
                     feed_options: dict[str, Any] | None = None) -> FTPFeedStorage:
        return cls(uri, crawler.settings.getbool("FEED_STORAGE_FTP_ACTIVE"), feed_options=feed_options)

    def _store_in_thread(self, file: IO[bytes]) -> None:
        try:
            ftp_store_file(
                path=self.path, file=file, host=self.host, port=self.port, username=self.username,
                password=self.password, use_active_mode=self.use_active_mode,
                overwrite=self.overwrite, tls=self.tls,
            )
        finally:
            file.close()


class S3FeedStorage(BlockingFeedStorage):
    """s3:// feeds need botocore, which ascrapy does not depend on."""

    def __init__(self, uri: str, *args: Any, **kwargs: Any) -> None:
        raise NotConfigured("missing botocore library: S3 feed storage is not supported by ascrapy")


class GCSFeedStorage(BlockingFeedStorage):
    """gs:// feeds need google-cloud-storage, which ascrapy does not depend on."""

    def __init__(self, uri: str, *args: Any, **kwargs: Any) -> None:
        raise NotConfigured(
            "missing google-cloud-storage library: GCS feed storage is not supported by ascrapy"
        )
