"""The extension manager (EXTENSIONS): components that hook into signals."""

from __future__ import annotations

from typing import Any

from ascrapy.middleware.manager import MiddlewareManager
from ascrapy.utils.conf import build_component_list


class ExtensionManager(MiddlewareManager):
    component_name = "extension"

    @classmethod
    def _get_mwlist_from_settings(cls, settings: Any) -> list[Any]:
        return build_component_list(settings.getwithbase("EXTENSIONS"))
