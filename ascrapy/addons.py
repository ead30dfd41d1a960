"""Add-ons (ADDONS): components that change settings before the crawl starts."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ascrapy.exceptions import NotConfigured
from ascrapy.utils.conf import build_component_list
from ascrapy.utils.misc import build_from_crawler, load_object

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.addons")


class AddonManager:
    """Loads the enabled add-ons and lets each update the crawler's settings."""

    def __init__(self, crawler: CrawlerProtocol) -> None:
        self.crawler = crawler
        self.addons: list[Any] = []

    def load_settings(self, settings: Any) -> None:
        for clspath in build_component_list(settings["ADDONS"]):
            try:
                addon = build_from_crawler(load_object(clspath), self.crawler)
                if hasattr(addon, "update_settings"):
                    addon.update_settings(settings)
                self.addons.append(addon)
            except NotConfigured as error:
                if error.args:
                    logger.warning(
                        "Disabled %(clspath)s: %(eargs)s",
                        {"clspath": clspath, "eargs": error.args[0]},
                        extra={"crawler": self.crawler},
                    )
        logger.info("Enabled addons:\n%(addons)s", {"addons": self.addons}, extra={"crawler": self.crawler})

    @classmethod
    def load_pre_crawler_settings(cls, settings: Any) -> None:
        """Call update_pre_crawler_settings of the add-on classes that have it."""
        for clspath in build_component_list(settings["ADDONS"]):
            addoncls = load_object(clspath)
            if hasattr(addoncls, "update_pre_crawler_settings"):
                addoncls.update_pre_crawler_settings(settings)
