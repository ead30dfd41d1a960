"""``crawl NAME``: run one spider of the current project."""

from __future__ import annotations

import argparse

from ascrapy.cli.base import BaseRunSpiderCommand
from ascrapy.exceptions import UsageError


class Command(BaseRunSpiderCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[options] <spider>"

    def short_desc(self) -> str:
        return "Run a spider of the current project, by name"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args:
            raise UsageError
        if len(args) > 1:
            raise UsageError(f"running '{self.prog_name} crawl' with more than one spider is not supported")
        spidercls = self._load_spider(args[0])
        if spidercls is not None:
            self._crawl_and_start(self._create_crawler(spidercls), **opts.spargs)
