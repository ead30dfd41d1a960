"""``settings --get NAME``: print a setting as the current project sees it."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from typing import Any, ClassVar

from ascrapy.cli.base import ScrapyCommand


class Command(ScrapyCommand):
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[options]"

    def short_desc(self) -> str:
        return "Get settings values"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--get", dest="get", metavar="SETTING", help="print raw setting value")
        for kind, meaning in (
            ("bool", "a boolean"),
            ("int", "an integer"),
            ("float", "a float"),
            ("list", "a list"),
        ):
            parser.add_argument(
                f"--get{kind}",
                dest=f"get{kind}",
                metavar="SETTING",
                help=f"print setting value, interpreted as {meaning}",
            )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        settings = self.settings
        if opts.get:
            print(_raw_value_text(settings.get(opts.get)))
        elif opts.getbool:
            print(settings.getbool(opts.getbool))
        elif opts.getint:
            print(settings.getint(opts.getint))
        elif opts.getfloat:
            print(settings.getfloat(opts.getfloat))
        elif opts.getlist:
            print(settings.getlist(opts.getlist))


def _raw_value_text(value: Any) -> str:
    """Mappings (component dicts, FEEDS) as JSON, everything else as print shows it."""
    if hasattr(value, "copy_to_dict"):
        value = value.copy_to_dict()
    if isinstance(value, Mapping):
        return json.dumps(dict(value), default=_json_fallback)
    return str(value)


def _json_fallback(value: Any) -> Any:
    if hasattr(value, "copy_to_dict"):
        return value.copy_to_dict()
    if isinstance(value, type):
        return f"{value.__module__}.{value.__qualname__}"
    return str(value)
