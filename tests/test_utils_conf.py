"""Component lists, -a arguments and the -o/-O feed options."""

from __future__ import annotations

import pytest

from ascrapy.exceptions import UsageError
from ascrapy.settings import BaseSettings, Settings
from ascrapy.utils.conf import (
    arglist_to_dict,
    build_component_list,
    feed_complete_default_values_from_settings,
    feed_process_params_from_cli,
    remove_none_values,
)


class Retry:
    pass


RetryReexported = Retry  # what a compat module re-exporting the class looks like


class Cookies:
    pass


HERE = __name__


# -- build_component_list -------------------------------------------------------------


def test_orders_by_value_and_drops_disabled():
    components = {"c.C": 30, "a.A": 10, "off.Off": None, "b.B": 20.5, "z.Z": -1}
    assert build_component_list(components) == ["z.Z", "a.A", "b.B", "c.C"]


def test_equal_orders_keep_insertion_order():
    assert build_component_list({"x.B": 1, "x.A": 1, "x.C": 0}) == ["x.C", "x.B", "x.A"]


def test_big_integer_orders():
    components = {"a.A": 30000000000000000000, "b.B": 10000000000000000000}
    assert build_component_list(components) == ["b.B", "a.A"]


@pytest.mark.parametrize("value", ["10", [1], {}])
def test_rejects_orders_that_are_not_numbers(value):
    with pytest.raises(ValueError, match=r"Invalid value .* for component x\.X, please provide a real number"):
        build_component_list({"x.X": value})


def test_keys_may_be_classes_or_paths():
    result = build_component_list({Cookies: 2, f"{HERE}.Retry": 1})
    assert result == [f"{HERE}.Retry", Cookies]


def test_two_spellings_of_one_class_in_a_dict_are_two_components_as_in_scrapy():
    """scrapy-poet's providers dict ({path: 2, cls: 1}) builds the class twice on Scrapy."""
    assert build_component_list({Retry: 1, f"{HERE}.RetryReexported": 2}) == [Retry, f"{HERE}.RetryReexported"]


def test_spellings_that_agree_are_one_component():
    """scrapy-poet's savefixture disables its middleware under three spellings at once."""
    disabled = {f"{HERE}.Retry": None, f"{HERE}.RetryReexported": None, Retry: None, Cookies: 5}
    assert build_component_list(disabled) == [Cookies]
    assert build_component_list({Retry: 3, f"{HERE}.RetryReexported": 3}) == [f"{HERE}.RetryReexported"]


def test_higher_priority_spelling_wins():
    components = BaseSettings({f"{HERE}.Retry": 550, f"{HERE}.Cookies": 700}, priority="default")
    components.set(f"{HERE}.RetryReexported", None, "project")
    assert build_component_list(components) == [f"{HERE}.Cookies"]

    components.set(Cookies, 100, "spider")
    assert build_component_list(components) == [Cookies]


def test_lower_priority_spelling_loses_whatever_its_position():
    components = BaseSettings()
    components.set(f"{HERE}.RetryReexported", 5, "cmdline")
    components.set(Retry, None, "project")
    assert build_component_list(components) == [f"{HERE}.RetryReexported"]


def test_same_priority_spellings_that_disagree_are_each_a_component():
    components = BaseSettings({Retry: 1})
    components.set(f"{HERE}.RetryReexported", 2)
    assert build_component_list(components) == [Retry, f"{HERE}.RetryReexported"]
    components.set(Cookies, None)
    components.set(f"{HERE}.Cookies", None)
    assert build_component_list(components) == [Retry, f"{HERE}.RetryReexported"]


def test_user_disables_a_default_component_by_another_path():
    settings = Settings()
    settings.set("ITEM_PIPELINES_BASE", {f"{HERE}.Retry": 100, f"{HERE}.Cookies": 200}, "default")
    settings.set("ITEM_PIPELINES", {f"{HERE}.RetryReexported": None})
    assert build_component_list(settings.getwithbase("ITEM_PIPELINES")) == [f"{HERE}.Cookies"]
    via_helper = settings.get_component_priority_dict_with_base("ITEM_PIPELINES")
    assert build_component_list(via_helper) == [f"{HERE}.Cookies"]


def test_convert_maps_keys_before_comparing():
    components = BaseSettings({"one": 1, "two": 2}, priority=0)
    components.set("ONE", 5, 10)
    assert build_component_list(components, convert=str.lower) == ["two", "one"]
    with pytest.raises(ValueError, match="convert to the same object"):
        build_component_list({"a": 1, "A": 2}, convert=str.lower)


def test_unimportable_paths_are_kept_for_the_loader_to_report():
    assert build_component_list({"no.such.module.Thing": 1}) == ["no.such.module.Thing"]


# -- small helpers --------------------------------------------------------------------


def test_arglist_to_dict_splits_on_the_first_equals_sign():
    assert arglist_to_dict(["a=1", "url=http://x/?q=1", "empty="]) == {
        "a": "1",
        "url": "http://x/?q=1",
        "empty": "",
    }
    with pytest.raises(ValueError):
        arglist_to_dict(["no_equals_sign"])


def test_remove_none_values():
    source = {"a": 1, "b": None, "c": 0}
    assert remove_none_values(source) == {"a": 1, "c": 0}
    assert source == {"a": 1, "b": None, "c": 0}


# -- feeds ----------------------------------------------------------------------------


def test_feed_defaults_come_from_settings():
    settings = Settings(
        {
            "FEED_EXPORT_ENCODING": "latin-1",
            "FEED_EXPORT_FIELDS": "name,price",
            "FEED_EXPORT_INDENT": "2",
            "FEED_STORE_EMPTY": "false",
            "FEED_EXPORT_BATCH_ITEM_COUNT": "10",
        }
    )
    feed = {"encoding": "utf-8"}
    completed = feed_complete_default_values_from_settings(feed, settings, "out/items.csv")
    assert completed == {
        "format": "csv",
        "encoding": "utf-8",
        "fields": ["name", "price"],
        "indent": 2,
        "store_empty": False,
        "uri_params": None,
        "batch_item_count": 10,
        "item_export_kwargs": {},
    }
    assert feed == {"encoding": "utf-8"}


def test_feed_defaults_with_stock_settings():
    completed = feed_complete_default_values_from_settings({}, Settings())
    assert "format" not in completed
    assert completed["fields"] is None
    assert completed["indent"] == 0
    assert completed["store_empty"] is True
    none_indent = Settings({"FEED_EXPORT_INDENT": None})
    assert feed_complete_default_values_from_settings({}, none_indent)["indent"] is None
    assert feed_complete_default_values_from_settings({}, Settings(), "stdout:")["format"] == ""


def test_output_format_from_extension_or_suffix():
    feeds = feed_process_params_from_cli(
        Settings(), ["items.json", "items.dat:csv", "-:jsonlines", "s3://bucket/key.xml", "a:b.jl"]
    )
    assert feeds == {
        "items.json": {"format": "json"},
        "items.dat": {"format": "csv"},
        "stdout:": {"format": "jsonlines"},
        "s3://bucket/key.xml": {"format": "xml"},
        "a:b.jl": {"format": "jl"},
    }


def test_overwrite_output_marks_every_feed():
    feeds = feed_process_params_from_cli(Settings(), [], overwrite_output=["a.json", "b.csv"])
    assert feeds == {
        "a.json": {"format": "json", "overwrite": True},
        "b.csv": {"format": "csv", "overwrite": True},
    }


def test_output_and_overwrite_output_together_fail():
    with pytest.raises(UsageError, match="Please use only one of -o/--output and -O/--overwrite-output"):
        feed_process_params_from_cli(Settings(), ["a.json"], overwrite_output=["b.json"])


@pytest.mark.parametrize("output", ["items.dat", "items", "items.json:yaml"])
def test_unknown_format_fails(output):
    with pytest.raises(UsageError, match=r"Unrecognized output format '.*'\. Set a supported one \("):
        feed_process_params_from_cli(Settings(), [output])


def test_formats_follow_feed_exporters():
    settings = Settings({"FEED_EXPORTERS": {"yaml": "my.YamlExporter", "csv": None}})
    feeds = feed_process_params_from_cli(settings, ["out.yaml"])
    assert feeds == {"out.yaml": {"format": "yaml"}}
    with pytest.raises(UsageError):
        feed_process_params_from_cli(settings, ["out.csv"])


def test_feeds_setting_wins_over_the_command_line():
    settings = Settings({"FEEDS": {"items.json": {"format": "jsonlines"}, "other.xml": {"format": "xml"}}})
    feeds = feed_process_params_from_cli(settings, ["items.json"])
    assert feeds == {"items.json": {"format": "jsonlines"}, "other.xml": {"format": "xml"}}
