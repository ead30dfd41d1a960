"""Settings helpers: ordered component lists, -a arguments, and -o/-O feed options.

The scrapy.cfg and environment helpers Scrapy also keeps in ``scrapy.utils.conf`` live
in :mod:`ascrapy.utils.project` and are re-exported here under Scrapy's names.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ascrapy.exceptions import UsageError
from ascrapy.settings import BaseSettings
from ascrapy.settings._components import component_identity
from ascrapy.utils.project import closest_scrapy_cfg, get_config, get_sources, init_env

__all__ = [
    "arglist_to_dict",
    "build_component_list",
    "closest_scrapy_cfg",
    "feed_complete_default_values_from_settings",
    "feed_process_params_from_cli",
    "get_config",
    "get_sources",
    "init_env",
    "remove_none_values",
]


def _unchanged(key: Any) -> Any:
    """The default key conversion: Scrapy has no renamed component paths to map."""
    return key


def _check_orders(compdict: Mapping[Any, Any]) -> None:
    for name, value in compdict.items():
        if value is not None and not isinstance(value, numbers.Real):
            raise ValueError(
                f"Invalid value {value} for component {name}, "
                "please provide a real number or None instead"
            )


def _same_object_error(keys: Any) -> ValueError:
    return ValueError(
        f"Some paths in {keys!r} convert to the same object, please update your settings"
    )


def build_component_list(
    compdict: Mapping[Any, Any], *, convert: Callable[[Any], Any] = _unchanged
) -> list[Any]:
    """The enabled components of a {class or path: order} dict, sorted by order.

    Keys that load to the same object are one component where they were set at different
    priorities of a BaseSettings: the highest wins, so a project's
    ``"scrapy.downloadermiddlewares.retry.RetryMiddleware": None`` disables ascrapy's default
    of that class under its own path. Spellings set at the same level that agree (all None,
    or one order) are one component; those that disagree are each their own, as in Scrapy
    (``{path: 2, cls: 1}`` builds the class twice). Two keys that ``convert`` makes equal at
    one level are an error. None disables a component. Ties keep insertion order.
    """
    _check_orders(compdict)
    entries: list[tuple[Any, Any, Any]] = []  # (converted key, order, priority)
    if isinstance(compdict, BaseSettings):
        for key, attribute in compdict.attributes.items():
            entries.append((convert(key), attribute.value, attribute.priority))
    else:
        entries = [(convert(key), order, None) for key, order in compdict.items()]
    _refuse_converted_collisions(entries, list(compdict.keys()))
    enabled = [(converted, order) for converted, order in _one_per_component(entries) if order is not None]
    enabled.sort(key=lambda pair: pair[1])
    return [converted for converted, _ in enabled]


def _refuse_converted_collisions(entries: list[tuple[Any, Any, Any]], keys: list[Any]) -> None:
    seen: set[tuple[Any, Any]] = set()
    for converted, _, priority in entries:
        try:
            marker = (converted, priority)
            if marker in seen:
                raise _same_object_error(keys)
            seen.add(marker)
        except TypeError:  # an unhashable key: nothing to compare it by
            continue


def _one_per_component(entries: list[tuple[Any, Any, Any]]) -> list[tuple[Any, Any]]:
    """(key, order) pairs: for each component, its highest-priority spelling, or all of its
    disagreeing spellings at that priority; in the order components were first given."""
    groups: dict[Any, list[tuple[Any, Any, Any]]] = {}
    for entry in entries:
        groups.setdefault(component_identity(entry[0]), []).append(entry)
    chosen: list[tuple[Any, Any]] = []
    for spellings in groups.values():
        top = max((priority for _, _, priority in spellings), key=lambda p: -1 if p is None else p)
        at_top = [(converted, order) for converted, order, priority in spellings if priority == top]
        if len({order for _, order in at_top}) == 1:
            chosen.append(at_top[-1])  # they agree: one component, under the spelling given last
        else:
            chosen.extend(at_top)
    return chosen


def arglist_to_dict(arglist: list[str]) -> dict[str, str]:
    """['a=1', 'b=2'] -> {'a': '1', 'b': '2'} (spider arguments from -a)."""
    return dict(argument.split("=", 1) for argument in arglist)


def remove_none_values(mapping: Mapping[Any, Any]) -> dict[Any, Any]:
    """A dict copy without the keys whose value is None."""
    return {key: value for key, value in mapping.items() if value is not None}


def feed_complete_default_values_from_settings(
    feed: dict[str, Any], settings: BaseSettings, uri: str | None = None
) -> dict[str, Any]:
    """A copy of one FEEDS entry with its missing options taken from the FEED_* settings."""
    out = feed.copy()
    if uri is not None:
        out.setdefault("format", Path(uri).suffix.removeprefix("."))
    out.setdefault("batch_item_count", settings.getint("FEED_EXPORT_BATCH_ITEM_COUNT"))
    out.setdefault("encoding", settings["FEED_EXPORT_ENCODING"])
    out.setdefault("fields", settings.getdictorlist("FEED_EXPORT_FIELDS") or None)
    out.setdefault("store_empty", settings.getbool("FEED_STORE_EMPTY"))
    out.setdefault("uri_params", settings["FEED_URI_PARAMS"])
    out.setdefault("item_export_kwargs", {})
    if settings["FEED_EXPORT_INDENT"] is None:
        out.setdefault("indent", None)
    else:
        out.setdefault("indent", settings.getint("FEED_EXPORT_INDENT"))
    return out


def feed_process_params_from_cli(
    settings: BaseSettings,
    output: list[str],
    *,
    overwrite_output: list[str] | None = None,
) -> dict[str, dict[str, Any]]:
    """The FEEDS dict for the -o (append) or -O (overwrite) URIs of crawl/runspider.

    A URI may end in ``:format``; otherwise its file extension is the format. ``-``
    means standard output. Entries of the FEEDS setting win over the command line.
    """
    formats = list(remove_none_values(settings.getwithbase("FEED_EXPORTERS")))

    def check_format(feed_format: str) -> None:
        if feed_format not in formats:
            raise UsageError(
                f"Unrecognized output format '{feed_format}'. "
                f"Set a supported one ({tuple(formats)}) "
                "after a colon at the end of the output URI (i.e. -o/-O "
                "<URI>:<FORMAT>) or as a file extension."
            )

    overwrite = False
    if overwrite_output:
        if output:
            raise UsageError("Please use only one of -o/--output and -O/--overwrite-output")
        output = overwrite_output
        overwrite = True

    feeds: dict[str, dict[str, Any]] = {}
    for element in output:
        feed_uri, colon, feed_format = element.rpartition(":")
        if colon and feed_format in formats:
            if feed_uri == "-":
                feed_uri = "stdout:"
        else:
            feed_uri = element
            feed_format = Path(element).suffix.replace(".", "")
        check_format(feed_format)
        feeds[feed_uri] = {"format": feed_format}
        if overwrite:
            feeds[feed_uri]["overwrite"] = True

    feeds.update(settings.getdict("FEEDS"))
    return feeds
