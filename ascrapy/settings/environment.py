"""Settings from environment variables, so that a container or a manifest configures a
crawl without code: ``ASCRAPY_<NAME>=VALUE`` sets the setting NAME.

Scrapy itself reads only four ``SCRAPY_`` variables (SCRAPY_SETTINGS_MODULE, SCRAPY_PROJECT,
SCRAPY_CHECK, SCRAPY_PYTHON_SHELL) and ignores any other ``SCRAPY_`` name; ascrapy keeps
that, and its own prefix cannot be taken for Scrapy's. Values are read as ``-s`` reads
them: a JSON object or array becomes a dict or a list, anything else stays text, which the
settings getters convert (``getint``, ``getbool``: "true", "1" ...).

They apply at 'cmdline' priority, so they win over settings.py and a spider's
custom_settings (the deployment has the last word over the code), while ``-s`` on the
command line, applied after them at the same priority, wins over them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

ENV_PREFIX = "ASCRAPY_"
ENV_PRIORITY = "cmdline"

# Setting names are upper-case identifiers; anything else after the prefix is not a setting.
_SETTING_NAME = re.compile(r"[A-Z][A-Z0-9_]*")


def setting_value_from_text(text: str) -> Any:
    """A JSON object or array decoded; any other text (also invalid JSON) unchanged."""
    if text[:1] in ("{", "["):
        try:
            decoded = json.loads(text)
        except ValueError:
            return text
        if isinstance(decoded, (dict, list)):
            return decoded
    return text


def settings_from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """``{NAME: value}`` for every ``ASCRAPY_NAME`` variable of ``environ``."""
    found: dict[str, Any] = {}
    for variable, text in environ.items():
        if not variable.startswith(ENV_PREFIX):
            continue
        name = variable[len(ENV_PREFIX) :]
        if _SETTING_NAME.fullmatch(name):
            found[name] = setting_value_from_text(text)
    return found
