"""``edit SPIDER``: open a spider's source file in the editor (EDITOR variable or setting)."""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any, ClassVar

from ascrapy.cli.base import ScrapyCommand
from ascrapy.exceptions import UsageError
from ascrapy.spiderloader import get_spider_loader


def edit_file(editor: str, file_path: str | os.PathLike[str]) -> int:
    """Run ``editor`` (which may carry arguments, e.g. ``code -w``) on the file; its exit code.

    The command line is split like a shell would, but no shell runs it.
    """
    return subprocess.call([*shlex.split(editor), os.fspath(file_path)])


def _source_file(module_name: str) -> Path:
    module_file = sys.modules[module_name].__file__
    assert module_file
    path = Path(module_file)
    return path.with_suffix(".py") if path.suffix == ".pyc" else path


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "<spider>"

    def short_desc(self) -> str:
        return "Edit spider"

    def long_desc(self) -> str:
        return "Edit a spider using the editor defined in the EDITOR environment variable or else the EDITOR setting"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError
        assert self.settings is not None
        spider_loader = get_spider_loader(self.settings)
        try:
            spidercls = spider_loader.load(args[0])
        except KeyError:
            self.fail(f"Spider not found: {args[0]}")
            return
        self.exitcode = edit_file(self.settings["EDITOR"], _source_file(spidercls.__module__))
