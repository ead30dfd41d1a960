import gzip
from gzip import BadGzipFile

import pytest

from ascrapy.http import Response
from ascrapy.utils._compression import _DecompressionMaxSizeExceeded
from ascrapy.utils.gz import gunzip, gzip_magic_number

DATA = b"<html>" + b"x" * 200_000 + b"</html>"


def test_roundtrip_and_magic_number():
    packed = gzip.compress(DATA)
    assert gzip_magic_number(Response("http://e.org", body=packed))
    assert not gzip_magic_number(Response("http://e.org", body=DATA))
    assert not gzip_magic_number(Response("http://e.org"))
    assert gunzip(packed) == DATA


def test_all_members_are_decoded():
    assert gunzip(gzip.compress(b"one ") + gzip.compress(b"two")) == b"one two"


def test_truncated_or_corrupt_stream_keeps_what_was_decoded():
    packed = gzip.compress(DATA)
    assert DATA.startswith(gunzip(packed[:-8] + b"\x00" * 8))  # bad CRC and size
    partial = gunzip(packed[: len(packed) // 2])
    assert partial and DATA.startswith(partial)


def test_not_gzip_raises():
    with pytest.raises(BadGzipFile):
        gunzip(b"plain text")


def test_max_size_stops_decoding():
    packed = gzip.compress(b"\x00" * 1_000_000)
    with pytest.raises(_DecompressionMaxSizeExceeded, match=r"exceeded the specified maximum \(100000 B\)"):
        gunzip(packed, max_size=100_000)
    assert len(gunzip(packed, max_size=1_000_000)) == 1_000_000
