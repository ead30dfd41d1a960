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

    Keys that load to the same object are one component: in a BaseSettings the key
    set with the higher priority wins (equal priorities are an error), in a plain dict
    any such pair is an error. None disables a component. Ties keep insertion order.
    """
    _check_orders(compdict)
    # identity -> [converted key, order, priority]
    chosen: dict[Any, list[Any]] = {}
    if isinstance(compdict, BaseSettings):
        for key, attribute in compdict.attributes.items():
            converted = convert(key)
            identity = component_identity(converted)
            priority = attribute.priority
            current = chosen.get(identity)
            if current is None:
                chosen[identity] = [converted, attribute.value, priority]
            elif current[2] == priority:
                raise _same_object_error(list(compdict.keys()))
            elif priority > current[2]:
                current[:] = [converted, attribute.value, priority]
    else:
        for key, order in compdict.items():
            converted = convert(key)
            identity = component_identity(converted)
            if identity in chosen:
                raise _same_object_error(compdict)
            chosen[identity] = [converted, order, None]
    enabled = [(converted, order) for converted, order, _ in chosen.values() if order is not None]
    enabled.sort(key=lambda pair: pair[1])
    return [converted for converted, _ in enabled]


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
