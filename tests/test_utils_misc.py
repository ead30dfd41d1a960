"""Which generator callbacks the scraper warns about (a ``return value`` in their own body),
and walking a package's modules."""

from __future__ import annotations

import warnings
from functools import partial

import pytest

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.settings import Settings
from ascrapy.utils.misc import (
    is_generator_with_return_value,
    walk_modules,
    walk_modules_iter,
    warn_on_generator_with_return_value,
)


def returns_a_value(response):
    yield 1
    return 2


def returns_none(response):
    yield 1
    return None


def nested_helpers_return_values(response):
    def key(item):
        return item["n"]

    async def fetch():
        return 3

    class Helper:
        def method(self):
            return 4

    yield from sorted([{"n": 2}, {"n": 1}], key=key)
    return


def not_a_generator(response):
    return 5


def test_a_return_value_in_the_generator_itself_is_found():
    assert is_generator_with_return_value(returns_a_value)
    assert is_generator_with_return_value(partial(returns_a_value))


def test_return_values_of_nested_functions_are_not_the_generators():
    assert not is_generator_with_return_value(nested_helpers_return_values)
    assert not is_generator_with_return_value(returns_none)
    assert not is_generator_with_return_value(not_a_generator)


def returns_a_value_after_a_flush_left_string(response):
    text = """
flush left
"""
    yield text
    return 1


def test_a_multiline_string_left_of_the_def_does_not_hide_a_return_value():
    assert is_generator_with_return_value(returns_a_value_after_a_flush_left_string)

    def nested(response):
        text = """
flush left
"""
        yield text
        return 1

    assert is_generator_with_return_value(nested)


class _Spider:
    def __init__(self, warn: bool) -> None:
        self.settings = Settings({"WARN_ON_GENERATOR_RETURN_VALUE": warn})


def test_the_warning_names_the_spider_and_callback_and_obeys_its_setting():
    with pytest.warns(UserWarning, match='"_Spider.returns_a_value" method is a generator'):
        warn_on_generator_with_return_value(_Spider(True), returns_a_value)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warn_on_generator_with_return_value(_Spider(True), returns_none)
        warn_on_generator_with_return_value(_Spider(False), returns_a_value)


def test_walk_modules_iter_imports_lazily_and_walk_modules_is_deprecated():
    modules = walk_modules_iter("ascrapy.utils.nonexistent_module")  # nothing imported yet
    with pytest.raises(ImportError):
        next(modules)
    names = [module.__name__ for module in walk_modules_iter("ascrapy.templates")]
    assert names[0] == "ascrapy.templates"
    with pytest.warns(ScrapyDeprecationWarning, match="walk_modules_iter"):
        assert [m.__name__ for m in walk_modules("ascrapy.templates")] == names
