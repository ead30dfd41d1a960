"""Host name to IP address lookups for CONCURRENT_REQUESTS_PER_IP slots (scrapy.resolver).

aiohttp resolves names for the downloads themselves; this cache only tells the frontier
which IP a host name stands for, so hosts sharing an address share one slot. Requests for
a host seen for the first time wait for its lookup (Scrapy keys them by the host's name
until its first connection fills the cache, which splits one address into two slots).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket

from ascrapy.utils.datatypes import LocalCache

logger = logging.getLogger("scrapy.resolver")

dnscache: LocalCache[str, str] = LocalCache(10000)


class HostAddresses:
    """Looks host names up in the background and remembers their first IPv4/IPv6 address.

    The frontier keys per-IP slots by address: a request whose host is not looked up yet
    waits for ``looked_up(host)``, so one address never gets two slots (one named after the
    host, one after its IP). A failed lookup keys the host by its name for good.
    """

    def __init__(self, cache: LocalCache[str, str] | None = None, timeout: float = 60.0) -> None:
        self.cache = dnscache if cache is None else cache
        self.timeout = timeout
        self._lookups: dict[str, asyncio.Future[None]] = {}
        self._failed: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    def address(self, host: str) -> str | None:
        """The host's address if known (or the host itself when it is an IP, or when its
        lookup failed); else None, and a lookup starts."""
        known = self.cache.get(host)
        if known is not None:
            return known
        if host in self._failed or not host:
            return host
        try:
            ipaddress.ip_address(host)
        except ValueError:
            pass
        else:
            return host
        self.looked_up(host)
        return None

    def looked_up(self, host: str) -> asyncio.Future[None]:
        """A future done when ``host``'s lookup has ended (at once if nothing is pending)."""
        lookup = self._lookups.get(host)
        if lookup is None:
            loop = asyncio.get_running_loop()
            lookup = self._lookups[host] = loop.create_future()
            if host in self.cache or host in self._failed:
                lookup.set_result(None)
            else:
                task = loop.create_task(self._look_up(host, lookup))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        return lookup

    async def _look_up(self, host: str, lookup: asyncio.Future[None]) -> None:
        loop = asyncio.get_running_loop()
        try:
            infos = await asyncio.wait_for(
                loop.getaddrinfo(host, None, type=socket.SOCK_STREAM), self.timeout
            )
        except (OSError, TimeoutError) as error:
            logger.debug("Could not resolve %s for its download slot: %s", host, error)
            infos = []
        if infos:
            self.cache[host] = str(infos[0][4][0])  # an IP address (typeshed allows an int for other families)
        else:
            self._failed.add(host)
        del self._lookups[host]
        if not lookup.done():
            lookup.set_result(None)

    def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for lookup in self._lookups.values():
            lookup.cancel()


class CachingThreadedResolver:
    """Named by the DNS_RESOLVER setting; Twisted resolvers have no role in ascrapy."""
