"""FilesPipeline and its stores (scrapy.pipelines.files): download the URLs an item lists
in ``file_urls`` and keep them under FILES_STORE, named by the SHA1 of the URL.

Disk work (hashing, writing, the FTP and cloud clients) runs in worker threads, so the
event loop keeps downloading while files are stored.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import inspect
import logging
import mimetypes
import posixpath
import time
import warnings
from collections import defaultdict
from contextlib import suppress
from ftplib import FTP, error_perm
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
from ascrapy.pipelines.media import FileException as _FileException
from ascrapy.pipelines.media import FileInfo, FileInfoOrError, MediaPipeline, _MediaRequestFiltered
from ascrapy.utils.httpobj import urlparse_cached
from ascrapy.utils.python import to_bytes
from ascrapy.utils.request import referer_str

if TYPE_CHECKING:
    from typing import Self

    from ascrapy.failure import Failure

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


_BOTOCORE_HEADER_ARGS = {
    name.lower(): arg for name, arg in (
        ("Cache-Control", "CacheControl"), ("Content-Disposition", "ContentDisposition"),
        ("Content-Encoding", "ContentEncoding"), ("Content-Language", "ContentLanguage"),
        ("Content-Length", "ContentLength"), ("Content-MD5", "ContentMD5"),
        ("Content-Type", "ContentType"), ("Expires", "Expires"),
        ("X-Amz-Grant-Full-Control", "GrantFullControl"), ("X-Amz-Grant-Read", "GrantRead"),
        ("X-Amz-Grant-Read-ACP", "GrantReadACP"), ("X-Amz-Grant-Write-ACP", "GrantWriteACP"),
        ("X-Amz-Object-Lock-Legal-Hold", "ObjectLockLegalHoldStatus"),
        ("X-Amz-Object-Lock-Mode", "ObjectLockMode"),
        ("X-Amz-Object-Lock-Retain-Until-Date", "ObjectLockRetainUntilDate"),
        ("X-Amz-Request-Payer", "RequestPayer"),
        ("X-Amz-Server-Side-Encryption", "ServerSideEncryption"),
        ("X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id", "SSEKMSKeyId"),
        ("X-Amz-Server-Side-Encryption-Context", "SSEKMSEncryptionContext"),
        ("X-Amz-Server-Side-Encryption-Customer-Algorithm", "SSECustomerAlgorithm"),
        ("X-Amz-Server-Side-Encryption-Customer-Key", "SSECustomerKey"),
        ("X-Amz-Server-Side-Encryption-Customer-Key-Md5", "SSECustomerKeyMD5"),
        ("X-Amz-Storage-Class", "StorageClass"), ("X-Amz-Tagging", "Tagging"),
        ("X-Amz-Website-Redirect-Location", "WebsiteRedirectLocation"),
    )
}


class S3FilesStore:
    """Files in an S3 bucket (s3://bucket/prefix), through botocore in worker threads."""

    AWS_ACCESS_KEY_ID = None
    AWS_SECRET_ACCESS_KEY = None
    AWS_SESSION_TOKEN = None
    AWS_ENDPOINT_URL = None
    AWS_REGION_NAME = None
    AWS_USE_SSL = None
    AWS_VERIFY = None
    AWS_MAX_POOL_CONNECTIONS: int | None = None
    POLICY = "private"
    HEADERS: ClassVar[dict[str, str]] = {"Cache-Control": "max-age=172800"}

    def __init__(self, uri: str):
        if not is_botocore_available():
            raise NotConfigured("missing botocore library")
        import botocore.session  # noqa: PLC0415 - optional dependency
        from botocore.config import Config  # noqa: PLC0415

        config = None
        if self.AWS_MAX_POOL_CONNECTIONS is not None:
            config = Config(max_pool_connections=self.AWS_MAX_POOL_CONNECTIONS)
        self.s3_client = botocore.session.get_session().create_client(
            "s3", aws_access_key_id=self.AWS_ACCESS_KEY_ID, aws_secret_access_key=self.AWS_SECRET_ACCESS_KEY,
            aws_session_token=self.AWS_SESSION_TOKEN, endpoint_url=self.AWS_ENDPOINT_URL,
            region_name=self.AWS_REGION_NAME, use_ssl=self.AWS_USE_SSL, verify=self.AWS_VERIFY, config=config,
        )
        if not uri.startswith("s3://"):
            raise ValueError(f"Incorrect URI scheme in {uri}, expected 's3'")
        self.bucket, self.prefix = uri[5:].split("/", 1)

    async def stat_file(self, path: str, info: MediaPipeline.SpiderInfo) -> StatInfo:
        head = await asyncio.to_thread(self.s3_client.head_object, Bucket=self.bucket, Key=f"{self.prefix}{path}")
        return {"checksum": head["ETag"].strip('"'), "last_modified": head["LastModified"].timestamp()}

    async def persist_file(self, path: str, buf: BytesIO, info: MediaPipeline.SpiderInfo,
                           meta: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> Any:
        buf.seek(0)
        extra = self._headers_to_botocore_kwargs(self.HEADERS)
        if headers:
            extra.update(self._headers_to_botocore_kwargs(headers))
        return await asyncio.to_thread(
            self.s3_client.put_object, Bucket=self.bucket, Key=f"{self.prefix}{path}", Body=buf,
            Metadata={key: str(value) for key, value in (meta or {}).items()}, ACL=self.POLICY, **extra,
        )

    def _headers_to_botocore_kwargs(self, headers: dict[str, Any]) -> dict[str, Any]:
        """put_object keyword arguments for HTTP header names."""
        kwargs: dict[str, Any] = {}
        for name, value in headers.items():
            try:
                kwargs[_BOTOCORE_HEADER_ARGS[name.lower()]] = value
            except KeyError:
                raise TypeError(f'Header "{name}" is not supported by botocore') from None
        return kwargs


class GCSFilesStore:
    """Files in a Google Cloud Storage bucket (gs://bucket/prefix), in worker threads."""

    GCS_PROJECT_ID = None
    CACHE_CONTROL = "max-age=172800"
    POLICY = None  # None: the bucket's default object ACL

    def __init__(self, uri: str):
        try:
            from google.cloud import storage  # noqa: PLC0415 - optional dependency
        except ImportError:
            raise NotConfigured(
                "GCSFilesStore requires the google-cloud-storage library: pip install google-cloud-storage"
            ) from None
        bucket, self.prefix = uri[5:].split("/", 1)
        self.bucket = storage.Client(project=self.GCS_PROJECT_ID).bucket(bucket)
        permissions = self.bucket.test_iam_permissions(["storage.objects.get", "storage.objects.create"])
        if "storage.objects.get" not in permissions:
            logger.warning(
                "No 'storage.objects.get' permission for GCS bucket %(bucket)s. "
                "Checking if files are up to date will be impossible. Files will be downloaded every time.",
                {"bucket": bucket},
            )
        if "storage.objects.create" not in permissions:
            logger.error(
                "No 'storage.objects.create' permission for GCS bucket %(bucket)s. Saving files will be impossible!",
                {"bucket": bucket},
            )

    def _get_blob_path(self, path: str) -> str:
        return self.prefix + path

    async def stat_file(self, path: str, info: MediaPipeline.SpiderInfo) -> StatInfo:
        blob = await asyncio.to_thread(self.bucket.get_blob, self._get_blob_path(path))
        if not blob:
            return {}
        return {"checksum": base64.b64decode(blob.md5_hash).hex(), "last_modified": blob.updated.timestamp()}

    def _get_content_type(self, headers: dict[str, str] | None) -> str:
        return (headers or {}).get("Content-Type", "application/octet-stream")

    async def persist_file(self, path: str, buf: BytesIO, info: MediaPipeline.SpiderInfo,
                           meta: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> Any:
        blob = self.bucket.blob(self._get_blob_path(path))
        blob.cache_control = self.CACHE_CONTROL
        blob.metadata = {key: str(value) for key, value in (meta or {}).items()}
        return await asyncio.to_thread(
            blob.upload_from_string, data=buf.getvalue(), content_type=self._get_content_type(headers),
            predefined_acl=self.POLICY,
        )


class FTPFilesStore:
    """Files on an FTP server (ftp://user:password@host:port/path), with ftplib in threads."""

    FTP_USERNAME: str | None = None
    FTP_PASSWORD: str | None = None
    USE_ACTIVE_MODE: bool | None = None

    def __init__(self, uri: str):
        if not uri.startswith("ftp://"):
            raise ValueError(f"Incorrect URI scheme in {uri}, expected 'ftp'")
        parsed = urlparse(uri)
        self.host: str = parsed.hostname or ""
        self.port: int = parsed.port or 21
        self.username: str = parsed.username or self.FTP_USERNAME or "anonymous"
        self.password: str = parsed.password or self.FTP_PASSWORD or ""
        self.basedir: str = parsed.path.rstrip("/")

    def _connect(self) -> FTP:
        ftp = FTP()
        ftp.connect(self.host, self.port)
        ftp.login(self.username, self.password)
        if self.USE_ACTIVE_MODE:
            ftp.set_pasv(False)
        return ftp

    def _store(self, path: str, buf: BytesIO) -> None:
        directory, filename = posixpath.split(f"{self.basedir}/{path}")
        with self._connect() as ftp:
            _ftp_makedirs_cwd(ftp, directory)
            buf.seek(0)
            ftp.storbinary(f"STOR {filename}", buf)

    def _stat_file(self, path: str) -> StatInfo:
        file_path = f"{self.basedir}/{path}"
        try:
            with self._connect() as ftp:
                last_modified = float(ftp.voidcmd(f"MDTM {file_path}")[4:].strip())
                digest = hashlib.md5()  # noqa: S324
                ftp.retrbinary(f"RETR {file_path}", digest.update)
        except Exception:  # missing file, or a server without MDTM: download again
            return {}
        return {"last_modified": last_modified, "checksum": digest.hexdigest()}

    async def persist_file(self, path: str, buf: BytesIO, info: MediaPipeline.SpiderInfo,
                           meta: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> None:
        await asyncio.to_thread(self._store, path, buf)

    async def stat_file(self, path: str, info: MediaPipeline.SpiderInfo) -> StatInfo:
        return await asyncio.to_thread(self._stat_file, path)


def _ftp_makedirs_cwd(ftp: FTP, path: str) -> None:
    """Change to ``path`` on the server, creating the missing directories on the way."""
    try:
        ftp.cwd(path)
        return
    except error_perm:
        pass
    parent = posixpath.dirname(path)
    if parent and parent != path:
        _ftp_makedirs_cwd(ftp, parent)
    with suppress(error_perm):  # created meanwhile by a parallel upload
        ftp.mkd(path)
    ftp.cwd(path)


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

    def __init__(self, store_uri: str | PathLike[str], download_func: None = None, *, crawler: Any):
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
    def from_crawler(cls, crawler: Any) -> Self:
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
        except Exception:  # the store cannot tell: download again
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
        referer = referer_str(request)
        if isinstance(failure.value, IgnoreRequest):
            logger.debug(
                f"File (filtered): Not downloading {self.MEDIA_NAME} from {request} "
                f"referred in <{referer}>: {failure.value}",
                extra={"spider": info.spider},
            )
            raise _MediaRequestFiltered(str(failure.value)) from failure.value
        logger.warning(
            f"File (unknown-error): Error downloading {self.MEDIA_NAME} from {request} "
            f"referred in <{referer}>: {failure.value}",
            extra={"spider": info.spider},
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
        urls = ItemAdapter(item).get(self.files_urls_field, [])
        if not isinstance(urls, list):
            raise TypeError(f"{self.files_urls_field} must be a list of URLs, got {type(urls).__name__}. ")
        return [Request(url, callback=NO_CALLBACK) for url in urls]

    def file_downloaded(self, response: Response, request: Request, info: MediaPipeline.SpiderInfo,
                        *, item: Any = None) -> Any:
        """Store the response body; return (an awaitable of) its MD5 checksum."""
        return self._file_downloaded(response, request, info, item=item)

    def item_completed(self, results: list[FileInfoOrError], item: Any, info: MediaPipeline.SpiderInfo) -> Any:
        with suppress(KeyError):  # an Item without the result field keeps its fields
            ItemAdapter(item)[self.files_result_field] = [value for ok, value in results if ok]
        return item

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
