"""Size-capped decoders for compressed bodies, shared by HttpCompressionMiddleware,
SitemapSpider (through :mod:`ascrapy.utils.gz`) and anything else that inflates
untrusted data.

Decoding happens in chunks so that a size limit stops a small compressed body (a
"bomb") before it inflates into gigabytes.
"""

from __future__ import annotations

import zlib
from io import BytesIO

import brotli
import zstandard

# Output is produced and size-checked this many bytes at a time.
_CHUNK_SIZE = 65536


class _DecompressionMaxSizeExceeded(ValueError):
    """Decoding went past the size limit; raised before the rest is decoded."""

    def __init__(self, decompressed_size: int, max_size: int) -> None:
        super().__init__(decompressed_size, max_size)
        self.decompressed_size = decompressed_size
        self.max_size = max_size

    def __str__(self) -> str:
        return (
            f"The number of bytes decompressed so far ({self.decompressed_size} B) "
            f"exceeded the specified maximum ({self.max_size} B)."
        )


def _check_max_size(decompressed_size: int, max_size: int) -> None:
    """Raise once ``decompressed_size`` passes ``max_size`` (0 means no limit)."""
    if max_size and decompressed_size > max_size:
        raise _DecompressionMaxSizeExceeded(decompressed_size, max_size)


class _SizeCappedBuffer:
    """Collects decoded chunks and raises as soon as their total passes ``max_size``."""

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
        self.size = 0
        self.chunks: list[bytes] = []

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        _check_max_size(self.size, self.max_size)
        self.chunks.append(chunk)

    def getvalue(self) -> bytes:
        return b"".join(self.chunks)


def _inflate(data: bytes, *, max_size: int = 0) -> bytes:
    """Decode deflate: zlib-wrapped as the RFC says, or raw as some servers send it."""
    decompressor = zlib.decompressobj()
    try:
        chunk = decompressor.decompress(data, _CHUNK_SIZE)
    except zlib.error:
        decompressor = zlib.decompressobj(wbits=-zlib.MAX_WBITS)
        chunk = decompressor.decompress(data, _CHUNK_SIZE)
    output = _SizeCappedBuffer(max_size)
    output.add(chunk)
    # Bytes after the end of the stream stay in unconsumed_tail forever: stop at eof.
    while decompressor.unconsumed_tail and not decompressor.eof:
        output.add(decompressor.decompress(decompressor.unconsumed_tail, _CHUNK_SIZE))
    return output.getvalue()


def _unbrotli(data: bytes, *, max_size: int = 0) -> bytes:
    """Decode brotli; a cut-off stream keeps what was decoded."""
    decompressor = brotli.Decompressor()
    output = _SizeCappedBuffer(max_size)
    output.add(decompressor.process(data, output_buffer_limit=_CHUNK_SIZE))
    while not decompressor.is_finished():
        chunk = decompressor.process(b"", output_buffer_limit=_CHUNK_SIZE)
        if not chunk:
            break
        output.add(chunk)
    return output.getvalue()


def _unzstd(data: bytes, *, max_size: int = 0) -> bytes:
    """Decode zstd, every frame; a cut-off frame yields only the chunks completed before it."""
    reader = zstandard.ZstdDecompressor().stream_reader(BytesIO(data), read_across_frames=True)
    output = _SizeCappedBuffer(max_size)
    while chunk := reader.read(_CHUNK_SIZE):
        output.add(chunk)
    return output.getvalue()
