"""ScrapyJSONEncoder: json.JSONEncoder for the values spiders put in items."""

from __future__ import annotations

import datetime
import json
import sys
from typing import Any

import itemadapter  # attribute access at call time: itemadapter may be mid-import here

from ascrapy.http import Request, Response

__all__ = ["ScrapyJSONEncoder"]


class ScrapyJSONEncoder(json.JSONEncoder):
    """Also encodes sets (as lists), dates and times (ISO 8601), Decimals (as strings),
    requests and responses (as a short description) and nested items (as objects)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, set):
            return list(o)
        if isinstance(o, (datetime.datetime, datetime.date, datetime.time)):
            return o.isoformat()
        if _is_decimal(o):
            return str(o)
        if isinstance(o, Request):
            return f"<{type(o).__name__} {o.method} {o.url}>"
        if isinstance(o, Response):
            return f"<{type(o).__name__} {o.status} {o.url}>"
        if itemadapter.is_item(o):
            return itemadapter.ItemAdapter(o).asdict()
        return super().default(o)


def _is_decimal(o: Any) -> bool:
    """isinstance(o, decimal.Decimal), without importing decimal for crawls that have none:
    a Decimal exists only once its module has been imported."""
    module = sys.modules.get("decimal") or sys.modules.get("_decimal")
    return module is not None and isinstance(o, module.Decimal)
