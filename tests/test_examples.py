"""The example project (examples/spiders) crawling the bundled bookstore (examples/site).

The site and the pipelines are checked on their own; the spiders run end to end through
the ``ascrapy`` command, as a user would run them, and must produce exactly these items.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from ascrapy.exceptions import DropItem
from tests.sites import EXAMPLES_DIR, crawl_links, load_example, serve_app_in_thread, serve_command

PROJECT_DIR = EXAMPLES_DIR / "spiders"
CRAWL_TIMEOUT = 120

SCIENCE_FICTION = {
    "The Clockwork Orchard", "Signals from Tau Ceti", "Rust on the Moon",
    "A Map of Quiet Stars (Signed First Edition)", "The Last Lighthouse Keeper of Mars",
    "Paper Robots", "Orbit of Small Things",
}
MYSTERY = {  # "The Glass Archive" is listed too, but its page has no title: the pipeline drops it
    "Murder at the Tidal Mill", "The Seventh Key", "Fog over Harrow Lane",
    "The Silent Witness of Calle Feria", "A Poisoned Pen", "The Vanishing Cartographer",
}
POETRY = {
    "Salt and Paper", "Winter Orchard Songs", "Little Engines", "Night Trains to Riga",
    "Lanterns", "Canción del Sur", "Ten Small Hours",
}
AUTHOR_BOOK_COUNTS = {
    "ada-quill": 4, "bruno-sato": 4, "carmen-ibanez": 4, "dmitri-volk": 5, "elsie-moreau": 4,
}


@pytest.fixture(scope="module")
def bookstore_url() -> Iterator[str]:
    with serve_app_in_thread(load_example("serve_site.py").make_site_app()) as url:
        yield url


@pytest.fixture
def pipelines(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """The project's pipelines module, imported as `ascrapy crawl` imports it, then forgotten."""
    monkeypatch.syspath_prepend(str(PROJECT_DIR))
    import bookstore.pipelines

    yield bookstore.pipelines
    for name in [name for name in sys.modules if name.split(".")[0] == "bookstore"]:
        del sys.modules[name]


def ascrapy_command() -> list[str]:
    """The installed ``ascrapy`` script of this interpreter's environment."""
    script = Path(sys.executable).parent / "ascrapy"
    assert script.exists(), f"install ascrapy first (pip install -e .): no {script}"
    return [str(script)]


def run_ascrapy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ascrapy_command(), *args],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=CRAWL_TIMEOUT,
    )


def crawl(spider: str, base_url: str, output: Path, *extra: str) -> tuple[list[dict[str, Any]], str]:
    """Run ``ascrapy crawl`` in the example project; return the items and the log."""
    result = run_ascrapy("crawl", spider, "-a", f"base_url={base_url}", "-O", str(output), *extra)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = output.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()], result.stderr


# ---------------------------------------------------------------- the site on its own


async def test_every_link_of_the_bookstore_works(bookstore_url):
    pages = await crawl_links(f"{bookstore_url}/")
    broken = {url: status for url, (status, _) in pages.items() if status != 200}
    assert not broken
    paths = {url.removeprefix(bookstore_url) for url in pages}
    assert len({p for p in paths if p.startswith("/catalogue/books/")}) == 21
    assert len({p for p in paths if p.startswith("/catalogue/category/")}) == 6
    assert len({p for p in paths if p.startswith("/authors/")}) == 6  # the index and 5 authors
    assert "/quotes.json" in paths


async def test_quotes_json_is_served_as_json(bookstore_url):
    pages = await crawl_links(f"{bookstore_url}/quotes.json")
    status, text = pages[f"{bookstore_url}/quotes.json"]
    assert status == 200
    assert len(json.loads(text)["quotes"]) == 8


def test_serve_site_prints_its_url_and_serves_the_index():
    with serve_command([sys.executable, str(EXAMPLES_DIR / "serve_site.py")]) as url:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{url}/", timeout=10) as response:
            assert b"<h1>Books to Crawl</h1>" in response.read()


# ---------------------------------------------------------------- the pipeline


@pytest.mark.parametrize(
    ("text", "price"),
    [("£23.50", 23.5), ("£1,250.00", 1250.0), (" £ 9.99 ", 9.99), ("12", 12.0)],
)
def test_price_is_parsed(pipelines, text, price):
    item = pipelines.BookPipeline().process_item(pipelines.BookItem(title="A book", price=text))
    assert item["price"] == price


@pytest.mark.parametrize(
    "item",
    [{"price": "£1.00"}, {"title": "", "price": "£1.00"}, {"title": "A book"}, {"title": "A book", "price": "free"}],
)
def test_books_without_title_or_price_are_dropped(pipelines, item):
    with pytest.raises(DropItem):
        pipelines.BookPipeline().process_item(pipelines.BookItem(**item))


def test_items_of_the_other_spiders_pass_untouched(pipelines):
    author = {"name": "Ada Quill", "price": "not a book"}
    assert pipelines.BookPipeline().process_item(author) == {"name": "Ada Quill", "price": "not a book"}


def test_the_batch_pipeline_writes_every_book_in_batches(bookstore_url, tmp_path):
    """bookstore/batch_pipelines.py, enabled from the command line after the per-item pipeline."""
    batches_file, feed = tmp_path / "batches.jsonl", tmp_path / "feed.jsonl"
    pipelines = {"bookstore.pipelines.BookPipeline": 300, "bookstore.batch_pipelines.JsonLinesBatches": 800}
    exported, log = crawl("books", bookstore_url, feed,
                          "-s", f"ITEM_PIPELINES={json.dumps(pipelines)}", "-s", f"BATCHES_FILE={batches_file}")
    written = [json.loads(line) for line in batches_file.read_text(encoding="utf-8").splitlines()]
    assert len(written) == 20  # the untitled book is dropped by the per-item pipeline before
    assert sorted(written, key=lambda item: item["url"]) == sorted(exported, key=lambda item: item["url"])
    assert all(isinstance(item["price"], float) for item in written)  # BookPipeline ran first
    stats = dict(re.findall(r"'(batch/JsonLinesBatches/\w+)': (\d+)", log))
    assert stats["batch/JsonLinesBatches/items"] == "20"
    assert int(stats["batch/JsonLinesBatches/batches"]) >= 3
    assert int(stats["batch/JsonLinesBatches/max_batch_size"]) <= 8


# ---------------------------------------------------------------- the spiders, end to end


def test_list_shows_the_three_spiders():
    result = run_ascrapy("list")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ["authors", "books", "quotes_json"]


def test_books_spider_scrapes_every_titled_book(bookstore_url, tmp_path):
    output = tmp_path / "books.jsonl"
    items, log = crawl("books", bookstore_url, output)
    assert len(items) == 20
    by_title = {item["title"]: item for item in items}
    assert set(by_title) == SCIENCE_FICTION | MYSTERY | POETRY
    assert Counter(item["category"] for item in items) == {"Science Fiction": 7, "Mystery": 6, "Poetry": 7}
    assert all(set(item) == {"title", "price", "availability", "category", "url"} for item in items)
    assert by_title["A Map of Quiet Stars (Signed First Edition)"]["price"] == 1250.0
    assert by_title["Paper Robots"]["price"] == 9.99
    assert by_title["Paper Robots"]["availability"] == "In stock (20 available)"
    assert by_title["Rust on the Moon"]["availability"] == "Out of stock"
    assert by_title["Canción del Sur"]["url"] == f"{bookstore_url}/catalogue/books/cancion-del-sur.html"
    assert "Canción del Sur" in output.read_text(encoding="utf-8")  # FEED_EXPORT_ENCODING = utf-8
    assert "'item_dropped_count': 1" in log


def test_authors_spider_starts_from_start_and_uses_cb_kwargs(bookstore_url, tmp_path):
    items, _ = crawl("authors", bookstore_url, tmp_path / "authors.jsonl")
    by_slug = {item["slug"]: item for item in items}
    assert len(items) == 5
    assert {slug: len(item["books"]) for slug, item in by_slug.items()} == AUTHOR_BOOK_COUNTS
    assert all(item["listed_books"] == len(item["books"]) for item in items)
    carmen = by_slug["carmen-ibanez"]
    assert carmen["name"] == "Carmen Ibáñez"
    assert carmen["born_date"] == "November 23, 1958"
    assert carmen["born_location"] == "Sevilla, España"
    assert carmen["url"] == f"{bookstore_url}/authors/carmen-ibanez.html"
    assert "The Glass Archive" in by_slug["dmitri-volk"]["books"]


def test_quotes_json_spider_reads_the_json_endpoint(bookstore_url, tmp_path):
    items, _ = crawl("quotes_json", bookstore_url, tmp_path / "quotes.jsonl")
    assert len(items) == 8
    assert Counter(item["author"] for item in items) == {
        "Ada Quill": 2, "Bruno Sato": 2, "Carmen Ibáñez": 2, "Dmitri Volk": 1, "Elsie Moreau": 1,
    }
    assert ["poetry", "español"] in [item["tags"] for item in items]


def test_demo_serves_crawls_and_reports(tmp_path):
    output = tmp_path / "demo.jsonl"
    result = subprocess.run(
        [sys.executable, str(EXAMPLES_DIR / "demo.py"), "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=CRAWL_TIMEOUT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"The crawl wrote 20 items to {output}" in result.stdout
    assert len(output.read_text(encoding="utf-8").splitlines()) == 20
