"""Settings: priorities, typed getters, copies and freezing, component priority dicts."""

from __future__ import annotations

import logging
import re
import sys
import types
import warnings

import pytest

import ascrapy.settings
from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.settings import (
    SETTINGS_PRIORITIES,
    BaseSettings,
    Settings,
    SettingsAttribute,
    get_settings_priority,
    iter_default_settings,
    overridden_settings,
)
from ascrapy.settings import defaults as default_settings


class Alpha:
    pass


AlphaAlias = Alpha


class Beta:
    pass


HERE = __name__
DOTTED_PATH = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*){2,}")


# -- priorities ---------------------------------------------------------------------


def test_priority_names_and_numbers():
    assert SETTINGS_PRIORITIES == {
        "default": 0,
        "command": 10,
        "addon": 15,
        "project": 20,
        "spider": 30,
        "cmdline": 40,
    }
    assert get_settings_priority("spider") == 30
    assert get_settings_priority(17) == 17
    with pytest.raises(KeyError):
        get_settings_priority("nonsense")


def test_attribute_keeps_higher_priority_value():
    attribute = SettingsAttribute("a", 20)
    attribute.set("b", 10)
    assert (attribute.value, attribute.priority) == ("a", 20)
    attribute.set("c", 20)
    assert (attribute.value, attribute.priority) == ("c", 20)
    attribute.set("d", 30)
    assert (attribute.value, attribute.priority) == ("d", 30)
    assert repr(attribute) == "<SettingsAttribute value='d' priority=30>"


def test_attribute_over_nested_settings_stays_nested():
    nested = BaseSettings({"x": 1}, priority=40)
    attribute = SettingsAttribute(nested, 10)
    assert attribute.priority == 40  # the highest of its keys
    attribute.set({"y": 2}, 50)
    assert isinstance(attribute.value, BaseSettings)
    assert dict(attribute.value) == {"y": 2}
    assert attribute.value.getpriority("y") == 50
    assert dict(nested) == {"x": 1}  # the old nested object is untouched


def test_lower_priority_never_overrides():
    settings = BaseSettings()
    settings.set("A", "cmdline", "cmdline")
    settings.set("A", "project", "project")
    settings["B"] = "project"
    settings.set("B", "spider", "spider")
    assert settings["A"] == "cmdline"
    assert settings.getpriority("A") == 40
    assert settings["B"] == "spider"
    assert settings.getpriority("MISSING") is None
    assert settings.maxpriority() == 40
    assert BaseSettings().maxpriority() == 0


def test_set_keeps_the_attribute_object():
    settings = BaseSettings({"A": 1}, priority=0)
    attribute = settings.attributes["A"]
    settings.set("A", 2, 10)
    assert settings.attributes["A"] is attribute
    own = SettingsAttribute("given", 35)
    settings.set("NEW", own, 0)
    assert settings.attributes["NEW"] is own
    assert settings.getpriority("NEW") == 35


# -- reading --------------------------------------------------------------------------


def test_get_missing_and_none_values():
    settings = BaseSettings({"NONE": None, "ZERO": 0})
    assert settings["MISSING"] is None
    assert settings.get("MISSING", "dflt") == "dflt"
    assert settings.get("NONE", "dflt") == "dflt"
    assert settings.get("ZERO", 5) == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, True), ("1", True), (True, True), ("True", True), ("true", True), (2, True),
     (0, False), ("0", False), (False, False), ("False", False), ("false", False)],
)
def test_getbool_accepted_values(value, expected):
    assert BaseSettings({"FLAG": value}).getbool("FLAG") is expected


@pytest.mark.parametrize("value", ["yes", "on", "TRUE", "1.0", ""])
def test_getbool_rejects_other_strings(value):
    with pytest.raises(ValueError, match="Supported values for boolean settings are 0/1"):
        BaseSettings({"FLAG": value}).getbool("FLAG")


def test_getbool_default():
    assert BaseSettings().getbool("FLAG") is False
    assert BaseSettings().getbool("FLAG", True) is True


def test_numeric_getters_convert_strings():
    settings = BaseSettings({"INT": "42", "FLOAT": "2.5", "BAD": "x"})
    assert settings.getint("INT") == 42
    assert settings.getfloat("FLOAT") == 2.5
    assert settings.getfloat("INT") == 42.0
    assert settings.getint("MISSING") == 0
    assert settings.getint("MISSING", 7) == 7
    assert settings.getfloat("MISSING") == 0.0
    with pytest.raises(ValueError):
        settings.getint("BAD")


def test_getlist():
    stored = ["a", "b"]
    settings = BaseSettings({"LIST": stored, "CSV": "a,b,c", "EMPTY": "", "TUPLE": ("x",)})
    result = settings.getlist("LIST")
    assert result == ["a", "b"]
    result.append("c")
    assert stored == ["a", "b"]  # a copy
    assert settings.getlist("CSV") == ["a", "b", "c"]
    assert settings.getlist("EMPTY") == []
    assert settings.getlist("TUPLE") == ["x"]
    assert settings.getlist("MISSING") == []
    assert settings.getlist("MISSING", ["d"]) == ["d"]


def test_getdict():
    stored = {"k": 1}
    settings = BaseSettings({"DICT": stored, "JSON": '{"a": [1, 2]}', "LIST": ["abc"]})
    result = settings.getdict("DICT")
    result["other"] = 2
    assert stored == {"k": 1}
    assert settings.getdict("JSON") == {"a": [1, 2]}
    assert settings.getdict("MISSING") == {}
    assert settings.getdict("MISSING", {"d": 1}) == {"d": 1}
    with pytest.raises(ValueError):
        settings.getdict("LIST")


def test_getdict_of_nested_settings_is_plain():
    settings = BaseSettings({"NESTED": BaseSettings({"a": 1}, priority=10)})
    result = settings.getdict("NESTED")
    assert type(result) is dict
    assert result == {"a": 1}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, {}),
        ('{"a": 1}', {"a": 1}),
        ('["a", "b"]', ["a", "b"]),
        ("a,b", ["a", "b"]),
        ("7", ["7"]),
        ('"text"', ['"text"']),
        (("a", "b"), ["a", "b"]),
        ({"a": [1]}, {"a": [1]}),
        (["a"], ["a"]),
    ],
)
def test_getdictorlist(value, expected):
    assert BaseSettings({"FIELDS": value}).getdictorlist("FIELDS") == expected


def test_getdictorlist_copies_deeply_and_rejects_scalars():
    stored = {"a": [1]}
    settings = BaseSettings({"FIELDS": stored, "NUMBER": 3})
    settings.getdictorlist("FIELDS")["a"].append(2)
    assert stored == {"a": [1]}
    with pytest.raises(ValueError, match="Setting 'NUMBER' must be a dict, list, tuple, or string"):
        settings.getdictorlist("NUMBER")


def test_getwithbase_merges_with_per_key_priorities():
    settings = Settings(
        {"DOWNLOAD_HANDLERS": {"http": "my.Handler", "gopher": "my.Gopher", "s3": None}}
    )
    merged = settings.getwithbase("DOWNLOAD_HANDLERS")
    assert isinstance(merged, BaseSettings)
    assert merged["http"] == "my.Handler"
    assert merged.getpriority("http") == 20
    assert merged["https"] == "ascrapy.handlers.http.HTTPDownloadHandler"
    assert merged.getpriority("https") == 0
    assert merged["gopher"] == "my.Gopher"
    assert "s3" in merged and merged["s3"] is None
    assert settings.getwithbase("NOT_A_SETTING") == {}
    with pytest.raises(ValueError, match="Base setting key must be a string, got 5"):
        settings.getwithbase(5)  # type: ignore[arg-type]


def test_base_key_set_above_user_priority_survives():
    settings = BaseSettings(
        {"X_BASE": BaseSettings({"k": "base"}, priority="cmdline"), "X": {"k": "user"}},
        priority="project",
    )
    assert settings.getwithbase("X")["k"] == "base"


# -- writing --------------------------------------------------------------------------


def test_setdefault():
    settings = BaseSettings({"A": 1})
    assert settings.setdefault("A", 2) == 1
    assert settings.setdefault("B", 3, "spider") == 3
    assert settings.getpriority("B") == 30


def test_setmodule_takes_upper_case_names():
    module = types.ModuleType("ascrapy_test_settings_module")
    module.NAME = "x"  # type: ignore[attr-defined]
    module.lower = "ignored"  # type: ignore[attr-defined]
    module.MixedCase = "ignored"  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    try:
        for source in (module, module.__name__):
            settings = BaseSettings()
            settings.setmodule(source, "addon")
            assert dict(settings) == {"NAME": "x"}
            assert settings.getpriority("NAME") == 15
    finally:
        del sys.modules[module.__name__]


def test_update_from_dict_pairs_and_json():
    settings = BaseSettings({"A": 0}, priority=0)
    settings.update({"A": 1}, 10)
    settings.update([("B", 2)], 10)
    settings.update('{"C": [3]}', "spider")
    settings.update(None)
    assert dict(settings) == {"A": 1, "B": 2, "C": [3]}
    assert settings.getpriority("C") == 30


def test_update_from_settings_keeps_each_priority():
    target = BaseSettings({"LOW": "old", "HIGH": "old"}, priority=20)
    source = BaseSettings({"LOW": "new"}, priority=10)
    source.set("HIGH", "new", 30)
    target.update(source, priority=99)  # ignored for BaseSettings input
    assert target["LOW"] == "old"
    assert target["HIGH"] == "new"
    assert target.getpriority("HIGH") == 30


def test_update_does_not_take_keyword_arguments():
    with pytest.raises(TypeError):
        BaseSettings().update(A=1)  # type: ignore[call-arg]


def test_delete_respects_priority():
    settings = BaseSettings({"A": 1}, priority=20)
    settings.set("B", 2, 40)
    settings.delete("A")
    settings.delete("B")
    assert "A" not in settings
    assert "B" in settings
    settings.delete("B", "cmdline")
    assert "B" not in settings
    with pytest.raises(KeyError):
        settings.delete("B")
    settings["C"] = 3
    del settings["C"]
    with pytest.raises(KeyError):
        del settings["C"]


def test_pop():
    settings = BaseSettings({"A": 1})
    assert settings.pop("A") == 1
    assert settings.pop("A", "gone") == "gone"
    with pytest.raises(KeyError):
        settings.pop("A")


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.set("A", 2),
        lambda s: s.__setitem__("A", 2),
        lambda s: s.update({"A": 2}),
        lambda s: s.setdict({"A": 2}),
        lambda s: s.setmodule(default_settings),
        lambda s: s.delete("A"),
        lambda s: s.__delitem__("A"),
        lambda s: s.pop("A"),
        lambda s: s.setdefault("NEW", 1),
        lambda s: s.add_to_list("L", "x"),
    ],
)
def test_frozen_settings_refuse_changes(change):
    settings = BaseSettings({"A": 1, "L": []})
    settings.freeze()
    with pytest.raises(TypeError, match="Trying to modify an immutable Settings object"):
        change(settings)
    assert settings["A"] == 1


def test_copies_are_deep_and_frozencopy_is_frozen():
    settings = BaseSettings({"LIST": [[1]], "NESTED": BaseSettings({"k": "v"}, 10)})
    duplicate = settings.copy()
    settings["LIST"][0].append(2)
    settings["NESTED"]["k"] = "changed"
    assert duplicate["LIST"] == [[1]]
    assert duplicate["NESTED"]["k"] == "v"
    assert duplicate.getpriority("NESTED") == settings.getpriority("NESTED")
    frozen = settings.frozencopy()
    assert frozen.frozen and not settings.frozen
    assert frozen is not settings


def test_copy_to_dict_unwraps_nested_settings():
    settings = BaseSettings({"A": [1], "NESTED": BaseSettings({"B": {"c": 1}})})
    as_dict = settings.copy_to_dict()
    assert as_dict == {"A": [1], "NESTED": {"B": {"c": 1}}}
    assert type(as_dict["NESTED"]) is dict
    as_dict["A"].append(2)
    assert settings["A"] == [1]


def test_mapping_behaviour():
    settings = BaseSettings({"A": 1, "B": 2})
    assert len(settings) == 2
    assert list(settings) == ["A", "B"]
    assert dict(settings.items()) == {"A": 1, "B": 2}
    assert settings == {"A": 1, "B": 2}
    assert settings == BaseSettings({"A": 1, "B": 2}, priority=0)  # priorities not compared


def test_repr_pretty_prints_the_values():
    class Printer:
        def __init__(self) -> None:
            self.texts: list[str] = []

        def text(self, value: str) -> None:
            self.texts.append(value)

    settings = BaseSettings({"B": 1, "A": {"x": [1, 2]}})
    printer = Printer()
    settings._repr_pretty_(printer, cycle=False)
    assert printer.texts == ["{'A': {'x': [1, 2]}, 'B': 1}"]
    settings._repr_pretty_(printer, cycle=True)
    assert printer.texts[-1] == repr(settings)


# -- list settings --------------------------------------------------------------------


def test_add_to_list_keeps_priority_and_skips_duplicates():
    settings = BaseSettings({"L": "a,b"}, priority="spider")
    settings.add_to_list("L", "c")
    assert settings["L"] == ["a", "b", "c"]
    assert settings.getpriority("L") == 30
    settings.add_to_list("L", "a")
    assert settings["L"] == ["a", "b", "c"]
    empty = BaseSettings()
    empty.add_to_list("NEW", "x")
    assert empty["NEW"] == ["x"]
    assert empty.getpriority("NEW") == 0


def test_remove_from_list():
    settings = BaseSettings({"L": ["a", "b", "a"]}, priority="cmdline")
    settings.remove_from_list("L", "a")
    assert settings["L"] == ["b"]
    assert settings.getpriority("L") == 40
    with pytest.raises(ValueError, match=r"'z' not found in the L setting \(\['b'\]\)\."):
        settings.remove_from_list("L", "z")


# -- component priority dicts ---------------------------------------------------------


def test_component_dict_with_base_merges_spellings_of_one_class():
    settings = BaseSettings(
        {
            "THINGS_BASE": {f"{HERE}.Alpha": 100, f"{HERE}.Beta": 200},
            "THINGS": {f"{HERE}.AlphaAlias": None, Beta: 250, "not.importable.Thing": 1},
        }
    )
    merged = settings.get_component_priority_dict_with_base("THINGS")
    assert isinstance(merged, BaseSettings)
    assert dict(merged) == {Beta: 250, "not.importable.Thing": 1}


def test_component_dict_with_base_warns_about_duplicate_spellings(caplog):
    settings = BaseSettings({"THINGS": {Alpha: 1, f"{HERE}.AlphaAlias": 2}})
    with caplog.at_level(logging.WARNING):
        merged = settings.get_component_priority_dict_with_base("THINGS")
    assert dict(merged) == {f"{HERE}.AlphaAlias": 2}
    assert f"{HERE}.Alpha" in caplog.text
    assert "Only the last one will be kept" in caplog.text


def test_replace_in_component_priority_dict():
    settings = BaseSettings({"THINGS": {f"{HERE}.AlphaAlias": 5, Beta: 6}}, priority=30)
    settings.replace_in_component_priority_dict("THINGS", Alpha, Beta)
    assert settings["THINGS"] == {Beta: 5}
    assert settings.getpriority("THINGS") == 30
    settings.replace_in_component_priority_dict("THINGS", Beta, Alpha, 9)
    assert settings["THINGS"] == {Alpha: 9}
    with pytest.raises(KeyError, match="not found in the THINGS setting"):
        settings.replace_in_component_priority_dict("THINGS", Beta, Alpha)
    disabled = BaseSettings({"THINGS": {Alpha: None}})
    with pytest.raises(KeyError):
        disabled.replace_in_component_priority_dict("THINGS", Alpha, Beta)


def test_set_in_component_priority_dict_drops_path_spellings():
    settings = BaseSettings({"THINGS": f'{{"{HERE}.Alpha": 1, "{HERE}.Beta": 2}}'}, priority=10)
    settings.set_in_component_priority_dict("THINGS", Alpha, 7)
    assert settings["THINGS"] == {f"{HERE}.Beta": 2, Alpha: 7}
    assert settings.getpriority("THINGS") == 10


def test_setdefault_in_component_priority_dict():
    settings = BaseSettings({"THINGS": {f"{HERE}.AlphaAlias": 1}})
    settings.setdefault_in_component_priority_dict("THINGS", Alpha, 5)
    assert settings["THINGS"] == {f"{HERE}.AlphaAlias": 1}
    settings.setdefault_in_component_priority_dict("THINGS", Beta, 5)
    assert settings["THINGS"] == {f"{HERE}.AlphaAlias": 1, Beta: 5}


# -- Settings and the defaults ----------------------------------------------------------


def test_settings_load_defaults_at_default_priority():
    settings = Settings()
    assert settings["BOT_NAME"] == "scrapybot"
    assert settings.getpriority("BOT_NAME") == 0
    assert settings.getint("CONCURRENT_REQUESTS") == 16
    assert settings["USER_AGENT"] == f"ascrapy/{ascrapy.__version__} (a Scrapy-compatible crawler)"
    assert len(settings) == len(list(iter_default_settings()))


def test_settings_nest_default_dicts_with_per_key_priorities():
    settings = Settings()
    headers = settings["DEFAULT_REQUEST_HEADERS"]
    assert isinstance(headers, BaseSettings)
    assert headers.getpriority("Accept") == 0
    headers.set("Accept-Language", "de", "spider")
    headers.set("Accept-Language", "fr", "project")
    assert settings["DEFAULT_REQUEST_HEADERS"]["Accept-Language"] == "de"
    assert settings["SPIDER_MODULES"] == []  # lists are not nested


def test_setting_a_whole_dict_replaces_it_and_stays_nested():
    settings = Settings({"DEFAULT_REQUEST_HEADERS": {"Accept-Language": "de"}})
    headers = settings["DEFAULT_REQUEST_HEADERS"]
    assert isinstance(headers, BaseSettings)
    assert dict(headers) == {"Accept-Language": "de"}
    assert headers.getpriority("Accept-Language") == 20


def test_settings_values_and_priority():
    settings = Settings({"BOT_NAME": "mybot"}, "cmdline")
    assert settings["BOT_NAME"] == "mybot"
    assert settings.getpriority("BOT_NAME") == 40


def test_settings_copy_is_a_settings():
    copy = Settings({"BOT_NAME": "x"}).copy()
    assert type(copy) is Settings
    assert copy["BOT_NAME"] == "x"


def test_deprecated_settings_warn_when_read():
    settings = Settings()
    with pytest.warns(ScrapyDeprecationWarning, match="The DNS_RESOLVER setting is deprecated"):
        settings.get("DNS_RESOLVER")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        settings.get("CONCURRENT_REQUESTS_PER_IP")  # unset: no warning
        settings.get("BOT_NAME")
    settings.set("CONCURRENT_REQUESTS_PER_IP", 2)
    with pytest.warns(ScrapyDeprecationWarning, match="CONCURRENT_REQUESTS_PER_IP setting is deprecated"):
        settings.getint("CONCURRENT_REQUESTS_PER_IP")


def test_defaults_module_lists_every_setting_in_all():
    names = sorted(n for n in vars(default_settings) if n.isupper() and n != "DNS_RESOLVER")
    assert default_settings.__all__ == names
    with pytest.warns(ScrapyDeprecationWarning, match="CONCURRENT_REQUESTS_PER_IP attribute"):
        assert default_settings.CONCURRENT_REQUESTS_PER_IP == 0
    with pytest.raises(AttributeError):
        default_settings.NOT_A_SETTING  # noqa: B018


def _class_paths() -> list[str]:
    paths = []
    for name, value in iter_default_settings():
        if isinstance(value, dict):
            candidates = list(value) + list(value.values())
        elif isinstance(value, list):
            candidates = value
        else:
            candidates = [value]
        if name in ("TWISTED_REACTOR", "USER_AGENT"):
            continue
        paths += [c for c in candidates if isinstance(c, str) and DOTTED_PATH.fullmatch(c)]
    return paths


def test_default_class_paths_point_into_ascrapy():
    paths = _class_paths()
    assert len(paths) > 60
    assert [p for p in paths if not p.startswith("ascrapy.")] == []
    assert default_settings.SCHEDULER == "ascrapy.engine.scheduler.Scheduler"
    assert default_settings.DOWNLOAD_HANDLERS_BASE["https"] == "ascrapy.handlers.http.HTTPDownloadHandler"
    scrapy_orders = {
        "offsite.OffsiteMiddleware": 50, "robotstxt.RobotsTxtMiddleware": 100,
        "httpauth.HttpAuthMiddleware": 300, "downloadtimeout.DownloadTimeoutMiddleware": 350,
        "defaultheaders.DefaultHeadersMiddleware": 400, "useragent.UserAgentMiddleware": 500,
        "retry.RetryMiddleware": 550, "redirect.MetaRefreshMiddleware": 580,
        "httpcompression.HttpCompressionMiddleware": 590, "redirect.RedirectMiddleware": 600,
        "cookies.CookiesMiddleware": 700, "httpproxy.HttpProxyMiddleware": 750,
        "stats.DownloaderStats": 850, "httpcache.HttpCacheMiddleware": 900,
    }
    for path, order in default_settings.DOWNLOADER_MIDDLEWARES_BASE.items():
        assert scrapy_orders[path.removeprefix("ascrapy.middleware.downloader.")] == order


def test_overridden_settings_skips_dicts_and_defaults():
    settings = Settings({"BOT_NAME": "other", "LOG_LEVEL": "DEBUG", "ITEM_PIPELINES": {"a.B": 1}})
    assert dict(overridden_settings(settings)) == {"BOT_NAME": "other"}


def test_settings_follow_a_replaced_defaults_module(monkeypatch):
    replacement = types.ModuleType("replacement_defaults")
    replacement.ONLY = {"k": "v"}  # type: ignore[attr-defined]
    monkeypatch.setattr(ascrapy.settings, "default_settings", replacement)
    settings = Settings()
    assert list(settings) == ["ONLY"]
    assert isinstance(settings["ONLY"], BaseSettings)
