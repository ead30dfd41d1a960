"""gzip helpers (scrapy.utils.gz): tolerant, size-capped decoding and detection."""

from __future__ import annotations

import struct
from gzip import GzipFile
from io import BytesIO
from typing import TYPE_CHECKING

from ascrapy.utils._compression import _CHUNK_SIZE, _SizeCappedBuffer

if TYPE_CHECKING:
    from ascrapy.http import Response

__all__ = ["gunzip", "gzip_magic_number"]

# ID1, ID2 and CM=8 (deflate): the first bytes of every gzip member.
_GZIP_MAGIC = b"\x1f\x8b\x08"


def gunzip(data: bytes, *, max_size: int = 0) -> bytes:
    """Decode gzip data (all members) without inflating past ``max_size`` bytes.

    Servers often send gzip streams with a bad CRC or a cut-off end: once some output
    has been decoded, such an error keeps what was decoded instead of raising.
    """
    source = GzipFile(fileobj=BytesIO(data))
    output = _SizeCappedBuffer(max_size)
    while True:
        try:
            chunk = source.read1(_CHUNK_SIZE)
        except (OSError, EOFError, struct.error):
            if output.size:
                break
            raise
        if not chunk:
            break
        output.add(chunk)
    return output.getvalue()


def gzip_magic_number(response: Response) -> bool:
    """True if the response body starts like a gzip file."""
    return response.body[:3] == _GZIP_MAGIC
