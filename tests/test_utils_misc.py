"""Which generator callbacks the scraper warns about: a ``return value`` in their own body."""

from __future__ import annotations

from functools import partial

from ascrapy.utils.misc import is_generator_with_return_value


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
