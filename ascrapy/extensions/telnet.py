"""TelnetConsole (scrapy.extensions.telnet): not available in ascrapy.

Scrapy's console is a Twisted Conch manhole; ascrapy runs without Twisted, so the extension
is never configured. Because TELNETCONSOLE_ENABLED defaults to on, it stays silent unless
a user turned the console on explicitly: then one warning says it is not available.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ascrapy.exceptions import NotConfigured
from ascrapy.settings import SETTINGS_PRIORITIES

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

# Scrapy's signal for adding variables to the console's namespace (args: telnet_vars).
update_telnet_vars = object()


class TelnetConsole:
    """Always raises NotConfigured; with a message (logged as a warning) when asked for."""

    def __init__(self, crawler: CrawlerProtocol) -> None:
        settings = crawler.settings
        if not settings.getbool("TELNETCONSOLE_ENABLED"):
            raise NotConfigured
        priority = settings.getpriority("TELNETCONSOLE_ENABLED")
        if priority is not None and priority > SETTINGS_PRIORITIES["default"]:
            raise NotConfigured(
                "The telnet console is not available in ascrapy (it needs Twisted)."
                " You can set the TELNETCONSOLE_ENABLED setting to False to remove this warning."
            )
        raise NotConfigured

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> TelnetConsole:
        return cls(crawler)
