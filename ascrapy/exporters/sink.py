"""A text stream that encodes into the exporter's binary file."""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["EncodedTextSink"]


class EncodedTextSink(io.TextIOBase):
    """Encodes each write into ``file``, like a write-through TextIOWrapper.

    Unlike a TextIOWrapper it never closes ``file`` (not even when garbage collected),
    and inside :meth:`holding` it keeps the encoded bytes and writes them in one call.
    An encoding error loses only the text of the failing write.
    """

    def __init__(self, file: Any, encoding: str, errors: str | None = None):
        super().__init__()
        self._file = file
        self._encoding = encoding
        self._encode = codecs.getincrementalencoder(encoding)(errors or "strict").encode
        self._held: list[bytes] | None = None

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        data = self._encode(text)
        if self._held is None:
            self._file.write(data)
        else:
            self._held.append(data)
        return len(text)

    @contextmanager
    def holding(self) -> Iterator[None]:
        """Write everything encoded inside the block with one ``file.write``."""
        if self._held is not None:  # already holding: the outer block writes
            yield
            return
        self._held = []
        try:
            yield
        finally:
            held, self._held = self._held, None
            if held:
                self._file.write(b"".join(held))

    def flush(self) -> None:
        flush = getattr(self._file, "flush", None)
        if flush is not None and not getattr(self._file, "closed", False):
            flush()

    def detach(self) -> Any:
        """The binary file (which stays open)."""
        return self._file
