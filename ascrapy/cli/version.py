"""``version [-v]``: the ascrapy version, or a table of the versions of its dependencies."""

from __future__ import annotations

import argparse
from typing import Any, ClassVar

from ascrapy.cli.base import ScrapyCommand, product_version
from ascrapy.utils.log import get_versions


class Command(ScrapyCommand):
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[-v]"

    def short_desc(self) -> str:
        return "Print ascrapy version"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--verbose",
            "-v",
            dest="verbose",
            action="store_true",
            help="also display python/platform and library versions (useful for bug reports)",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not opts.verbose:
            print(product_version(self.prog_name))  # -v lists ascrapy's own version too
            return
        versions = get_versions()
        width = max(len(name) for name, _ in versions)
        for name, version in versions:
            print(f"{name:<{width}} : {version}")
