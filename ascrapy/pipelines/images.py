"""ImagesPipeline (scrapy.pipelines.images): like FilesPipeline, but every image is
converted to JPEG, checked against a minimum size and given thumbnails. Needs Pillow.

Decoding, converting and resizing run in worker threads, one image (or thumbnail) at a
time, so the event loop keeps downloading meanwhile.
"""

from __future__ import annotations

import asyncio
import hashlib
import warnings
from collections.abc import Iterator
from io import BytesIO
from os import PathLike
from typing import TYPE_CHECKING, Any, ClassVar

from ascrapy.exceptions import NotConfigured, ScrapyDeprecationWarning
from ascrapy.http import Request, Response
from ascrapy.pipelines.files import FilesPipeline, _call_store, _md5sum, _requests_from_field, _store_results
from ascrapy.pipelines.media import FileException, FileInfoOrError, MediaPipeline
from ascrapy.utils.python import to_bytes

if TYPE_CHECKING:
    from PIL import Image

    from ascrapy.protocols import CrawlerProtocol


class ImageException(FileException):
    """An image that cannot be used (too small, undecodable)."""


_DONE = object()


class ImagesPipeline(FilesPipeline):
    """Stores the images an item lists as JPEG, with the thumbnails of IMAGES_THUMBS."""

    MEDIA_NAME: str = "image"
    MIN_WIDTH: int = 0
    MIN_HEIGHT: int = 0
    EXPIRES: int = 90
    THUMBS: ClassVar[dict[str, tuple[int, int]]] = {}
    DEFAULT_IMAGES_URLS_FIELD = "image_urls"
    DEFAULT_IMAGES_RESULT_FIELD = "images"
    _STORE_SETTING: ClassVar[str] = "IMAGES_STORE"

    def __init__(self, store_uri: str | PathLike[str], download_func: None = None, *, crawler: CrawlerProtocol):
        if download_func is not None:
            warnings.warn(
                "The download_func argument of ImagesPipeline.__init__() is ignored"
                " and will be removed in a future Scrapy version.",
                category=ScrapyDeprecationWarning,
                stacklevel=2,
            )
        try:
            from PIL import Image, ImageOps  # noqa: PLC0415 - optional dependency
        except ImportError:
            raise NotConfigured("ImagesPipeline requires installing Pillow 8.3.2 or later") from None
        self._Image = Image
        self._ImageOps = ImageOps
        super().__init__(store_uri, crawler=crawler)

        settings = crawler.settings

        def resolve(key: str) -> str:
            return self._key_for_pipe(key, base_class_name="ImagesPipeline", settings=settings)

        self.expires = settings.getint(resolve("IMAGES_EXPIRES"), self.EXPIRES)
        if not hasattr(self, "IMAGES_RESULT_FIELD"):
            self.IMAGES_RESULT_FIELD: str = self.DEFAULT_IMAGES_RESULT_FIELD
        if not hasattr(self, "IMAGES_URLS_FIELD"):
            self.IMAGES_URLS_FIELD: str = self.DEFAULT_IMAGES_URLS_FIELD
        self.images_urls_field: str = settings.get(resolve("IMAGES_URLS_FIELD"), self.IMAGES_URLS_FIELD)
        self.images_result_field: str = settings.get(resolve("IMAGES_RESULT_FIELD"), self.IMAGES_RESULT_FIELD)
        self.min_width: int = settings.getint(resolve("IMAGES_MIN_WIDTH"), self.MIN_WIDTH)
        self.min_height: int = settings.getint(resolve("IMAGES_MIN_HEIGHT"), self.MIN_HEIGHT)
        self.thumbs: dict[str, tuple[int, int]] = settings.get(resolve("IMAGES_THUMBS"), self.THUMBS)

    @classmethod
    def _update_stores(cls, settings: Any) -> None:
        super()._update_stores(settings)
        cls.STORE_SCHEMES["s3"].POLICY = settings["IMAGES_STORE_S3_ACL"]
        cls.STORE_SCHEMES["gs"].POLICY = settings["IMAGES_STORE_GCS_ACL"] or None

    async def file_downloaded(self, response: Response, request: Request, info: MediaPipeline.SpiderInfo,
                              *, item: Any = None) -> str:
        return await self.image_downloaded(response, request, info, item=item)

    async def image_downloaded(self, response: Response, request: Request, info: MediaPipeline.SpiderInfo,
                               *, item: Any = None) -> str:
        """Store the image and its thumbnails; return the MD5 of the stored full image."""
        images = self.get_images(response, request, info, item=item)
        checksum: str | None = None
        while True:
            step = await asyncio.to_thread(_next_image, images, checksum is None)
            if step is _DONE:
                break
            path, image, buf, digest = step
            checksum = checksum or digest
            width, height = image.size
            await _call_store(self.store, "persist_file", path, buf, info,
                              meta={"width": width, "height": height}, headers={"Content-Type": "image/jpeg"})
        if checksum is None:
            raise ImageException(f"get_images() yielded no image for {request}")
        return checksum

    def get_images(self, response: Response, request: Request, info: MediaPipeline.SpiderInfo,
                   *, item: Any = None) -> Iterator[tuple[str, Image.Image, BytesIO]]:
        """(path, image, JPEG buffer) for the full image, then for each thumbnail."""
        path = self.file_path(request, response=response, info=info, item=item)
        upright = self._ImageOps.exif_transpose(self._Image.open(BytesIO(response.body)))
        width, height = upright.size
        if width < self.min_width or height < self.min_height:
            raise ImageException(
                f"Image too small ({width}x{height} < {self.min_width}x{self.min_height})"
            )
        image, buf = self.convert_image(upright, response_body=BytesIO(response.body))
        yield path, image, buf
        for thumb_id, size in self.thumbs.items():
            thumb_path = self.thumb_path(request, thumb_id, response=response, info=info, item=item)
            thumb_image, thumb_buf = self.convert_image(image, size, response_body=buf)
            yield thumb_path, thumb_image, thumb_buf

    def convert_image(self, image: Image.Image, size: tuple[int, int] | None = None, *,
                      response_body: BytesIO) -> tuple[Image.Image, BytesIO]:
        """``image`` as RGB (transparency over white), shrunk to fit ``size`` if given, and
        its JPEG bytes; a JPEG kept at full size is not re-encoded."""
        if image.format in {"PNG", "WEBP"} and image.mode == "RGBA":
            image = self._over_white(image)
        elif image.mode == "P":
            image = self._over_white(image.convert("RGBA"))
        elif image.mode != "RGB":
            image = image.convert("RGB")
        if size:
            image = image.copy()
            resampling = getattr(getattr(self._Image, "Resampling", None), "LANCZOS", None)
            image.thumbnail(size, resampling if resampling is not None else self._Image.ANTIALIAS)  # type: ignore[attr-defined]  # Pillow < 9.1
        elif image.format == "JPEG":
            return image, response_body
        buf = BytesIO()
        image.save(buf, "JPEG")
        return image, buf

    def _over_white(self, rgba: Image.Image) -> Image.Image:
        background = self._Image.new("RGBA", rgba.size, (255, 255, 255))
        background.paste(rgba, rgba)
        return background.convert("RGB")

    def get_media_requests(self, item: Any, info: MediaPipeline.SpiderInfo) -> list[Request]:
        return _requests_from_field(item, self.images_urls_field)

    def item_completed(self, results: list[FileInfoOrError], item: Any, info: MediaPipeline.SpiderInfo) -> Any:
        return _store_results(item, self.images_result_field, results)

    def file_path(self, request: Request, response: Response | None = None,
                  info: MediaPipeline.SpiderInfo | None = None, *, item: Any = None) -> str:
        return f"full/{hashlib.sha1(to_bytes(request.url)).hexdigest()}.jpg"  # noqa: S324

    def thumb_path(self, request: Request, thumb_id: str, response: Response | None = None,
                   info: MediaPipeline.SpiderInfo | None = None, *, item: Any = None) -> str:
        return f"thumbs/{thumb_id}/{hashlib.sha1(to_bytes(request.url)).hexdigest()}.jpg"  # noqa: S324


def _next_image(images: Iterator[tuple[str, Any, BytesIO]], with_checksum: bool) -> Any:
    """The next (path, image, buf, md5 or None) of ``images``, or _DONE; runs in a thread."""
    step: Any = next(images, _DONE)  # a (path, image, buf) or _DONE
    if step is _DONE:
        return _DONE
    path, image, buf = step
    digest = None
    if with_checksum:
        buf.seek(0)
        digest = _md5sum(buf)
    return path, image, buf, digest
