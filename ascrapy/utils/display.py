"""pformat/pprint that colour Python syntax on a terminal when Pygments is installed.

The shell and ``scrapy parse`` print items with these; output that is piped or captured
stays plain text.
"""

from __future__ import annotations

import platform
import sys
from pprint import pformat as _plain_pformat
from typing import Any

from ascrapy.utils._deps_compat import _version_tuple

__all__ = ["pformat", "pprint"]

# The first Windows 10 build whose console understands ANSI colour codes (once enabled).
_WINDOWS_ANSI_BUILD = (10, 0, 14393)


def _enable_windows_terminal_processing() -> bool:
    """Ask the Windows console to interpret ANSI escape codes on standard output."""
    import ctypes  # noqa: PLC0415 - Windows only

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    stdout_handle = kernel32.GetStdHandle(-11)  # STD_OUTPUT_HANDLE
    # 7: processed output, wrap at end of line, virtual terminal processing
    return bool(kernel32.SetConsoleMode(stdout_handle, 7))


def _tty_supports_color() -> bool:
    if sys.platform != "win32":
        return True
    if _version_tuple(platform.version()) < _WINDOWS_ANSI_BUILD:
        # Older consoles are used through ANSI-aware wrappers (colorama, ConEmu): colour.
        return True
    return _enable_windows_terminal_processing()


def _colorize(text: str, colorize: bool = True) -> str:
    if not colorize or not sys.stdout.isatty() or not _tty_supports_color():
        return text
    try:
        from pygments import highlight  # noqa: PLC0415
        from pygments.formatters import TerminalFormatter  # noqa: PLC0415
        from pygments.lexers import PythonLexer  # noqa: PLC0415
    except ImportError:
        return text
    return highlight(text, PythonLexer(), TerminalFormatter())


def pformat(obj: Any, *args: Any, **kwargs: Any) -> str:
    """pprint.pformat(obj, ...), coloured on a terminal unless ``colorize=False``."""
    colorize = kwargs.pop("colorize", True)
    return _colorize(_plain_pformat(obj, *args, **kwargs), colorize)


def pprint(obj: Any, *args: Any, **kwargs: Any) -> None:
    """Print :func:`pformat` of ``obj``."""
    print(pformat(obj, *args, **kwargs))
