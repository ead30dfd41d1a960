"""Commits per partition: in order, never past a message still being worked on; and what a
start message may say."""

from __future__ import annotations

import json

import pytest

from ascrapy.kafka import messages
from ascrapy.kafka.messages import BadMessage, RequestSpec, parse_start_message
from ascrapy.kafka.offsets import OffsetBook, PartitionOffsets


def test_a_finished_message_behind_an_unfinished_one_waits():
    partition = PartitionOffsets()
    for offset in (10, 11, 12, 13):
        partition.started(offset)
    partition.finished(12)
    partition.finished(13)
    assert partition.due() is None  # 10 and 11 are still being worked on
    partition.finished(10)
    assert partition.due() == 11  # everything before 11 is done
    partition.finished(11)
    assert partition.due() == 14
    assert partition.in_flight == 0


def test_offsets_need_not_be_consecutive():
    partition = PartitionOffsets()
    for offset in (3, 7, 8):  # a compacted partition, or transaction markers in between
        partition.started(offset)
    partition.finished(7)
    partition.finished(3)
    assert partition.due() == 8
    with pytest.raises(ValueError, match="offset 5 handed out after 8"):
        partition.started(5)


def test_commits_are_batched_and_only_what_moved_is_due():
    book = OffsetBook()
    book.assign(["a", "b"])
    a, b = book.get("a"), book.get("b")
    assert a is not None and b is not None
    for offset in range(5):
        a.started(offset)
        b.started(offset)
    for offset in range(3):
        a.finished(offset)
    b.finished(0)
    assert book.due() == {"a": 3, "b": 1}  # one commit for everything finished meanwhile
    book.committed({"a": 3, "b": 1})
    assert book.due() == {}
    a.finished(3)
    assert book.due() == {"a": 4}
    assert book.due(["b"]) == {}
    assert book.in_flight() == 1 + 4


def test_finished_messages_count_until_the_group_has_them():
    """What a kill -9 would repeat: the messages in flight and those finished since the last
    commit (the source bounds the two together)."""
    book = OffsetBook()
    book.assign(["a"])
    a = book.get("a")
    assert a is not None
    for offset in range(4):
        a.started(offset)
    a.finished(1)
    assert (a.in_flight, a.uncommitted) == (4, 0)  # 1 waits behind 0: still counted in flight
    a.finished(0)
    a.finished(3)
    assert (a.in_flight, book.uncommitted()) == (2, 2)
    due = book.due()
    assert due == {"a": 2}
    a.finished(2)  # finishes while that commit is on its way
    book.committed(due)
    assert (a.in_flight, book.uncommitted()) == (0, 2)  # 2 and 3: after the committed offset
    book.committed(book.due())
    assert book.uncommitted() == 0


def test_a_revoked_partition_is_forgotten_and_its_late_finishes_change_nothing():
    book = OffsetBook()
    book.assign(["a"])
    old = book.get("a")
    assert old is not None
    old.started(0)
    old.started(1)
    assert book.revoke(["a"]) == 2  # two messages were still in flight
    old.finished(0)
    assert old.due() is None
    book.assign(["a"])  # assigned again later: a new start from the group's committed offset
    new = book.get("a")
    assert new is not old and new is not None and new.in_flight == 0
    assert book.due() == {}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (b"https://example.com/a", RequestSpec("https://example.com/a")),
        (b"  https://example.com/a\n", RequestSpec("https://example.com/a")),
        (json.dumps({"url": "https://example.com/b", "meta": {"k": 1}, "priority": 5, "callback": "parse_b"}).encode(),
         RequestSpec("https://example.com/b", {"k": 1}, 5, "parse_b")),
    ],
)
def test_a_start_message_is_a_url_or_a_json_object(value, expected):
    assert parse_start_message(value) == expected


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        (None, "no value"),
        (b"", "empty"),
        (b"\xff\xfe", "not UTF-8"),
        (b"two words", "not a URL nor a JSON object"),
        (b"{nope", "invalid JSON"),
        (b'{"meta": {}}', '"url" must be a non-empty string'),
        (b'{"url": "https://e.com/", "meta": []}', '"meta" must be an object'),
        (b'{"url": "https://e.com/", "priority": "high"}', '"priority" must be an integer'),
        (b'{"url": "https://e.com/", "priority": true}', '"priority" must be an integer'),
        (b'{"url": "https://e.com/", "callback": 3}', '"callback" must be the name'),
        (b'{"url": "https://e.com/", "cookies": {}}', "unknown fields: cookies"),
    ],
)
def test_anything_else_is_malformed(value, detail):
    with pytest.raises(BadMessage, match=detail) as raised:
        parse_start_message(value)
    assert raised.value.reason == messages.MALFORMED


def test_the_retry_headers_are_read_back():
    headers = [(messages.ATTEMPTS, b"2"), (messages.NOT_BEFORE, b"1700000000123"), ("other", b"x")]
    assert messages.attempts_made(headers) == 2
    assert messages.not_before(headers) == pytest.approx(1700000000.123)
    assert messages.attempts_made([]) == 0
    assert messages.not_before([(messages.NOT_BEFORE, b"soon")]) is None
