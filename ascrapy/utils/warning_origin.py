"""Where a deprecation warning should point: at the code that used the deprecated name.

A warning raised while a deprecated module is imported, or a name read from it, has ascrapy
and compat's ``scrapy`` package between it and the code that asked: ``import scrapy.mail``
runs compat's file, which imports ``ascrapy.mail``, which warns. A fixed ``stacklevel``
points at one of those files, so a plugin's ``filterwarnings(..., module="myplugin")`` or a
user reading the warning misses it. ``outside_ascrapy()`` counts the frames the way
``warnings.warn`` does (importlib's own frames are not counted) up to the first one that is
neither ascrapy's nor compat's.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import FrameType

from ascrapy.utils.module_alias import compat_folders

_ASCRAPY_FOLDER = str(Path(__file__).resolve().parent.parent) + os.sep


def _is_importlib(frame: FrameType) -> bool:
    """The frames ``warnings.warn`` does not count (importlib's bootstrap)."""
    filename = frame.f_code.co_filename
    return "importlib" in filename and "_bootstrap" in filename


def _is_ours(frame: FrameType) -> bool:
    filename = frame.f_code.co_filename
    if filename.startswith(_ASCRAPY_FOLDER):
        return True
    return any(filename.startswith(folder + os.sep) for folder in compat_folders())


def outside_ascrapy(depth: int = 1) -> int:
    """The ``stacklevel`` for a ``warnings.warn`` call made ``depth`` frames above the
    caller of this function (1: by that caller itself) that points at the first frame
    outside ascrapy and compat; if there is none (ascrapy imports itself), the outermost."""
    frame: FrameType | None = sys._getframe(depth)
    level = 1
    while frame is not None and _is_ours(frame):
        previous = frame.f_back
        while previous is not None and _is_importlib(previous):
            previous = previous.f_back
        if previous is None:
            break
        frame = previous
        level += 1
    return level
