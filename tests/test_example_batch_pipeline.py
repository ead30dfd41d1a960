"""The example project's own batch pipeline (examples/spiders/bookstore/batch_pipelines.py),
enabled from the command line in a crawl of the bundled bookstore, as a user would."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sites import serve_app_in_thread

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
PROJECT_DIR = EXAMPLES_DIR / "spiders"


@pytest.fixture(scope="module")
def bookstore_url() -> Iterator[str]:
    spec = importlib.util.spec_from_file_location("example_serve_site", EXAMPLES_DIR / "serve_site.py")
    assert spec is not None and spec.loader is not None
    serve_site = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(serve_site)
    with serve_app_in_thread(serve_site.make_site_app()) as url:
        yield url


def test_the_batch_pipeline_writes_every_book_in_batches(bookstore_url, tmp_path):
    batches_file, feed = tmp_path / "batches.jsonl", tmp_path / "feed.jsonl"
    pipelines = {"bookstore.pipelines.BookPipeline": 300, "bookstore.batch_pipelines.JsonLinesBatches": 800}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "ascrapy"), "crawl", "books", "-a", f"base_url={bookstore_url}",
         "-O", str(feed), "-s", f"ITEM_PIPELINES={json.dumps(pipelines)}", "-s", f"BATCHES_FILE={batches_file}"],
        cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    written = [json.loads(line) for line in batches_file.read_text(encoding="utf-8").splitlines()]
    exported = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    assert len(written) == 20  # the untitled book is dropped by the per-item pipeline before
    assert sorted(written, key=lambda item: item["url"]) == sorted(exported, key=lambda item: item["url"])
    assert all(isinstance(item["price"], float) for item in written)  # BookPipeline ran first
    stats = dict(re.findall(r"'(batch/JsonLinesBatches/\w+)': (\d+)", result.stderr))
    assert stats["batch/JsonLinesBatches/items"] == "20"
    assert int(stats["batch/JsonLinesBatches/batches"]) >= 3
    assert int(stats["batch/JsonLinesBatches/max_batch_size"]) <= 8
