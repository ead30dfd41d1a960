"""``view URL``: fetch a URL as the spider would and open the result in a web browser."""

from __future__ import annotations

import argparse
import logging
from typing import Any

from ascrapy.cli import fetch
from ascrapy.http import TextResponse
from ascrapy.utils.response import open_in_browser

logger = logging.getLogger("scrapy.commands.view")


class Command(fetch.Command):
    def short_desc(self) -> str:
        return "Open URL in browser, as seen by ascrapy"

    def long_desc(self) -> str:
        return "Fetch a URL using the ascrapy downloader and show its contents in a browser"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        # fetch's --headers prints headers; a browser shows the body, so hide it
        parser.add_argument("--headers", action="store_true", help=argparse.SUPPRESS)

    def _print_response(self, response: Any, opts: argparse.Namespace) -> None:
        if not isinstance(response, TextResponse):
            logger.error("Cannot view a non-text response.")
            return
        open_in_browser(response)
