"""SpiderLoader: finding spiders by name in SPIDER_MODULES, and the spider helpers."""

from __future__ import annotations

import logging
import sys
import textwrap
from pathlib import Path

import pytest

from ascrapy.http import Request
from ascrapy.settings import Settings
from ascrapy.spiderloader import DummySpiderLoader, SpiderLoader, get_spider_loader
from ascrapy.spiders import Spider
from ascrapy.utils.spider import DefaultSpider, iter_spider_classes, spidercls_for_request

SPIDER_FILES = {
    "__init__.py": "",
    "first.py": """
        from ascrapy.spiders import Spider

        class FirstSpider(Spider):
            name = "first"
            allowed_domains = ["one.example", "both.example"]

        class Unnamed(Spider):
            pass
    """,
    "second.py": """
        from ascrapy.spiders import Spider
        from .first import FirstSpider  # imported, so not found here again

        class SecondSpider(Spider):
            name = "second"
            allowed_domains = ["two.example", "both.example"]
    """,
    "nested/__init__.py": "",
    "nested/third.py": """
        from ascrapy.spiders import Spider

        class ThirdSpider(Spider):
            name = "third"
            allowed_domains = ["three.example"]
    """,
}

_counter = iter(range(10_000))


@pytest.fixture
def spiders_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    """A fresh importable package of spider modules; returns (package name, its folder)."""
    name = f"loader_spiders_{next(_counter)}"
    root = tmp_path / name
    for relative, code in SPIDER_FILES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(code))
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name, root
    for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[module]


def _loader(*modules: str, **extra: object) -> SpiderLoader:
    return SpiderLoader.from_settings(Settings({"SPIDER_MODULES": list(modules), **extra}))


def test_lists_named_spiders_of_every_submodule(spiders_package: tuple[str, Path]) -> None:
    package, _ = spiders_package
    assert sorted(_loader(package).list()) == ["first", "second", "third"]


def test_load_by_name(spiders_package: tuple[str, Path]) -> None:
    package, _ = spiders_package
    loader = _loader(package)
    spidercls = loader.load("third")
    assert spidercls.__name__ == "ThirdSpider"
    assert spidercls.__module__ == f"{package}.nested.third"


def test_load_unknown_name_raises_key_error(spiders_package: tuple[str, Path]) -> None:
    package, _ = spiders_package
    with pytest.raises(KeyError, match="Spider not found: nope"):
        _loader(package).load("nope")


def test_single_module_and_comma_separated_setting(spiders_package: tuple[str, Path]) -> None:
    package, _ = spiders_package
    assert _loader(f"{package}.first").list() == ["first"]
    settings = Settings({"SPIDER_MODULES": f"{package}.first,{package}.nested.third"})
    assert sorted(SpiderLoader.from_settings(settings).list()) == ["first", "third"]


def test_find_by_request(spiders_package: tuple[str, Path]) -> None:
    package, _ = spiders_package
    loader = _loader(package)
    assert loader.find_by_request(Request("http://one.example/page")) == ["first"]
    assert loader.find_by_request(Request("http://sub.two.example/")) == ["second"]
    assert sorted(loader.find_by_request(Request("http://both.example/"))) == ["first", "second"]
    assert loader.find_by_request(Request("http://elsewhere.example/")) == []


def test_missing_module_raises(spiders_package: tuple[str, Path]) -> None:
    package, _ = spiders_package
    with pytest.raises(ImportError):
        _loader(f"{package}.does_not_exist")


def test_missing_module_only_warns_when_asked(spiders_package: tuple[str, Path]) -> None:
    package, _ = spiders_package
    with pytest.warns(RuntimeWarning, match="Could not load spiders from module"):
        loader = _loader(f"{package}.does_not_exist", package, SPIDER_LOADER_WARN_ONLY=True)
    assert sorted(loader.list()) == ["first", "second", "third"]


def test_syntax_error_in_spider_module(spiders_package: tuple[str, Path]) -> None:
    package, root = spiders_package
    (root / "broken.py").write_text("class Oops(:\n")
    with pytest.raises(SyntaxError):
        _loader(package)
    with pytest.warns(RuntimeWarning, match=f"Could not load spiders from module '{package}'"):
        _loader(package, SPIDER_LOADER_WARN_ONLY=True)


def test_duplicate_names_warn(spiders_package: tuple[str, Path]) -> None:
    package, root = spiders_package
    (root / "first_copy.py").write_text((root / "first.py").read_text())
    expected = (
        "There are several spiders with the same name:\n\n"
        f"  FirstSpider named 'first' (in {package}.first)\n\n"
        f"  FirstSpider named 'first' (in {package}.first_copy)\n\n"
        "  This can cause unexpected behavior."
    )
    with pytest.warns(UserWarning) as record:
        loader = _loader(package)
    assert [str(w.message) for w in record if w.category is UserWarning] == [expected]
    assert sorted(loader.list()) == ["first", "second", "third"]


def test_no_warning_without_duplicates(
    spiders_package: tuple[str, Path], recwarn: pytest.WarningsRecorder
) -> None:
    package, _ = spiders_package
    _loader(package)
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]


class CustomLoader(SpiderLoader):
    pass


def test_get_spider_loader_uses_the_setting_and_freezes_settings() -> None:
    seen = []

    class RecordingLoader(DummySpiderLoader):
        @classmethod
        def from_settings(cls, settings):
            seen.append(settings)
            return super().from_settings(settings)

    settings = Settings({"SPIDER_LOADER_CLASS": RecordingLoader})
    loader = get_spider_loader(settings)
    assert isinstance(loader, RecordingLoader)
    with pytest.raises(TypeError):
        seen[0].set("BOT_NAME", "changed")
    assert isinstance(get_spider_loader(Settings({"SPIDER_LOADER_CLASS": CustomLoader})), CustomLoader)


def test_default_spider_loader_class_is_spider_loader() -> None:
    assert type(get_spider_loader(Settings())) is SpiderLoader


def test_dummy_spider_loader() -> None:
    loader = DummySpiderLoader.from_settings(Settings({"SPIDER_MODULES": ["anything"]}))
    assert loader.list() == []
    assert loader.find_by_request(Request("http://example.com")) == []
    with pytest.raises(KeyError):
        loader.load("first")


def test_iter_spider_classes_only_named_and_defined_here(
    spiders_package: tuple[str, Path],
) -> None:
    package, _ = spiders_package
    import importlib

    module = importlib.import_module(f"{package}.second")
    assert [cls.__name__ for cls in iter_spider_classes(module)] == ["SecondSpider"]
    first = importlib.import_module(f"{package}.first")
    assert [cls.__name__ for cls in iter_spider_classes(first)] == ["FirstSpider"]


def test_spidercls_for_request(spiders_package: tuple[str, Path], caplog: pytest.LogCaptureFixture) -> None:
    package, _ = spiders_package
    loader = _loader(package)
    assert spidercls_for_request(loader, Request("http://one.example/")).name == "first"
    assert spidercls_for_request(loader, Request("http://x.example/")) is None
    assert spidercls_for_request(loader, Request("http://x.example/"), DefaultSpider) is DefaultSpider
    with caplog.at_level(logging.ERROR):
        chosen = spidercls_for_request(
            loader, Request("http://both.example/"), DefaultSpider, log_multiple=True
        )
        spidercls_for_request(loader, Request("http://x.example/"), log_none=True)
    assert chosen is DefaultSpider
    messages = [r.getMessage() for r in caplog.records]
    assert any("More than one spider can handle" in m for m in messages)
    assert any("Unable to find spider that handles" in m for m in messages)


def test_default_spider() -> None:
    assert issubclass(DefaultSpider, Spider)
    assert DefaultSpider.name == "default"


async def test_iterate_spider_output_makes_any_callback_result_iterable():
    from ascrapy.utils.spider import iterate_spider_output

    request = Request("http://example.com")
    assert list(iterate_spider_output(request)) == [request]
    assert list(iterate_spider_output(None)) == []
    assert list(iterate_spider_output([request, {"a": 1}])) == [request, {"a": 1}]

    async def agen():
        yield request

    generator = agen()
    assert iterate_spider_output(generator) is generator

    async def coroutine():
        return {"a": 1}

    assert list(await iterate_spider_output(coroutine())) == [{"a": 1}]
