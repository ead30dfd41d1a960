"""Every Python sample in the README runs against the bundled bookstore and produces items.

Samples are recognised by what they are: a spider (a class with a ``name`` and a ``parse``),
a batch pipeline (``process_batch``), a settings file (``# settings.py``), a Kafka spider
(a KafkaSpider or KafkaCrawlSpider) and the producer that feeds its topic (aiokafka's
producer), those two against a real broker (tests/kafka_broker.py). A sample of another
kind fails the test that classifies them: give it a way to be run here.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ascrapy.settings import defaults
from tests.sites import EXAMPLES_DIR, load_example, serve_app_in_thread

README = Path(__file__).resolve().parent.parent / "README.md"
README_SITE = "http://127.0.0.1:8000/"  # where the README's samples expect the example site
README_BROKER = "127.0.0.1:9092"  # where the README's Kafka samples expect the broker
BOOKS_ON_THE_SITE = 21
CRAWL_TIMEOUT = 120


def python_samples() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", README.read_text(encoding="utf-8"), flags=re.S | re.M)


def kind_of(sample: str) -> str:
    if sample.startswith("# settings.py"):
        return "settings"
    if "def process_batch" in sample:
        return "batch pipeline"
    if re.search(r"^class \w+\(Kafka(Crawl)?Spider\):", sample, flags=re.M):
        return "kafka spider"
    if "AIOKafkaProducer(" in sample:
        return "kafka producer"
    if re.search(r"^class \w+\(.*Spider\):", sample, flags=re.M) and "def parse" in sample:
        return "spider"
    return "unknown"


def samples_of(kind: str) -> list[str]:
    return [sample for sample in python_samples() if kind_of(sample) == kind]


@pytest.fixture(scope="module")
def bookstore_url() -> Iterator[str]:
    with serve_app_in_thread(load_example("serve_site.py").make_site_app()) as url:
        yield url.rstrip("/") + "/"


def runspider(spider_file: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "ascrapy", "runspider", spider_file.name, "-L", "INFO", *arguments],
        capture_output=True, text=True, cwd=spider_file.parent, timeout=CRAWL_TIMEOUT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Spider error" not in done.stderr and "Traceback" not in done.stderr, done.stderr[-3000:]
    return done


def first_spider(tmp_path: Path, site: str) -> Path:
    """The README's first spider, saved as books.py and pointed at ``site``."""
    spider = tmp_path / "books.py"
    spider.write_text(samples_of("spider")[0].replace(README_SITE, site), encoding="utf-8")
    return spider


def read_lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_python_sample_is_one_these_tests_run():
    samples = python_samples()
    assert samples, "the README has Python samples"
    unknown = [sample.splitlines()[0] for sample in samples if kind_of(sample) == "unknown"]
    assert not unknown, f"README samples no test runs: {unknown}"


@pytest.mark.parametrize("index", range(len(samples_of("spider"))))
def test_a_spider_sample_scrapes_the_bookstore(tmp_path, bookstore_url, index):
    sample = samples_of("spider")[index]
    assert README_SITE in sample, "a spider sample starts at the example site's address"
    spider = tmp_path / "books.py"
    spider.write_text(sample.replace(README_SITE, bookstore_url), encoding="utf-8")
    runspider(spider, "-O", "books.jsonl")  # as the README runs it
    items = read_lines(tmp_path / "books.jsonl")
    assert len(items) == BOOKS_ON_THE_SITE
    assert all(str(item["url"]).startswith(bookstore_url) for item in items)
    assert sum(1 for item in items if item.get("title")) >= BOOKS_ON_THE_SITE - 1  # one page has none


@pytest.mark.parametrize("index", range(len(samples_of("batch pipeline"))))
def test_a_batch_pipeline_sample_writes_the_crawls_items(tmp_path, bookstore_url, index):
    (tmp_path / "readme_pipeline.py").write_text(samples_of("batch pipeline")[index], encoding="utf-8")
    name = re.search(r"^class (\w+)", samples_of("batch pipeline")[index], flags=re.M)
    assert name is not None
    spider = first_spider(tmp_path, bookstore_url)
    pipelines = json.dumps({f"readme_pipeline.{name.group(1)}": 300})
    runspider(spider, "-s", f"ITEM_PIPELINES={pipelines}")
    written = list(tmp_path.glob("*.jsonl"))
    assert len(written) == 1 and len(read_lines(written[0])) == BOOKS_ON_THE_SITE


@pytest.mark.parametrize("index", range(len(samples_of("settings"))))
def test_a_settings_sample_runs_the_first_spider(tmp_path, bookstore_url, redis_url, index):
    """Settings samples name only real settings, and a crawl with them scrapes every book
    (service addresses are replaced by the test servers')."""
    settings: dict[str, object] = {}
    exec(compile(samples_of("settings")[index], "README settings sample", "exec"), settings)
    settings = {name: value for name, value in settings.items() if name.isupper()}
    unknown = [name for name in settings if not hasattr(defaults, name)]
    assert not unknown, f"settings that ascrapy does not know: {unknown}"
    if "REDIS_URL" in settings:
        settings["REDIS_URL"] = redis_url
        settings["SCHEDULER_QUEUE_KEY"] = f"readme-{index}:requests"
        settings["SCHEDULER_DUPEFILTER_KEY"] = f"readme-{index}:dupefilter"
    spider = first_spider(tmp_path, bookstore_url)
    arguments = [f"{name}={value}" for name, value in settings.items()]
    runspider(spider, "-O", "books.jsonl", *[part for argument in arguments for part in ("-s", argument)])
    assert len(read_lines(tmp_path / "books.jsonl")) == BOOKS_ON_THE_SITE


def test_the_kafka_samples_crawl_the_shelves_a_topic_names_into_a_topic(tmp_path, bookstore_url, kafka_broker):
    """The producer sample sends its messages to a test broker, and the Kafka spider sample
    turns them into every book of those shelves, each once in its items topic, keyed as its
    settings say; every message is committed, and the spider closes once the topic is drained
    (the README's KAFKA_IDLE_CLOSE_SECONDS shortened to 1 s)."""
    [producer] = samples_of("kafka producer")
    [spider_sample] = samples_of("kafka spider")
    assert README_BROKER in producer and README_BROKER in spider_sample
    name = re.search(r"^    name = \"(\w+)\"", spider_sample, flags=re.M)
    assert name is not None
    for path, sample in ((tmp_path / "produce.py", producer), (tmp_path / "shelves.py", spider_sample)):
        path.write_text(sample.replace(README_SITE, bookstore_url).replace(README_BROKER, kafka_broker.bootstrap),
                        encoding="utf-8")
    produced = subprocess.run([sys.executable, "produce.py"], capture_output=True, text=True, cwd=tmp_path,
                              timeout=CRAWL_TIMEOUT)
    assert produced.returncode == 0, produced.stderr[-3000:]
    runspider(tmp_path / "shelves.py", "-s", "KAFKA_IDLE_CLOSE_SECONDS=1")

    records = kafka_broker.read(f"{name.group(1)}.items")
    items = [json.loads(record.value) for record in records]
    assert len(items) == len({item["url"] for item in items}) == BOOKS_ON_THE_SITE
    assert all(record.key == item["url"].encode() for record, item in zip(records, items, strict=True))
    assert sum(1 for item in items if item.get("title")) >= BOOKS_ON_THE_SITE - 1  # one page has none
    committed = kafka_broker.committed(name.group(1), f"{name.group(1)}.start_urls")  # topic made by the broker
    assert sum(offset or 0 for offset in committed.values()) == 3  # the three messages


def test_the_readme_names_no_file_outside_the_repository():
    text = README.read_text(encoding="utf-8")
    assert "../" not in text
    for path in re.findall(r"`((?:examples|bench|deploy|docs|compat|tests)/[\w./-]+)`", text):
        where = README.parent / path
        assert where.exists() or where.parent.is_dir(), path  # a file of the repository, or one a command writes
    assert (EXAMPLES_DIR / "serve_site.py").exists()
