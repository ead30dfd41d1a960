"""Feed post-processing: plugins on their own, and crawls whose feeds come out compressed."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
from io import BytesIO

import pytest

import ascrapy
from ascrapy.extensions.postprocessing import Bz2Plugin, GzipPlugin, LZMAPlugin, PostProcessingManager

from .crawl_helpers import crawl


class Suffix:
    """A custom plugin: appends the ``suffix`` feed option to every write."""

    def __init__(self, file, feed_options):
        self.file = file
        self.suffix = feed_options.get("suffix", b"")

    def write(self, data):
        return self.file.write(data) + self.file.write(self.suffix)

    def close(self):
        self.file.close()


def test_manager_chains_plugins_in_order_and_reports_the_target_position():
    target = BytesIO()
    manager = PostProcessingManager([Suffix, GzipPlugin], target, {"suffix": b"!", "gzip_mtime": 0})
    assert manager.writable()
    assert manager.tell() == target.tell() == 10  # the gzip header
    manager.write(b"ab")
    manager.write(b"cd")
    manager.close()
    assert manager.tell() == len(target.getvalue())
    # Suffix runs first, then gzip compresses its output.
    assert gzip.decompress(target.getvalue()) == b"ab!cd!"


def test_closing_twice_closes_the_plugins_once():
    closes = []

    class Counting(Suffix):
        def close(self):
            closes.append(1)

    manager = PostProcessingManager([Counting], BytesIO(), {})
    manager.close()
    manager.close()
    assert closes == [1] and manager.closed


def test_plugins_are_loaded_from_import_paths():
    target = BytesIO()
    manager = PostProcessingManager(["ascrapy.extensions.postprocessing.Bz2Plugin"], target, {})
    manager.write(b"data")
    manager.close()
    assert bz2.decompress(target.getvalue()) == b"data"
    assert not target.closed  # the storage, not the plugin, closes the target file


@pytest.mark.parametrize(
    ("plugin", "options", "decompress"),
    [
        (GzipPlugin, {"gzip_compresslevel": 1, "gzip_mtime": 123, "gzip_filename": "items.jl"}, gzip.decompress),
        (LZMAPlugin, {"lzma_format": lzma.FORMAT_ALONE, "lzma_preset": 1}, lzma.decompress),
        (Bz2Plugin, {"bz2_compresslevel": 1}, bz2.decompress),
    ],
)
def test_each_compressor_honours_its_options(plugin, options, decompress):
    target = BytesIO()
    manager = PostProcessingManager([plugin], target, options)
    manager.write(b"x" * 1000)
    manager.close()
    data = target.getvalue()
    assert decompress(data) == b"x" * 1000
    if plugin is GzipPlugin:
        header = gzip.GzipFile(fileobj=BytesIO(data))
        header.read()
        assert header.mtime == 123
        assert b"items.jl\x00" in data[:30]  # FNAME field
    if plugin is LZMAPlugin:
        with pytest.raises(lzma.LZMAError):
            lzma.decompress(data, format=lzma.FORMAT_XZ)


class ItemsSpider(ascrapy.Spider):
    name = "items"

    def __init__(self, base_url: str, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [f"{base_url}/status/200", f"{base_url}/json"]

    def parse(self, response):
        for number in range(3):
            yield {"url": response.url, "n": number}


async def test_a_crawl_writes_gzip_and_lzma_feeds(tmp_path, test_server_url):
    gz_path, xz_path, plain_path = tmp_path / "items.jl.gz", tmp_path / "items.json.xz", tmp_path / "items.jl"
    feeds = {
        str(gz_path): {"format": "jsonlines", "postprocessing": [GzipPlugin], "gzip_compresslevel": 5},
        str(xz_path): {"format": "json", "postprocessing": ["ascrapy.extensions.postprocessing.LZMAPlugin"]},
        str(plain_path): {"format": "jsonlines"},
    }
    crawler = await crawl(ItemsSpider, {"FEEDS": feeds, "FEED_WRITE_BATCH_SIZE": 2}, base_url=test_server_url)
    assert crawler.stats.get_value("feedexport/success_count/FileFeedStorage") == 3

    plain = plain_path.read_bytes()
    assert gzip.decompress(gz_path.read_bytes()) == plain
    rows = [json.loads(line) for line in plain.splitlines()]
    assert len(rows) == 6
    assert sorted(json.loads(lzma.decompress(xz_path.read_bytes())), key=str) == sorted(rows, key=str)


@pytest.mark.parametrize("fmt", ["csv", "xml", "json", "jsonlines", "pickle", "marshal"])
async def test_every_format_goes_through_a_plugin_chain(tmp_path, test_server_url, fmt):
    compressed, plain = tmp_path / f"out.{fmt}.bz2", tmp_path / f"out.{fmt}"
    feeds = {
        str(compressed): {"format": fmt, "postprocessing": [Suffix, Bz2Plugin], "suffix": b""},
        str(plain): {"format": fmt},
    }
    await crawl(ItemsSpider, {"FEEDS": feeds}, base_url=test_server_url)
    assert bz2.decompress(compressed.read_bytes()) == plain.read_bytes()
    assert plain.stat().st_size > 0


async def test_an_empty_feed_with_store_empty_is_still_valid_gzip(tmp_path):
    class Nothing(ascrapy.Spider):
        name = "nothing"
        start_urls: list[str] = []

    path = tmp_path / "empty.json.gz"
    await crawl(Nothing, {"FEEDS": {str(path): {"format": "json", "store_empty": True, "postprocessing": [GzipPlugin]}}})
    assert json.loads(gzip.decompress(path.read_bytes())) == []
