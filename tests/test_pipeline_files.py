"""FilesPipeline and its stores: real crawls against a local site, stores on disk and FTP."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import threading
import time
from io import BytesIO
from pathlib import Path

import pytest
from itemadapter import ItemAdapter

from ascrapy.exceptions import NotConfigured, ScrapyDeprecationWarning
from ascrapy.http import Request, Response
from ascrapy.item import Field, Item
from ascrapy.pipelines import files as files_module
from ascrapy.pipelines.files import (
    FilesPipeline,
    FSFilesStore,
    FTPFilesStore,
    GCSFilesStore,
    S3FilesStore,
)
from ascrapy.pipelines.media import FileException, MediaPipeline
from ascrapy.utils.misc import build_from_crawler
from ascrapy.utils.test import get_crawler

from .crawl_helpers import crawl
from .ftp_helpers import ftp_server as serve_ftp
from .media_helpers import FILES, HITS, MediaSpider, by_id, make_media_app, md5, recorder, sha1_name

PIPELINE = "ascrapy.pipelines.files.FilesPipeline"


async def crawl_files(base, store, items, settings=None, pipeline=PIPELINE):
    Recorder, seen = recorder()
    spider = type("FilesSpider", (MediaSpider,), {"items": items})
    crawler = await crawl(
        spider,
        {"ITEM_PIPELINES": {pipeline: 1, Recorder: 900}, "FILES_STORE": str(store), **(settings or {})},
        start_urls=[f"{base}/page"],
    )
    return crawler, seen


@pytest.fixture
async def site(aiohttp_server):
    server = await aiohttp_server(make_media_app())
    return str(server.make_url("")).rstrip("/"), server.app[HITS]


# -- end-to-end crawls ---------------------------------------------------------------------


async def test_files_are_stored_under_the_sha1_of_their_url(site, tmp_path, caplog):
    base, hits = site
    with caplog.at_level(logging.DEBUG, logger="scrapy.pipelines.files"):
        crawler, seen = await crawl_files(
            base, tmp_path, [{"id": 1, "file_urls": ["/files/report.pdf", "/files/notes.txt"]}]
        )
    [item] = seen
    assert [info["url"] for info in item["files"]] == [f"{base}/files/report.pdf", f"{base}/files/notes.txt"]
    for info, name, ext in zip(item["files"], ["report.pdf", "notes.txt"], [".pdf", ".txt"]):
        assert info["path"] == f"full/{sha1_name(info['url'])}{ext}"
        assert info["checksum"] == md5(FILES[name])
        assert info["status"] == "downloaded"
        assert (tmp_path / info["path"]).read_bytes() == FILES[name]
    stats = crawler.stats.get_stats()
    assert stats["file_count"] == 2
    assert stats["file_status_count/downloaded"] == 2
    assert stats["item_scraped_count"] == 1
    assert caplog.text.count("File (downloaded): Downloaded file from <GET") == 2


async def test_a_second_crawl_finds_the_files_up_to_date(site, tmp_path, caplog):
    base, hits = site
    items = [{"id": 1, "file_urls": ["/files/report.pdf"]}]
    await crawl_files(base, tmp_path, items)
    stored = next(tmp_path.rglob("*.pdf"))
    with caplog.at_level(logging.DEBUG, logger="scrapy.pipelines.files"):
        crawler, seen = await crawl_files(base, tmp_path, items)
    assert hits["/files/report.pdf"] == 1
    [info] = seen[0]["files"]
    assert info == {
        "url": f"{base}/files/report.pdf",
        "path": stored.relative_to(tmp_path).as_posix(),
        "checksum": md5(FILES["report.pdf"]),
        "status": "uptodate",
    }
    assert crawler.stats.get_value("file_status_count/uptodate") == 1
    assert crawler.stats.get_value("file_status_count/downloaded") is None
    assert "File (uptodate): Downloaded file from <GET" in caplog.text


async def test_expired_files_are_downloaded_again(site, tmp_path):
    base, hits = site
    items = [{"id": 1, "file_urls": ["/files/report.pdf"]}]
    await crawl_files(base, tmp_path, items)
    stored = next(tmp_path.rglob("*.pdf"))
    three_days_ago = time.time() - 3 * 86400
    os.utime(stored, (three_days_ago, three_days_ago))
    _, seen = await crawl_files(base, tmp_path, items, {"FILES_EXPIRES": 5})
    assert seen[0]["files"][0]["status"] == "uptodate"
    _, seen = await crawl_files(base, tmp_path, items, {"FILES_EXPIRES": 2})
    assert seen[0]["files"][0]["status"] == "downloaded"
    assert hits["/files/report.pdf"] == 2


async def test_a_404_file_fails_but_the_item_passes(site, tmp_path, caplog):
    base, hits = site
    with caplog.at_level(logging.DEBUG):
        crawler, seen = await crawl_files(
            base, tmp_path, [{"id": 1, "file_urls": ["/missing/gone.pdf", "/files/data.csv"]}]
        )
    [item] = seen
    assert [info["url"] for info in item["files"]] == [f"{base}/files/data.csv"]
    assert crawler.stats.get_value("item_scraped_count") == 1
    assert crawler.stats.get_value("downloader/response_status_count/404") == 1
    assert f"File (code: 404): Error downloading file from <GET {base}/missing/gone.pdf>" in caplog.text
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [f"{sha1_name(base + '/files/data.csv')}.csv"]


async def test_item_completed_receives_success_and_failure_pairs(site, tmp_path):
    base, _ = site
    received = []

    class Inspecting(FilesPipeline):
        def item_completed(self, results, item, info):
            received.extend(results)
            return super().item_completed(results, item, info)

    await crawl_files(base, tmp_path, [{"id": 1, "file_urls": ["/files/data.csv", "/missing/x.txt", "/empty"]}],
                      pipeline=Inspecting)
    (ok1, info), (ok2, failure2), (ok3, failure3) = received
    assert ok1 is True and info["status"] == "downloaded"
    assert ok2 is False and isinstance(failure2.value, FileException)
    assert ok3 is False and isinstance(failure3.value, FileException)


async def test_empty_file_is_a_failure(site, tmp_path, caplog):
    base, _ = site
    with caplog.at_level(logging.WARNING, logger="scrapy.pipelines.files"):
        _, seen = await crawl_files(base, tmp_path, [{"id": 1, "file_urls": ["/empty"]}])
    assert seen[0]["files"] == []
    assert f"File (empty-content): Empty file from <GET {base}/empty> referred in <None>: no-content" in caplog.text


async def test_one_url_shared_by_many_items_is_downloaded_once(site, tmp_path):
    base, hits = site
    shared = "/files/notes.txt?delay=0.2"
    items = [{"id": n, "file_urls": [shared, f"/files/data.csv?n={n}"]} for n in range(6)]
    crawler, seen = await crawl_files(base, tmp_path, items)
    assert hits["/files/notes.txt"] == 1
    assert hits["/files/data.csv"] == 6
    infos = [item["files"][0] for item in seen]
    assert len(infos) == 6 and all(info == infos[0] for info in infos)
    assert crawler.stats.get_value("file_status_count/downloaded") == 7


async def test_redirects_fail_unless_allowed(site, tmp_path):
    base, hits = site
    items = [{"id": 1, "file_urls": [f"/redirect?to={base}/files/data.csv"]}]
    crawler, seen = await crawl_files(base, tmp_path / "a", items)
    assert seen[0]["files"] == []
    assert crawler.stats.get_value("downloader/response_status_count/302") == 1
    assert hits["/files/data.csv"] == 0

    _, seen = await crawl_files(base, tmp_path / "b", items, {"MEDIA_ALLOW_REDIRECTS": True})
    [info] = seen[0]["files"]
    assert info["checksum"] == md5(FILES["data.csv"])
    assert hits["/files/data.csv"] == 1


async def test_offsite_media_is_filtered_quietly(site, tmp_path, caplog):
    base, _ = site
    items = [{"id": 1, "file_urls": ["http://offsite.invalid/file.pdf", "/files/data.csv"]}]
    spider_settings = {"ROBOTSTXT_OBEY": False}
    Recorder, seen = recorder()
    spider = type("Allowed", (MediaSpider,), {"items": items, "allowed_domains": ["127.0.0.1"]})
    with caplog.at_level(logging.DEBUG):
        await crawl(spider, {"ITEM_PIPELINES": {PIPELINE: 1, Recorder: 900}, "FILES_STORE": str(tmp_path),
                             **spider_settings}, start_urls=[f"{base}/page"])
    assert [info["url"] for info in seen[0]["files"]] == [f"{base}/files/data.csv"]
    assert "File (filtered): Not downloading file from <GET http://offsite.invalid/file.pdf>" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and "offsite" in r.getMessage()]


async def test_file_path_errors_are_logged_and_the_item_passes(site, tmp_path, caplog):
    base, _ = site

    class Broken(FilesPipeline):
        def file_path(self, request, response=None, info=None, *, item=None):
            return 1 / 0

    with caplog.at_level(logging.DEBUG):
        crawler, seen = await crawl_files(base, tmp_path, [{"id": 1, "file_urls": ["/files/data.csv"]}],
                                          pipeline=Broken)
    assert seen[0]["files"] == []
    assert "ZeroDivisionError" in caplog.text


async def test_file_path_may_use_the_item(site, tmp_path):
    base, _ = site

    class ByItem(FilesPipeline):
        def file_path(self, request, response=None, info=None, *, item=None):
            return f"items/{item['id']}/{request.url.rsplit('/', 1)[-1]}"

    await crawl_files(base, tmp_path, [{"id": 7, "file_urls": ["/files/data.csv"]}], pipeline=ByItem)
    assert (tmp_path / "items" / "7" / "data.csv").read_bytes() == FILES["data.csv"]


async def test_custom_fields_and_item_classes(site, tmp_path):
    base, _ = site

    class Product(Item):
        id = Field()
        attachments = Field()
        downloaded = Field()

    class ProductSpider(MediaSpider):
        def parse(self, response):
            yield Product(id=1, attachments=[response.urljoin("/files/data.csv")])

    Recorder, seen = recorder()
    await crawl(ProductSpider, {
        "ITEM_PIPELINES": {PIPELINE: 1, Recorder: 900}, "FILES_STORE": str(tmp_path),
        "FILES_URLS_FIELD": "attachments", "FILES_RESULT_FIELD": "downloaded",
    }, start_urls=[f"{base}/page"])
    [item] = seen
    assert isinstance(item, Product)
    assert item["downloaded"][0]["checksum"] == md5(FILES["data.csv"])


async def test_disk_work_runs_outside_the_event_loop_thread(site, tmp_path, monkeypatch):
    base, _ = site
    threads = []
    original_persist, original_stat = FSFilesStore.persist_file, FSFilesStore.stat_file

    def persist(self, *args, **kwargs):
        threads.append(threading.current_thread())
        return original_persist(self, *args, **kwargs)

    def stat(self, *args, **kwargs):
        threads.append(threading.current_thread())
        return original_stat(self, *args, **kwargs)

    monkeypatch.setattr(FSFilesStore, "persist_file", persist)
    monkeypatch.setattr(FSFilesStore, "stat_file", stat)
    await crawl_files(base, tmp_path, [{"id": 1, "file_urls": ["/files/data.csv"]}])
    assert len(threads) == 2
    assert threading.main_thread() not in threads


async def test_store_with_async_methods_is_awaited(site, tmp_path):
    base, _ = site
    written = {}

    class MemoryStore:
        def __init__(self, uri):
            pass

        async def stat_file(self, path, info):
            return {}

        async def persist_file(self, path, buf, info, meta=None, headers=None):
            written[path] = buf.getvalue()

    class MemoryPipeline(FilesPipeline):
        STORE_SCHEMES = {**FilesPipeline.STORE_SCHEMES, "mem": MemoryStore}

    await crawl_files(base, "mem://x", [{"id": 1, "file_urls": ["/files/data.csv"]}], pipeline=MemoryPipeline)
    assert list(written.values()) == [FILES["data.csv"]]


# -- settings and paths --------------------------------------------------------------------


def build(pipeline_cls=FilesPipeline, **settings):
    return build_from_crawler(pipeline_cls, get_crawler(None, settings))


def test_file_path_extensions(tmp_path):
    file_path = build(FILES_STORE=str(tmp_path)).file_path
    url = "http://example.com/some/report.pdf"
    assert file_path(Request(url)) == f"full/{hashlib.sha1(url.encode()).hexdigest()}.pdf"
    assert file_path(Request("http://example.com/a.txt?x=1")).endswith(".txt")
    assert file_path(Request("http://example.com/get?img=photo.jpg")).endswith(".jpg")
    assert "." not in file_path(Request("http://example.com/dir/noext"))
    assert "." not in file_path(Request("http://example.com/get?img=photo.jpg.bohaha"))
    assert file_path(Request("data:image/png;base64,iVBORw0KGgo=")).endswith(".png")
    assert file_path(Request(url), response=Response(url), info=None) == file_path(Request(url))


def test_missing_store_is_not_configured():
    with pytest.raises(NotConfigured, match="FILES_STORE setting must be set to a valid path"):
        build(FILES_STORE="")
    with pytest.raises(NotConfigured, match="FILES_STORE"):
        build()


def test_settings_class_attributes_and_class_prefixes(tmp_path):
    store = str(tmp_path)
    default = build(FILES_STORE=store)
    assert (default.expires, default.files_urls_field, default.files_result_field) == (90, "file_urls", "files")

    configured = build(FILES_STORE=store, FILES_EXPIRES=7, FILES_URLS_FIELD="u", FILES_RESULT_FIELD="r")
    assert (configured.expires, configured.files_urls_field, configured.files_result_field) == (7, "u", "r")

    class Attributes(FilesPipeline):
        EXPIRES = 3
        FILES_URLS_FIELD = "links"
        FILES_RESULT_FIELD = "saved"

    own = build(Attributes, FILES_STORE=store)
    assert (own.expires, own.files_urls_field, own.files_result_field) == (3, "links", "saved")
    overridden = build(Attributes, FILES_STORE=store, FILES_EXPIRES=8)
    assert overridden.expires == 8
    prefixed = build(Attributes, FILES_STORE=store, FILES_EXPIRES=8, ATTRIBUTES_FILES_EXPIRES=9,
                     ATTRIBUTES_FILES_URLS_FIELD="p")
    assert (prefixed.expires, prefixed.files_urls_field) == (9, "p")

    class Defaults(FilesPipeline):
        DEFAULT_FILES_URLS_FIELD = "that"
        DEFAULT_FILES_RESULT_FIELD = "this"

    defaults = build(Defaults, FILES_STORE=store)
    assert (defaults.files_urls_field, defaults.files_result_field) == ("that", "this")


def test_prefixed_allow_redirects(tmp_path):
    class Mine(FilesPipeline):
        pass

    request = Request("http://example.com/f")
    build(Mine, FILES_STORE=str(tmp_path), MINE_MEDIA_ALLOW_REDIRECTS=True)._modify_media_request(request)
    assert 302 not in request.meta["handle_httpstatus_list"]
    assert 404 in request.meta["handle_httpstatus_list"]


@pytest.mark.parametrize("urls", ["http://example.com/a.pdf", ("http://example.com/a.pdf",), None])
def test_file_urls_must_be_a_list(tmp_path, urls):
    pipeline = build(FILES_STORE=str(tmp_path))
    with pytest.raises(TypeError, match="file_urls must be a list of URLs"):
        pipeline.get_media_requests({"file_urls": urls}, None)


def test_item_without_result_field_is_left_alone(tmp_path):
    class Bare(Item):
        file_urls = Field()

    item = Bare(file_urls=[])
    assert build(FILES_STORE=str(tmp_path)).item_completed([(True, {"url": "u"})], item, None) is item
    assert "files" not in ItemAdapter(item)


def test_file_exception_moved_to_media():
    with pytest.warns(ScrapyDeprecationWarning, match="FileException"):
        assert files_module.FileException is FileException
    with pytest.raises(AttributeError):
        files_module.no_such_name  # noqa: B018


# -- stores --------------------------------------------------------------------------------

INFO = MediaPipeline.SpiderInfo(None)


def test_fs_store_persists_and_stats(tmp_path):
    store = FSFilesStore(f"file://{tmp_path}")
    assert store.basedir == str(tmp_path)
    assert store.stat_file("full/a.bin", INFO) == {}
    store.persist_file("full/a.bin", BytesIO(b"data"), INFO)
    assert (tmp_path / "full" / "a.bin").read_bytes() == b"data"
    stat = store.stat_file("full/a.bin", INFO)
    assert stat["checksum"] == hashlib.md5(b"data").hexdigest()
    assert stat["last_modified"] == pytest.approx(time.time(), abs=60)
    assert store._get_filesystem_path("x/y.jpg") == Path(tmp_path, "x", "y.jpg")


def test_fs_store_accepts_path_objects(tmp_path):
    assert FSFilesStore(tmp_path / "new").basedir == str(tmp_path / "new")
    assert (tmp_path / "new").is_dir()


def test_s3_store_needs_botocore(monkeypatch):
    monkeypatch.setattr(files_module, "is_botocore_available", lambda: False)
    with pytest.raises(NotConfigured, match="missing botocore library"):
        S3FilesStore("s3://bucket/prefix/")


def test_s3_pipeline_without_botocore_is_disabled(tmp_path, monkeypatch):
    monkeypatch.setattr(files_module, "is_botocore_available", lambda: False)
    with pytest.raises(NotConfigured):
        build(FILES_STORE="s3://bucket/prefix/")


async def test_s3_store_with_botocore():
    pytest.importorskip("botocore", reason="botocore is an optional dependency")
    from datetime import datetime, timezone

    from botocore.stub import ANY, Stubber

    store = S3FilesStore("s3://bucket/prefix/")
    modified = datetime(2024, 5, 1, tzinfo=timezone.utc)
    with Stubber(store.s3_client) as stub:
        stub.add_response("put_object", {}, {
            "ACL": "private", "Body": ANY, "Bucket": "bucket", "CacheControl": "max-age=172800",
            "ContentType": "image/png", "Key": "prefix/full/a.png", "Metadata": {"w": "1"},
        })
        stub.add_response("head_object", {"ETag": '"abc"', "LastModified": modified},
                          {"Bucket": "bucket", "Key": "prefix/full/a.png"})
        await store.persist_file("full/a.png", BytesIO(b"x"), INFO, meta={"w": 1},
                                 headers={"Content-Type": "image/png"})
        assert await store.stat_file("full/a.png", INFO) == {
            "checksum": "abc", "last_modified": modified.timestamp(),
        }
        stub.assert_no_pending_responses()
    with pytest.raises(TypeError, match='Header "X-Custom" is not supported by botocore'):
        store._headers_to_botocore_kwargs({"X-Custom": "1"})


def test_gcs_store_needs_google_cloud_storage():
    try:
        import google.cloud.storage  # noqa: F401
    except ImportError:
        with pytest.raises(NotConfigured, match="google-cloud-storage"):
            GCSFilesStore("gs://bucket/prefix/")
    else:
        pytest.skip("google-cloud-storage is installed")


def test_ftp_store_rejects_other_schemes():
    with pytest.raises(ValueError, match="Incorrect URI scheme in http://example.com/, expected 'ftp'"):
        FTPFilesStore("http://example.com/")


@pytest.fixture
def ftp_server(tmp_path):
    with serve_ftp(tmp_path) as port:
        yield f"ftp://user:secret@127.0.0.1:{port}", tmp_path


async def test_ftp_store_persists_and_stats(ftp_server):
    url, root = ftp_server
    store = FTPFilesStore(f"{url}/media/")
    assert store.basedir == "/media"
    assert await store.stat_file("full/a.bin", INFO) == {}
    await store.persist_file("full/a.bin", BytesIO(b"ftp data"), INFO)
    assert (root / "media" / "full" / "a.bin").read_bytes() == b"ftp data"
    stat = await store.stat_file("full/a.bin", INFO)
    assert stat["checksum"] == hashlib.md5(b"ftp data").hexdigest()
    assert stat["last_modified"] == pytest.approx(time.time(), abs=60)  # MDTM is a date, not seconds


async def test_ftp_uploads_into_one_new_folder_at_once(ftp_server):
    url, root = ftp_server
    store = FTPFilesStore(f"{url}/media/")
    names = [f"full/{n}.bin" for n in range(8)]
    await asyncio.gather(*(store.persist_file(name, BytesIO(name.encode()), INFO) for name in names))
    assert {name: (root / "media" / name).read_bytes() for name in names} == {name: name.encode() for name in names}


async def test_crawl_into_an_ftp_store(site, ftp_server):
    base, _ = site
    url, root = ftp_server
    items = [{"id": 1, "file_urls": ["/files/report.pdf"]}]
    _, seen = await crawl_files(base, f"{url}/store", items)
    [info] = seen[0]["files"]
    assert (root / "store" / info["path"]).read_bytes() == FILES["report.pdf"]
    _, seen = await crawl_files(base, f"{url}/store", items)
    assert seen[0]["files"][0]["status"] == "uptodate"
    assert by_id(seen)[1]["files"][0]["checksum"] == md5(FILES["report.pdf"])
    three_days_ago = time.time() - 3 * 86400
    os.utime(root / "store" / info["path"], (three_days_ago, three_days_ago))
    _, seen = await crawl_files(base, f"{url}/store", items, {"FILES_EXPIRES": 2})
    assert seen[0]["files"][0]["status"] == "downloaded"
