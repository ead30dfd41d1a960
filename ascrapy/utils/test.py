"""Helpers for testing spiders and components (scrapy.utils.test)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable
from importlib import import_module
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def get_reactor_settings() -> dict[str, Any]:
    """Settings that suit the running event loop; ascrapy has no reactor, so none are needed."""
    return {}


def get_crawler(spidercls: type | None = None, settings_dict: dict[str, Any] | None = None,
                prevent_warnings: bool = True) -> Any:
    """A Crawler with its components built but no crawl started (settings at 'project')."""
    from ascrapy.crawler import CrawlerRunner
    from ascrapy.utils.spider import DefaultSpider

    settings = {
        "REMOTE_CONTROL_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        **(settings_dict or {}),
    }
    crawler = CrawlerRunner(settings).create_crawler(spidercls or DefaultSpider)
    crawler._apply_settings()
    return crawler


def get_pythonpath() -> str:
    """A PYTHONPATH under which a child process imports this ascrapy installation."""
    package_dir = import_module("ascrapy").__path__[0]
    return str(Path(package_dir).parent) + os.pathsep + os.environ.get("PYTHONPATH", "")


def get_testenv() -> dict[str, str]:
    """The environment for child processes that must import this ascrapy installation."""
    env = os.environ.copy()
    env["PYTHONPATH"] = get_pythonpath()
    return env


def get_from_asyncio_queue(value: T) -> Awaitable[T]:
    """An awaitable that yields ``value`` after a real trip through an asyncio queue."""
    queue: asyncio.Queue[T] = asyncio.Queue()
    getter = queue.get()
    queue.put_nowait(value)
    return getter


def assert_samelines(testcase: Any, text1: str, text2: str, msg: str | None = None) -> None:
    """Compare two texts line by line, ignoring line-ending differences."""
    testcase.assertEqual(text1.splitlines(), text2.splitlines(), msg)
