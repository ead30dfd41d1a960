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
        try:
            crawler = self._create_crawler(args[0])
        except KeyError as exc:
            self.fail(f"{self.prog_name} crawl: error: {exc.args[0] if exc.args else exc}")
            return
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
