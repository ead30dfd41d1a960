"""MemoryDebugger and ascrapy.utils.trackref: live tracked objects counted into stats."""

from __future__ import annotations

import gc
import io
from contextlib import redirect_stdout

import pytest

from ascrapy import signals
from ascrapy.exceptions import NotConfigured
from ascrapy.extensions.memdebug import MemoryDebugger
from ascrapy.utils import trackref
from ascrapy.utils.misc import build_from_crawler

from .ext_helpers import ExtCrawler


class Tracked(trackref.object_ref):
    pass


class Gone(trackref.object_ref):
    pass


class TrackedChild(Tracked):
    def __init__(self, value: int) -> None:
        self.value = value


def test_disabled_by_default():
    with pytest.raises(NotConfigured):
        build_from_crawler(MemoryDebugger, ExtCrawler())


def test_spider_closed_records_garbage_and_live_refs():
    crawler = ExtCrawler({"MEMDEBUG_ENABLED": True})
    extension = build_from_crawler(MemoryDebugger, crawler)  # kept, as the crawler keeps its extensions
    alive = [Tracked(), Tracked(), TrackedChild(1)]
    Gone()
    crawler.signals.send_catch_log(signals.spider_closed, spider=crawler.spider, reason="finished")
    stats = crawler.stats.get_stats()
    assert stats["memdebug/gc_garbage_count"] == len(gc.garbage)
    assert stats["memdebug/live_refs/Tracked"] == 2
    assert stats["memdebug/live_refs/TrackedChild"] == 1
    assert "memdebug/live_refs/Gone" not in stats
    assert len(alive) == 3 and extension is not None


def test_object_ref_passes_init_arguments_and_records_the_instance():
    child = TrackedChild(5)
    assert child.value == 5
    assert child in trackref.live_refs[TrackedChild]


def test_format_and_print_live_refs():
    keep = [Tracked(), TrackedChild(2)]
    table = trackref.format_live_refs()
    assert table.startswith("Live References\n\n")
    assert f"{'Tracked':<30} {len(trackref.live_refs[Tracked]):6}   oldest: 0s ago\n" in table
    assert "TrackedChild" in table
    assert "TrackedChild" not in trackref.format_live_refs(ignore=TrackedChild)
    assert "Tracked " not in trackref.format_live_refs(ignore=Tracked)  # subclasses too
    out = io.StringIO()
    with redirect_stdout(out):
        trackref.print_live_refs()
    assert out.getvalue() == table + "\n"
    assert len(keep) == 2


def test_get_oldest_and_iter_all():
    class Local(trackref.object_ref):
        pass

    first, second = Local(), Local()
    assert trackref.get_oldest("Local") is first
    assert set(trackref.iter_all("Local")) == {first, second}
    del first
    gc.collect()
    assert trackref.get_oldest("Local") is second
    assert trackref.get_oldest("NoSuchClass") is None
    assert list(trackref.iter_all("NoSuchClass")) == []
