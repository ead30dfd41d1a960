"""Choosing and starting an interactive console."""

from __future__ import annotations

import subprocess
import sys
import types

from ascrapy.utils import console
from ascrapy.utils.console import DEFAULT_PYTHON_SHELLS, get_shell_embed_func, start_python_console


def test_unknown_shells_are_skipped_and_the_standard_one_always_works():
    assert get_shell_embed_func(["nonexistent"]) is None
    shell = get_shell_embed_func(["nonexistent", "python"])
    assert callable(shell) and shell.__name__ == "_embed_standard_shell"
    assert list(DEFAULT_PYTHON_SHELLS) == ["ptpython", "ipython", "bpython", "python"]


def test_a_shell_that_cannot_be_imported_is_skipped(monkeypatch):
    monkeypatch.setitem(sys.modules, "bpython", None)  # makes `import bpython` fail
    assert get_shell_embed_func(["bpython"]) is None
    assert get_shell_embed_func(["bpython", "python"]).__name__ == "_embed_standard_shell"


def test_custom_known_shells():
    def embed(namespace=None, banner=""):
        pass

    assert get_shell_embed_func(["custom"], {"custom": lambda: embed}) is embed
    assert get_shell_embed_func(["python"], {"custom": lambda: embed}) is None


def test_bpython_gets_the_namespace_and_banner(monkeypatch):
    calls = []
    fake = types.ModuleType("bpython")
    fake.embed = lambda locals_, banner: calls.append((locals_, banner))
    monkeypatch.setitem(sys.modules, "bpython", fake)
    shell = get_shell_embed_func(["bpython"])
    shell({"a": 1}, "READY")
    assert calls == [({"a": 1}, "READY")]


def test_start_python_console_survives_exit_and_no_shell(monkeypatch):
    def exits(namespace, banner):
        raise SystemExit

    monkeypatch.setattr(console, "get_shell_embed_func", lambda shells: exits)
    start_python_console()
    monkeypatch.setattr(console, "get_shell_embed_func", lambda shells: None)
    start_python_console()


def test_standard_console_runs_code_in_the_namespace():
    script = (
        "from ascrapy.utils.console import start_python_console\n"
        "start_python_console({'answer': 41}, banner='SHELL-READY', shells=['python'])\n"
        "print('after the console')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], input="print(answer + 1)\nexit()\n",
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert "SHELL-READY" in result.stderr
    assert "42" in result.stdout
    assert "after the console" in result.stdout
    assert result.returncode == 0
