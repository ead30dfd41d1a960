"""pformat/pprint: plain when not on a terminal, Pygments colours on one."""

from __future__ import annotations

import re
import sys
from io import StringIO

import pytest

from ascrapy.utils import display
from ascrapy.utils.display import pformat, pprint

VALUE = {"a": 1}


class FakeTTY(StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_when_stdout_is_not_a_terminal(monkeypatch):
    monkeypatch.setattr(sys, "stdout", StringIO())
    assert pformat(VALUE) == "{'a': 1}"


def test_coloured_on_a_terminal_unless_asked_not_to(monkeypatch):
    pytest.importorskip("pygments")
    monkeypatch.setattr(sys, "stdout", FakeTTY())
    monkeypatch.setattr(sys, "platform", "linux")
    coloured = pformat(VALUE)
    assert "\x1b[" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured).strip() == "{'a': 1}"
    assert pformat(VALUE, colorize=False) == "{'a': 1}"


def test_windows_consoles(monkeypatch):
    pytest.importorskip("pygments")
    monkeypatch.setattr(sys, "stdout", FakeTTY())
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(display.platform, "version", lambda: "10.0.14392")
    assert "\x1b[" in pformat(VALUE)  # older consoles: colour, through ANSI-aware wrappers
    monkeypatch.setattr(display.platform, "version", lambda: "10.0.19045")
    monkeypatch.setattr(display, "_enable_windows_terminal_processing", lambda: False)
    assert pformat(VALUE) == "{'a': 1}"
    monkeypatch.setattr(display, "_enable_windows_terminal_processing", lambda: True)
    assert "\x1b[" in pformat(VALUE)


def test_pformat_passes_pprint_options(monkeypatch):
    monkeypatch.setattr(sys, "stdout", StringIO())
    assert pformat({"key": list(range(30))}, width=20).count("\n") > 5


def test_pprint_prints_one_line(monkeypatch):
    out = StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    pprint(VALUE)
    assert out.getvalue() == "{'a': 1}\n"
