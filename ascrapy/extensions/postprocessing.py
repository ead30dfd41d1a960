"""Feed post-processing: the FEEDS option ``postprocessing`` transforms the bytes an exporter
writes (compresses them, say) before they reach the feed's storage.

A plugin is a class built as ``Plugin(file, feed_options)`` with ``write(data) -> int``
and ``close()``; it writes its output to ``file``. PostProcessingManager chains the
configured plugins, the first one receiving the exporter's bytes and the last one writing
to the storage file. Plugin options are read from the feed's options
(``gzip_compresslevel``, ``lzma_preset``, ...).
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
from typing import IO, Any

from ascrapy.utils.misc import load_object

__all__ = ["Bz2Plugin", "GzipPlugin", "LZMAPlugin", "PostProcessingManager"]


class GzipPlugin:
    """gzip compression. Feed options: ``gzip_compresslevel`` (default 9), ``gzip_mtime``,
    ``gzip_filename`` (see :class:`gzip.GzipFile`)."""

    def __init__(self, file: IO[bytes], feed_options: dict[str, Any]) -> None:
        self.file = file
        self.feed_options = feed_options
        self.gzipfile = gzip.GzipFile(
            fileobj=file,
            mode="wb",
            compresslevel=feed_options.get("gzip_compresslevel", 9),
            mtime=feed_options.get("gzip_mtime"),
            filename=feed_options.get("gzip_filename"),
        )

    def write(self, data: bytes) -> int:
        return self.gzipfile.write(data)

    def close(self) -> None:
        self.gzipfile.close()


class Bz2Plugin:
    """bzip2 compression. Feed option: ``bz2_compresslevel`` (default 9)."""

    def __init__(self, file: IO[bytes], feed_options: dict[str, Any]) -> None:
        self.file = file
        self.feed_options = feed_options
        self.bz2file = bz2.BZ2File(file, mode="wb", compresslevel=feed_options.get("bz2_compresslevel", 9))

    def write(self, data: bytes) -> int:
        return self.bz2file.write(data)

    def close(self) -> None:
        self.bz2file.close()


class LZMAPlugin:
    """xz/lzma compression. Feed options: ``lzma_format``, ``lzma_check``, ``lzma_preset``,
    ``lzma_filters`` (see :class:`lzma.LZMAFile`)."""

    def __init__(self, file: IO[bytes], feed_options: dict[str, Any]) -> None:
        self.file = file
        self.feed_options = feed_options
        self.lzmafile = lzma.LZMAFile(
            file,
            mode="wb",
            format=feed_options.get("lzma_format"),
            check=feed_options.get("lzma_check", -1),
            preset=feed_options.get("lzma_preset"),
            filters=feed_options.get("lzma_filters"),
        )

    def write(self, data: bytes) -> int:
        return self.lzmafile.write(data)

    def close(self) -> None:
        self.lzmafile.close()


class PostProcessingManager(io.IOBase):
    """A writable binary file for exporters that runs what they write through the plugins.

    ``plugins`` are classes or import paths, applied in their order. Closing closes the
    plugin chain (flushing compressed trailers) but not ``file``, which the feed storage
    then stores. It is an :class:`io.IOBase` so exporters can wrap it like any file.
    """

    def __init__(self, plugins: list[Any], file: IO[bytes], feed_options: dict[str, Any]) -> None:
        super().__init__()
        self.plugins = self._load_plugins(plugins)
        self.file = file
        self.feed_options = feed_options
        self.head_plugin = self._get_head_plugin()

    def write(self, data: bytes) -> int:
        """Hand ``data`` to the first plugin; returns what it reports written."""
        return self.head_plugin.write(data)

    def tell(self) -> int:
        """The position in the target file (compressed bytes written so far)."""
        return self.file.tell()

    def close(self) -> None:
        """Close the plugins, once, so they write their last bytes into the target file."""
        if self.closed:
            return
        try:
            self.head_plugin.close()
        finally:
            super().close()

    def writable(self) -> bool:
        return True

    def _load_plugins(self, plugins: list[Any]) -> list[Any]:
        return [load_object(plugin) for plugin in plugins]

    def _get_head_plugin(self) -> Any:
        # Built from the last plugin (which writes to the file) back to the first.
        downstream: Any = self.file
        for plugin_cls in reversed(self.plugins):
            downstream = plugin_cls(downstream, self.feed_options)
        return downstream
