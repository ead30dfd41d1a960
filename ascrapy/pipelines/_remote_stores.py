"""The remote stores of FilesPipeline: S3, Google Cloud Storage and FTP.

Their client libraries block, so every call runs in a worker thread. ascrapy.pipelines.files
re-exports the classes: import them from there, as from Scrapy's scrapy.pipelines.files.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
from datetime import datetime, timezone
from ftplib import FTP
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlparse

from ascrapy.exceptions import NotConfigured
from ascrapy.utils.ftp import ftp_store_file

if TYPE_CHECKING:
    from io import BytesIO

    from ascrapy.pipelines.files import StatInfo
    from ascrapy.pipelines.media import MediaPipeline

logger = logging.getLogger("scrapy.pipelines.files")


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
        from ascrapy.pipelines import files  # noqa: PLC0415 - looked up per call: tests patch it there

        if not files.is_botocore_available():
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

    async def persist_file(self, path: str, buf: BytesIO, info: MediaPipeline.SpiderInfo,
                           meta: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> None:
        """Upload ``buf`` (closed afterwards, as ftp_store_file does) to basedir/path."""
        await asyncio.to_thread(
            ftp_store_file, path=f"{self.basedir}/{path}", file=buf, host=self.host, port=self.port,
            username=self.username, password=self.password, use_active_mode=bool(self.USE_ACTIVE_MODE),
        )

    async def stat_file(self, path: str, info: MediaPipeline.SpiderInfo) -> StatInfo:
        return await asyncio.to_thread(self._stat_file, path)

    def _stat_file(self, path: str) -> StatInfo:
        file_path = f"{self.basedir}/{path}"
        try:
            with FTP() as ftp:
                ftp.connect(self.host, self.port)
                ftp.login(self.username, self.password)
                if self.USE_ACTIVE_MODE:
                    ftp.set_pasv(False)
                last_modified = _mdtm_to_epoch(ftp.voidcmd(f"MDTM {file_path}"))
                digest = hashlib.md5()  # noqa: S324 - a checksum, not security
                ftp.retrbinary(f"RETR {file_path}", digest.update)
        except Exception as error:  # missing file, or a server without MDTM: download again
            logger.debug("FTP store cannot stat %(path)s: %(error)s", {"path": file_path, "error": error})
            return {}
        return {"last_modified": last_modified, "checksum": digest.hexdigest()}


def _mdtm_to_epoch(reply: str) -> float:
    """Seconds since the epoch of an MDTM reply ("213 YYYYMMDDHHMMSS[.sss]", UTC, RFC 3659).

    Scrapy reads the digits as a number of seconds, which puts every file far in the
    future: files on FTP never expired. This reads them as the date they are.
    """
    stamp = reply[4:].strip()
    whole, _, fraction = stamp.partition(".")
    moment = datetime.strptime(whole, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
    return moment.timestamp() + (float(f"0.{fraction}") if fraction else 0.0)
