"""Logging setup: handler choice, line shape, filters, counters and adapters."""

from __future__ import annotations

import logging
import re
import sys
import warnings
from io import StringIO
from pathlib import Path
from typing import Any

import pytest

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.failure import Failure
from ascrapy.settings import Settings
from ascrapy.stats import MemoryStatsCollector
from ascrapy.utils.log import (
    LogCounterHandler,
    SpiderLoggerAdapter,
    StreamLogger,
    TopLevelFormatter,
    _get_formatter,
    configure_logging,
    failure_to_exc_info,
    get_scrapy_root_handler,
    get_versions,
    install_scrapy_root_handler,
    log_scrapy_info,
    logformatter_adapter,
)

LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[(?P<name>[^\]]+)\] (?P<level>[A-Z]+): (?P<msg>.*)$")


@pytest.fixture(autouse=True)
def restore_logging() -> Any:
    handlers = logging.root.handlers[:]
    level = logging.root.level
    stdout = sys.stdout
    showwarning = warnings.showwarning
    yield
    from ascrapy.utils import log as log_module

    log_module._uninstall_scrapy_root_handler()
    sys.stdout = stdout
    warnings.showwarning = showwarning
    logging.root.handlers[:] = handlers
    logging.root.setLevel(level)


def _log_file_settings(tmp_path: Path, **extra: Any) -> tuple[Settings, Path]:
    log_file = tmp_path / "run.log"
    return Settings({"LOG_FILE": str(log_file), **extra}), log_file


def _lines(path: Path) -> list[str]:
    root_handler = get_scrapy_root_handler()
    if root_handler is not None:
        root_handler.flush()
    return path.read_text(encoding="utf-8").splitlines()


def test_line_shape(tmp_path: Path) -> None:
    settings, log_file = _log_file_settings(tmp_path)
    configure_logging(settings)
    logging.getLogger("ascrapy.engine.engine").info("Spider opened")
    [line] = _lines(log_file)
    match = LINE.match(line)
    assert match, line
    assert match.group("name", "level", "msg") == ("ascrapy.engine.engine", "INFO", "Spider opened")


def test_log_level_filters(tmp_path: Path) -> None:
    settings, log_file = _log_file_settings(tmp_path, LOG_LEVEL="WARNING")
    configure_logging(settings)
    logging.getLogger("ascrapy.x").info("hidden")
    logging.getLogger("ascrapy.x").warning("shown")
    assert [LINE.match(line).group("msg") for line in _lines(log_file)] == ["shown"]


def test_log_file_append_and_overwrite(tmp_path: Path) -> None:
    settings, log_file = _log_file_settings(tmp_path)
    log_file.write_text("earlier run\n", encoding="utf-8")
    configure_logging(settings)
    logging.getLogger("ascrapy").info("appended")
    assert _lines(log_file)[0] == "earlier run"

    settings.set("LOG_FILE_APPEND", False)
    configure_logging(settings)
    logging.getLogger("ascrapy").info("fresh")
    lines = _lines(log_file)
    assert len(lines) == 1 and lines[0].endswith("INFO: fresh")


def test_custom_format_and_dateformat(tmp_path: Path) -> None:
    settings, log_file = _log_file_settings(
        tmp_path, LOG_FORMAT="%(asctime)s|%(levelname)s|%(message)s", LOG_DATEFORMAT="%Y"
    )
    configure_logging(settings)
    logging.getLogger("ascrapy").error("boom")
    assert re.fullmatch(r"\d{4}\|ERROR\|boom", _lines(log_file)[0])


def test_short_names(tmp_path: Path) -> None:
    settings, log_file = _log_file_settings(tmp_path, LOG_SHORT_NAMES=True)
    configure_logging(settings)
    logging.getLogger("ascrapy.engine.engine").info("a")
    logging.getLogger("myspider").info("b")
    names = [LINE.match(line).group("name") for line in _lines(log_file)]
    assert names == ["ascrapy", "myspider"]


def test_log_disabled_installs_null_handler(tmp_path: Path) -> None:
    configure_logging(Settings({"LOG_ENABLED": False}))
    assert isinstance(get_scrapy_root_handler(), logging.NullHandler)


def test_stream_handler_by_default() -> None:
    configure_logging(Settings())
    handler = get_scrapy_root_handler()
    assert type(handler) is logging.StreamHandler
    assert handler in logging.root.handlers


def test_reinstall_replaces_the_previous_handler(tmp_path: Path) -> None:
    install_scrapy_root_handler(Settings())
    first = get_scrapy_root_handler()
    install_scrapy_root_handler(Settings())
    assert first not in logging.root.handlers
    assert get_scrapy_root_handler() in logging.root.handlers


def test_no_root_handler_when_disabled_by_setting() -> None:
    before = logging.root.handlers[:]
    configure_logging({"LOG_INSTALL_ROOT_HANDLER": False})
    assert logging.root.handlers == before
    assert get_scrapy_root_handler() is None


def test_install_root_handler_argument_is_deprecated() -> None:
    with pytest.warns(ScrapyDeprecationWarning, match="install_root_handler"):
        configure_logging(Settings(), install_root_handler=False)


def test_log_stdout_redirects_print(caplog: pytest.LogCaptureFixture) -> None:
    configure_logging({"LOG_STDOUT": True, "LOG_INSTALL_ROOT_HANDLER": False})
    assert isinstance(sys.stdout, StreamLogger)
    with caplog.at_level(logging.INFO):
        print("printed line")
    assert ("stdout", logging.INFO, "printed line") in caplog.record_tuples


def test_warnings_go_to_logging(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "warnoptions", [])
    logging.captureWarnings(False)
    configure_logging({"LOG_INSTALL_ROOT_HANDLER": False})
    try:
        assert warnings.showwarning.__module__ == "logging"
    finally:
        logging.captureWarnings(False)


def test_plain_formatter_for_files_and_non_tty(tmp_path: Path) -> None:
    handler = logging.StreamHandler(StringIO())
    assert type(_get_formatter(handler, Settings())) is logging.Formatter
    file_handler = logging.FileHandler(tmp_path / "x.log")
    try:
        assert type(_get_formatter(file_handler, Settings())) is logging.Formatter
    finally:
        file_handler.close()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ascrapy.engine", "ascrapy"),
        ("ascrapy", "ascrapy"),
        ("ascrapyx.y", "ascrapyx.y"),
        ("other.a", "other.a"),
    ],
)
def test_top_level_formatter(name: str, expected: str) -> None:
    record = logging.LogRecord(name, logging.INFO, __file__, 1, "m", None, None)
    assert TopLevelFormatter(["ascrapy"]).filter(record) is True
    assert record.name == expected


class _CrawlerWithStats:
    def __init__(self) -> None:
        self.settings = Settings()
        self.stats = MemoryStatsCollector(self)


def test_log_counter_handler_counts_by_level() -> None:
    crawler = _CrawlerWithStats()
    logger = logging.getLogger("test_log_counter")
    logger.setLevel(logging.DEBUG)
    handler = LogCounterHandler(crawler, level=logging.INFO)
    logger.addHandler(handler)
    try:
        logger.debug("not counted")
        logger.error("one")
        logger.error("two")
        logger.info("three")
    finally:
        logger.removeHandler(handler)
    assert crawler.stats.get_value("log_count/ERROR") == 2
    assert crawler.stats.get_value("log_count/INFO") == 1
    assert crawler.stats.get_value("log_count/DEBUG") is None


def test_log_scrapy_info(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="ascrapy"):
        log_scrapy_info(Settings({"BOT_NAME": "books"}))
    first, second = [r.getMessage() for r in caplog.records[:2]]
    assert re.fullmatch(r"ascrapy \S+ started \(bot: books\)", first)
    assert second.startswith("Versions:\n")
    for name in ("lxml", "parsel", "w3lib", "aiohttp", "aiostream", "Python"):
        assert f"'{name}'" in second


def test_log_scrapy_info_without_versions(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="ascrapy"):
        log_scrapy_info(Settings({"LOG_VERSIONS": []}))
    assert len(caplog.records) == 1


def test_get_versions() -> None:
    versions = dict(get_versions(["aiohttp", "not-a-real-dist-xyz", "Python"]))
    import aiohttp

    assert versions["aiohttp"] == aiohttp.__version__
    assert versions["not-a-real-dist-xyz"] == "not installed"
    assert versions["Python"].startswith(f"{sys.version_info.major}.{sys.version_info.minor}")
    assert get_versions()[0][0] == "ascrapy"


def test_failure_to_exc_info() -> None:
    try:
        _ = 1 / 0
    except ZeroDivisionError:
        expected = sys.exc_info()
        failure = Failure()
    assert failure_to_exc_info(failure) == expected
    assert failure_to_exc_info("not a failure") is None


@pytest.mark.parametrize("args", [None, {}, ()])
def test_logformatter_adapter_without_args(args: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert logformatter_adapter({"level": logging.DEBUG, "msg": "50% done", "args": args}) == (
            logging.DEBUG,
            "50% done",
        )


def test_logformatter_adapter_args(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test_adapter")
    with caplog.at_level(logging.INFO):
        logger.log(*logformatter_adapter({"level": logging.INFO, "msg": "%(n)d items", "args": {"n": 3}}))
        logger.log(*logformatter_adapter({"level": logging.INFO, "msg": "%s and %s", "args": ("a", "b")}))
    assert [r.getMessage() for r in caplog.records] == ["3 items", "a and b"]


def test_logformatter_adapter_placeholders_without_args_warns() -> None:
    logkws = {"level": logging.INFO, "msg": "%(n)d left", "n": 4}
    with pytest.warns(ScrapyDeprecationWarning, match="no args"):
        level, msg, mapping = logformatter_adapter(logkws)
    assert msg % mapping == "4 left"


@pytest.mark.parametrize(
    ("call_extra", "expected"),
    [
        ({"extra": {"job": 1}}, {"job": 1, "spider": "S"}),
        ({"extra": None}, {"spider": "S"}),
        ({"extra": {"spider": "other"}}, {"spider": "S"}),
        ({}, {"spider": "S"}),
    ],
)
def test_spider_logger_adapter(call_extra: dict[str, Any], expected: dict[str, Any]) -> None:
    adapter = SpiderLoggerAdapter(logging.getLogger("x"), {"spider": "S"})
    msg, kwargs = adapter.process("hello", dict(call_extra))
    assert msg == "hello"
    assert kwargs["extra"] == expected


def test_log_scrapy_info_project_versions_list(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="ascrapy"):
        log_scrapy_info(Settings({"LOG_VERSIONS": ["w3lib"]}))
    versions = caplog.records[1].getMessage()
    assert "'w3lib'" in versions
    assert "'lxml'" not in versions
