"""RFPDupeFilter: fingerprints, and requests.seen in JOBDIR in Scrapy 2.19's format."""

from __future__ import annotations

from pathlib import Path

from ascrapy import Request
from ascrapy.dupefilters import RFPDupeFilter
from ascrapy.fingerprint import fingerprint


def test_same_request_twice_is_seen():
    dupefilter = RFPDupeFilter()
    assert not dupefilter.request_seen(Request("http://a.example/?b=1&a=2"))
    assert dupefilter.request_seen(Request("http://a.example/?a=2&b=1"))  # canonical URL


def test_requests_seen_file_is_length_prefixed_and_survives_a_cut_record(tmp_path: Path):
    first, second = Request("http://a.example/1"), Request("http://a.example/2")
    dupefilter = RFPDupeFilter(str(tmp_path))
    dupefilter.request_seen(first)
    dupefilter.request_seen(second)
    dupefilter.close("finished")
    data = (tmp_path / "requests.seen").read_bytes()
    fp = fingerprint(first)
    assert data.startswith(len(fp).to_bytes(2, "big") + fp)
    (tmp_path / "requests.seen").write_bytes(data[:-1])  # a crash cut the last record
    resumed = RFPDupeFilter(str(tmp_path))
    assert resumed.request_seen(first)
    assert not resumed.request_seen(second)
    resumed.close("finished")
