"""TLS version limits for code that serves or connects with Twisted (optional: Twisted is not
a dependency of ascrapy, whose downloads use aiohttp).

Scrapy exposes these for Twisted TLS code, and its own test servers import them: the map
from TLS version names ("TLSv1.2") to Twisted's TLSVersion constants, and the keyword
arguments that limit the versions of ``twisted.internet.ssl.CertificateOptions``. Twisted
is imported on first use, never when this module is.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

_VERSION_NAMES = {"TLSv1.0": "TLSv1_0", "TLSv1.1": "TLSv1_1", "TLSv1.2": "TLSv1_2", "TLSv1.3": "TLSv1_3"}

# Twisted's CertificateOptions accepts no version below this without being told explicitly
# (insecurelyLowerMinimumTo), and raises the floor with raiseMinimumTo. Twisted >= 22.10.
_TWISTED_DEFAULT_MINIMUM = "TLSv1_2"


def _tls_version(name: str) -> Any:
    from twisted.internet.ssl import TLSVersion

    return getattr(TLSVersion, name)


class _TwistedVersionMap(Mapping[str, Any]):
    """{"TLSv1.0": TLSVersion.TLSv1_0, ...}, Twisted's constants looked up when read."""

    def __getitem__(self, name: str) -> Any:
        return _tls_version(_VERSION_NAMES[name])

    def __iter__(self) -> Iterator[str]:
        return iter(_VERSION_NAMES)

    def __len__(self) -> int:
        return len(_VERSION_NAMES)


_TWISTED_VERSION_MAP: Mapping[str, Any] = _TwistedVersionMap()


def _get_cert_options_version_kwargs(min_version: Any, max_version: Any) -> dict[str, Any]:
    """The CertificateOptions keyword arguments that allow exactly the versions from
    ``min_version`` to ``max_version`` (Twisted TLSVersion constants, or None: no limit)."""
    from twisted.internet.ssl import TLSVersion

    kwargs: dict[str, Any] = {}
    if max_version is not None:
        kwargs["lowerMaximumSecurityTo"] = max_version
    if min_version is not None:
        versions = list(TLSVersion.iterconstants())
        default = getattr(TLSVersion, _TWISTED_DEFAULT_MINIMUM)
        if versions.index(min_version) < versions.index(default):
            kwargs["insecurelyLowerMinimumTo"] = min_version
        elif versions.index(min_version) > versions.index(default):
            kwargs["raiseMinimumTo"] = min_version
    return kwargs
