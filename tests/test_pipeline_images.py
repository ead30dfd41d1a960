"""ImagesPipeline: real crawls of a local site of images, JPEG conversion and thumbnails."""

from __future__ import annotations

import logging
import sys
import threading
from io import BytesIO

import pytest

from ascrapy.exceptions import NotConfigured
from ascrapy.http import Request, Response
from ascrapy.pipelines.files import GCSFilesStore, S3FilesStore
from ascrapy.pipelines.images import ImageException, ImagesPipeline
from ascrapy.pipelines.media import MediaPipeline
from ascrapy.utils.misc import build_from_crawler
from ascrapy.utils.test import get_crawler

from .crawl_helpers import crawl
from .media_helpers import HITS, MediaSpider, make_media_app, md5, recorder, sha1_name

Image = pytest.importorskip(
    "PIL.Image", reason="Pillow is not installed: ImagesPipeline is disabled without it (pip install Pillow)"
)

PIPELINE = "ascrapy.pipelines.images.ImagesPipeline"
INFO = MediaPipeline.SpiderInfo(None)


def encoded(fmt: str, mode: str, size: tuple[int, int], color: tuple[int, ...]) -> bytes:
    buf = BytesIO()
    Image.new(mode, size, color).save(buf, fmt)
    return buf.getvalue()


IMAGES = {
    "photo.jpg": (encoded("JPEG", "RGB", (120, 80), (10, 120, 200)), "image/jpeg"),
    "logo.png": (encoded("PNG", "RGBA", (64, 64), (0, 127, 255, 50)), "image/png"),
    "tiny.png": (encoded("PNG", "RGB", (10, 10), (0, 0, 0)), "image/png"),
    "broken.jpg": (b"<html>not an image</html>", "image/jpeg"),
}


@pytest.fixture
async def site(aiohttp_server):
    server = await aiohttp_server(make_media_app(IMAGES))
    return str(server.make_url("")).rstrip("/"), server.app[HITS]


async def crawl_images(base, store, items, settings=None, pipeline=PIPELINE):
    Recorder, seen = recorder()
    spider = type("ImagesSpider", (MediaSpider,), {"items": items})
    crawler = await crawl(
        spider,
        {"ITEM_PIPELINES": {pipeline: 1, Recorder: 900}, "IMAGES_STORE": str(store), **(settings or {})},
        start_urls=[f"{base}/page"],
    )
    return crawler, seen


async def test_images_are_stored_as_jpeg_with_thumbnails(site, tmp_path, caplog):
    base, _ = site
    settings = {"IMAGES_THUMBS": {"small": (20, 20), "wide": (100, 30)}}
    with caplog.at_level(logging.DEBUG, logger="scrapy.pipelines.files"):
        crawler, seen = await crawl_images(
            base, tmp_path, [{"id": 1, "image_urls": ["/images/photo.jpg", "/images/logo.png"]}], settings
        )
    photo, logo = seen[0]["images"]
    for info in (photo, logo):
        name = sha1_name(info["url"])
        assert info["path"] == f"full/{name}.jpg"
        assert info["status"] == "downloaded"
        full = tmp_path / info["path"]
        assert md5(full.read_bytes()) == info["checksum"]
        with Image.open(full) as stored:
            assert (stored.format, stored.mode) == ("JPEG", "RGB")
        with Image.open(tmp_path / "thumbs" / "small" / f"{name}.jpg") as thumb:
            assert max(thumb.size) == 20
        with Image.open(tmp_path / "thumbs" / "wide" / f"{name}.jpg") as thumb:
            assert thumb.size[1] == 30
    with Image.open(tmp_path / photo["path"]) as stored:
        assert stored.size == (120, 80)
    assert crawler.stats.get_value("file_status_count/downloaded") == 2
    assert caplog.text.count("File (downloaded): Downloaded file from <GET") == 2


async def test_second_crawl_is_uptodate(site, tmp_path, caplog):
    base, hits = site
    items = [{"id": 1, "image_urls": ["/images/photo.jpg"]}]
    await crawl_images(base, tmp_path, items)
    with caplog.at_level(logging.DEBUG, logger="scrapy.pipelines.files"):
        crawler, seen = await crawl_images(base, tmp_path, items)
    assert seen[0]["images"][0]["status"] == "uptodate"
    assert hits["/images/photo.jpg"] == 1
    assert crawler.stats.get_value("file_status_count/uptodate") == 1
    assert "File (uptodate): Downloaded image from <GET" in caplog.text


async def test_small_and_broken_images_fail(site, tmp_path, caplog):
    base, _ = site
    items = [{"id": 1, "image_urls": ["/images/tiny.png", "/images/broken.jpg", "/images/photo.jpg"]}]
    with caplog.at_level(logging.WARNING):
        crawler, seen = await crawl_images(base, tmp_path, items, {"IMAGES_MIN_WIDTH": 50, "IMAGES_MIN_HEIGHT": 50})
    assert [info["url"] for info in seen[0]["images"]] == [f"{base}/images/photo.jpg"]
    assert crawler.stats.get_value("item_scraped_count") == 1
    assert "Error processing file from <GET " + base + "/images/tiny.png>" in caplog.text
    assert "Image too small (10x10 < 50x50)" in caplog.text
    assert "File (unknown-error): Error processing file from <GET " + base + "/images/broken.jpg>" in caplog.text
    assert [p.name for p in (tmp_path / "full").iterdir()] == [f"{sha1_name(base + '/images/photo.jpg')}.jpg"]


async def test_conversion_runs_outside_the_event_loop_thread(site, tmp_path):
    base, _ = site
    threads = []

    class Watching(ImagesPipeline):
        def convert_image(self, image, size=None, *, response_body):
            threads.append(threading.current_thread())
            return super().convert_image(image, size, response_body=response_body)

    await crawl_images(base, tmp_path, [{"id": 1, "image_urls": ["/images/logo.png"]}],
                       {"IMAGES_THUMBS": {"s": (8, 8)}}, pipeline=Watching)
    assert len(threads) == 2
    assert threading.main_thread() not in threads


def build(pipeline_cls=ImagesPipeline, **settings):
    return build_from_crawler(pipeline_cls, get_crawler(None, settings))


def test_missing_pillow_is_not_configured(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(NotConfigured, match="ImagesPipeline requires installing Pillow 8.3.2 or later"):
        ImagesPipeline(str(tmp_path), crawler=get_crawler())


def test_missing_store_names_images_store():
    with pytest.raises(NotConfigured, match="IMAGES_STORE setting must be set"):
        build()


def test_paths(tmp_path):
    pipeline = build(IMAGES_STORE=str(tmp_path))
    assert pipeline.file_path(Request("https://dev.mydeco.com/mydeco.gif")) == (
        "full/3fd165099d8e71b8a48b2683946e64dbfad8b52d.jpg"
    )
    assert pipeline.thumb_path(Request("file:///tmp/foo.jpg"), "50") == (
        "thumbs/50/38a86208c36e59d4404db9e37ce04be863ef0335.jpg"
    )


def test_get_images_respects_exif_orientation(tmp_path):
    original = Image.new("RGB", (2, 2), (0, 0, 0))
    original.putpixel((1, 1), (255, 0, 0))
    exif = original.getexif()
    exif[274] = 3  # rotated 180 degrees
    buf = BytesIO()
    original.save(buf, "PNG", exif=exif)
    url = "http://example.com/rotated.png"
    pipeline = build(IMAGES_STORE=str(tmp_path))
    _, image, _ = next(pipeline.get_images(Response(url, body=buf.getvalue()), Request(url), INFO))
    assert image.getpixel((0, 0)) == (255, 0, 0)


def test_get_images_checks_minimum_size(tmp_path):
    pipeline = build(IMAGES_STORE=str(tmp_path), IMAGES_MIN_WIDTH=100, IMAGES_MIN_HEIGHT=100)
    url = "http://example.com/a.jpg"
    for size in [(50, 50), (150, 50), (50, 150)]:
        response = Response(url, body=encoded("JPEG", "RGB", size, (0, 0, 0)))
        with pytest.raises(ImageException, match="Image too small"):
            next(pipeline.get_images(response, Request(url), INFO))


def test_convert_image_modes(tmp_path):
    pipeline = build(IMAGES_STORE=str(tmp_path))
    body = BytesIO(encoded("JPEG", "RGB", (100, 100), (0, 127, 255)))
    jpeg = Image.open(body)
    converted, buf = pipeline.convert_image(jpeg, response_body=body)
    assert buf is body  # a full-size JPEG is not encoded again
    thumb, _ = pipeline.convert_image(converted, size=(10, 25), response_body=buf)
    assert thumb.size == (10, 10)

    rgba = Image.open(BytesIO(encoded("PNG", "RGBA", (10, 10), (0, 127, 255, 50))))
    flattened, _ = pipeline.convert_image(rgba, response_body=BytesIO())
    assert flattened.mode == "RGB" and flattened.getcolors() == [(100, (205, 230, 255))]

    palette = Image.open(BytesIO(encoded("PNG", "RGBA", (10, 10), (0, 127, 255, 50)))).convert("P")
    flattened, _ = pipeline.convert_image(palette, response_body=BytesIO())
    assert flattened.mode == "RGB" and flattened.getcolors() == [(100, (205, 230, 255))]

    grey = Image.new("L", (4, 4), 128)
    converted, jpeg_buf = pipeline.convert_image(grey, response_body=BytesIO())
    assert converted.mode == "RGB"
    assert Image.open(jpeg_buf).format == "JPEG"


def test_settings_attributes_and_prefixes(tmp_path):
    store = str(tmp_path)
    default = build(IMAGES_STORE=store)
    assert (default.expires, default.min_width, default.min_height, default.thumbs) == (90, 0, 0, {})
    assert (default.images_urls_field, default.images_result_field) == ("image_urls", "images")

    configured = build(IMAGES_STORE=store, IMAGES_EXPIRES=5, IMAGES_MIN_WIDTH=3, IMAGES_MIN_HEIGHT=4,
                       IMAGES_THUMBS={"t": (1, 1)}, IMAGES_URLS_FIELD="u", IMAGES_RESULT_FIELD="r")
    assert (configured.expires, configured.min_width, configured.min_height) == (5, 3, 4)
    assert (configured.thumbs, configured.images_urls_field, configured.images_result_field) == (
        {"t": (1, 1)}, "u", "r",
    )

    class Pics(ImagesPipeline):
        MIN_WIDTH = 11
        THUMBS = {"x": (2, 2)}
        IMAGES_URLS_FIELD = "pics"

    own = build(Pics, IMAGES_STORE=store)
    assert (own.min_width, own.thumbs, own.images_urls_field) == (11, {"x": (2, 2)}, "pics")
    prefixed = build(Pics, IMAGES_STORE=store, IMAGES_MIN_WIDTH=12, PICS_IMAGES_MIN_WIDTH=13)
    assert prefixed.min_width == 13


def test_acl_settings_reach_the_stores(tmp_path, monkeypatch):
    monkeypatch.setattr(S3FilesStore, "POLICY", S3FilesStore.POLICY)
    monkeypatch.setattr(GCSFilesStore, "POLICY", GCSFilesStore.POLICY)
    build(IMAGES_STORE=str(tmp_path), IMAGES_STORE_S3_ACL="public-read", FILES_STORE_S3_ACL="private",
          IMAGES_STORE_GCS_ACL="authenticatedRead")
    assert S3FilesStore.POLICY == "public-read"
    assert GCSFilesStore.POLICY == "authenticatedRead"


@pytest.mark.parametrize("urls", ["http://example.com/a.jpg", None, 3])
def test_image_urls_must_be_a_list(tmp_path, urls):
    with pytest.raises(TypeError, match="image_urls must be a list of URLs"):
        build(IMAGES_STORE=str(tmp_path)).get_media_requests({"image_urls": urls}, INFO)
