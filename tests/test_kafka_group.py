"""Crawl processes of one consumer group against a real broker: they share a topic's
partitions, one killed with SIGKILL leaves nothing behind, a broker paused mid-crawl loses
nothing, SIGTERM commits what is done, and an unreachable broker is a clear non-zero exit.

Joining a group takes tansu about 5 seconds, and a dead member is noticed after its session
timeout (6 s here): these tests wait on log lines and on the site's counters, never on the
clock, except for the broker's pause itself.
"""

from __future__ import annotations

import json
import signal
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from subprocess import Popen

import pytest

from .kafka_broker import KafkaBroker, free_port
from .kafka_site import PAGES_SPIDER_FILE, KafkaSite
from .process_helpers import WAIT, LineReader, crawl_process
from .sites import serve_app_in_thread

START = "pages.start_urls"
ITEMS = "pages.items"
SESSION = {"session_timeout_ms": 6000, "heartbeat_interval_ms": 1000}
ASSIGNED = r"Kafka partitions assigned: "
EXIT_WAIT = 120.0  # a member may sit through two rebalances and a dead member's session


def spider_args(spider: Path, broker: str, agent: str, *extra: str) -> list[str]:
    """``runspider`` of the pages spider as worker ``agent`` (its User-Agent at the site)."""
    return [
        "runspider", str(spider), "-L", "INFO",
        "-s", f"KAFKA_BOOTSTRAP_SERVERS={broker}",
        "-s", f"KAFKA_CONSUMER_PARAMS={json.dumps(SESSION)}",
        "-s", 'ITEM_PIPELINES={"ascrapy.kafka.KafkaPipeline": 300}',
        "-s", "KAFKA_IDLE_CLOSE_SECONDS=1", "-s", "KAFKA_COMMIT_INTERVAL=0.2",
        "-s", "KAFKA_ITEMS_BATCH_TIMEOUT=0.2", "-s", f"USER_AGENT={agent}",
        "-s", "TELNETCONSOLE_ENABLED=False", "-s", "REMOTE_CONTROL_ENABLED=False",
        *extra,
    ]


@pytest.fixture
def spider_file(tmp_path: Path) -> Path:
    path = tmp_path / "pages_spider.py"
    path.write_text(PAGES_SPIDER_FILE)
    return path


@pytest.fixture
def broker() -> Iterator[KafkaBroker]:
    with KafkaBroker() as running:
        running.create_topics(START, partitions=4)
        running.create_topics(ITEMS, partitions=2)
        yield running


def item_numbers(broker: KafkaBroker) -> Counter[int]:
    return Counter(json.loads(record.value)["number"] for record in broker.read(ITEMS))


def finished(process: Popen[str], log: LineReader) -> str:
    """Wait for a crawl process to exit on its own; its whole log."""
    process.wait(EXIT_WAIT)
    text = log.rest()
    assert process.returncode == 0, text[-3000:]
    return text


def test_two_processes_share_the_topic_and_write_every_item_once(broker, spider_file):
    site = KafkaSite()
    with serve_app_in_thread(site.app()) as base, ExitStack() as stack:
        broker.produce(START, [f"{base}/page/{n}".encode() for n in range(1000)])
        members = [stack.enter_context(crawl_process(spider_args(spider_file, broker.bootstrap, agent),
                                                     spider_file.parent)) for agent in ("a", "b")]
        logs = [finished(process, log) for process, log in members]

    assert item_numbers(broker) == Counter(range(1000))  # every item, once
    assert site.details["a"] and site.details["b"]  # both took part
    assert sum(site.details.values()) == 1000  # and no page was crawled twice
    assert all("'kafka/messages/done'" in log for log in logs)
    assert sum(broker.committed("pages", START).values()) == 1000


@pytest.mark.parametrize(("moment", "restart"), [(20, False), (300, True)], ids=["early", "late-restarted"])
def test_a_member_killed_mid_crawl_leaves_no_item_behind(broker, spider_file, moment, restart):
    site = KafkaSite(detail_seconds=0.05)  # some 160 pages a second per member: a kill finds work in flight
    with serve_app_in_thread(site.app()) as base, ExitStack() as stack:
        broker.produce(START, [f"{base}/page/{n}".encode() for n in range(1000)])
        slower = ("-s", "CONCURRENT_REQUESTS=8")
        survivor = stack.enter_context(crawl_process(spider_args(spider_file, broker.bootstrap, "a", *slower),
                                                     spider_file.parent))
        victim, _ = stack.enter_context(crawl_process(spider_args(spider_file, broker.bootstrap, "b", *slower),
                                                      spider_file.parent))
        site.wait_details("b", moment)
        victim.send_signal(signal.SIGKILL)
        victim.wait(WAIT)
        others = [survivor]
        if restart:  # a new pod takes the dead one's place
            others.append(stack.enter_context(crawl_process(
                spider_args(spider_file, broker.bootstrap, "b-again", *slower), spider_file.parent)))
        for process, log in others:
            finished(process, log)

    numbers = item_numbers(broker)
    assert set(numbers) == set(range(1000))  # nothing lost
    duplicates = sum(numbers.values()) - 1000
    assert duplicates <= 100  # at most the messages the killed member had in flight
    assert victim.returncode == -signal.SIGKILL
    assert sum(broker.committed("pages", START).values()) == 1000


def test_a_broker_paused_mid_crawl_loses_no_item(broker, spider_file):
    site = KafkaSite(detail_seconds=0.01)
    with serve_app_in_thread(site.app()) as base:
        broker.produce(START, [f"{base}/page/{n}".encode() for n in range(400)])
        with crawl_process(spider_args(spider_file, broker.bootstrap, "a", "-s", "CONCURRENT_REQUESTS=4"),
                           spider_file.parent) as (process, log):
            site.wait_details("a", 100)
            broker.pause()
            time.sleep(20)  # the scenario itself: a broker that does not answer for 20 s
            broker.resume()
            text = finished(process, log)

    assert set(item_numbers(broker)) == set(range(400))
    assert "'finish_reason': 'finished'" in text
    assert sum(broker.committed("pages", START).values()) == 400


def test_sigterm_commits_what_is_done_and_leaves_the_rest_to_the_group(spider_file):
    site = KafkaSite(held=True)
    with KafkaBroker() as broker, serve_app_in_thread(site.app()) as base:
        broker.create_topics(START, ITEMS)
        broker.produce(START, [f"{base}/page/{n}".encode() for n in range(50)])
        # Four messages at a time: their details are held at the site, and SIGTERM comes.
        first = spider_args(spider_file, broker.bootstrap, "first", "-s", "KAFKA_MAX_MESSAGES_IN_FLIGHT=4")
        with crawl_process(first, spider_file.parent) as (process, log):
            site.wait_details("first", 4)
            process.send_signal(signal.SIGTERM)
            log.wait_for("Received SIGTERM")
            site.release()
            process.wait(WAIT)
            text = log.rest()
        assert "Spider closed (shutdown)" in text
        committed = broker.committed("pages", START)
        assert committed == {0: 4}  # the four in flight were finished, and committed
        assert sorted(item_numbers(broker)) == [0, 1, 2, 3]

        with crawl_process(spider_args(spider_file, broker.bootstrap, "second"), spider_file.parent) as second:
            finished(*second)
        assert item_numbers(broker) == Counter(range(50))  # the rest, by the next member; none twice
        assert site.details["second"] == 46


def test_an_unreachable_broker_stops_the_spider_with_a_clear_error(spider_file):
    servers = f"127.0.0.1:{free_port()}"
    args = spider_args(spider_file, servers, "a", "-s", "KAFKA_CONNECT_TIMEOUT=2", "-s", "ITEM_PIPELINES={}")
    with crawl_process(args, spider_file.parent) as (process, log):
        process.wait(WAIT)
        text = log.rest()
    assert process.returncode == 7, text[-3000:]  # CRAWL_FAILED (ascrapy.cli.exit_codes)
    assert f"cannot reach Kafka at {servers} (KAFKA_BOOTSTRAP_SERVERS) within 2s" in text
    assert "Spider closed (kafka_error)" in text


def test_an_unreachable_broker_keeps_the_kafka_pipeline_from_starting(tmp_path):
    spider = tmp_path / "items_spider.py"
    spider.write_text(ITEMS_SPIDER_FILE)
    servers = f"127.0.0.1:{free_port()}"
    args = ["runspider", str(spider), "-s", f"KAFKA_BOOTSTRAP_SERVERS={servers}", "-s", "KAFKA_CONNECT_TIMEOUT=1",
            "-s", 'ITEM_PIPELINES={"ascrapy.kafka.KafkaPipeline": 300}']
    with crawl_process(args, tmp_path) as (process, log):
        process.wait(WAIT)
        text = log.rest()
    assert process.returncode == 1, text[-3000:]  # START_FAILED
    assert (f"KafkaUnreachableError: KafkaPipeline cannot reach Kafka at {servers} "
            "(KAFKA_BOOTSTRAP_SERVERS) within 1s") in text


ITEMS_SPIDER_FILE = """
import ascrapy


class Items(ascrapy.Spider):
    name = "items"

    async def start(self):
        yield {"number": 1}
"""
