"""Host name to IP address lookups for CONCURRENT_REQUESTS_PER_IP slots (scrapy.resolver).

aiohttp resolves names for the downloads themselves; this cache only tells the frontier
which IP a host name stands for, so hosts sharing an address share one slot. A host seen
for the first time is keyed by its name until its lookup completes, as in Scrapy, whose
cache is filled by the first connection.
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
    """Looks host names up in the background and remembers their first IPv4/IPv6 address."""

    def __init__(self, cache: LocalCache[str, str] | None = None, timeout: float = 60.0) -> None:
        self.cache = dnscache if cache is None else cache
        self.timeout = timeout
        self._pending: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    def address(self, host: str) -> str | None:
        """The host's address if known (or the host itself when it is an IP); else None,
        and a lookup starts."""
        known = self.cache.get(host)
        if known is not None:
            return known
        try:
            ipaddress.ip_address(host)
        except ValueError:
            pass
        else:
            return host
        if host and host not in self._pending:
            self._pending.add(host)
            task = asyncio.get_running_loop().create_task(self._look_up(host))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return None

    async def _look_up(self, host: str) -> None:
        loop = asyncio.get_running_loop()
        try:
            infos = await asyncio.wait_for(
                loop.getaddrinfo(host, None, type=socket.SOCK_STREAM), self.timeout
            )
        except (OSError, TimeoutError) as error:
            logger.debug("Could not resolve %s for its download slot: %s", host, error)
        else:
            if infos:
                self.cache[host] = infos[0][4][0]
        finally:
            self._pending.discard(host)

    def close(self) -> None:
        for task in self._tasks:
            task.cancel()


class CachingThreadedResolver:
    """Named by the DNS_RESOLVER setting; Twisted resolvers have no role in ascrapy."""
