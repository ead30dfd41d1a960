"""``list``: the names of the project's spiders, one a line."""

from __future__ import annotations

import argparse
from typing import Any, ClassVar

from ascrapy.cli.base import ScrapyCommand
from ascrapy.spiderloader import get_spider_loader


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def short_desc(self) -> str:
        return "List available spiders"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        names = sorted(get_spider_loader(self.settings).list())
        if names:
            print("\n".join(names))
