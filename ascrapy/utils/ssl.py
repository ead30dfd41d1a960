"""TLS helpers on the standard library's ssl module.

Scrapy builds its TLS settings into pyOpenSSL and Twisted objects; ascrapy's HTTP handler
uses aiohttp, which takes an :class:`ssl.SSLContext`, so this module builds one from the
same settings (DOWNLOAD_TLS_MIN_VERSION, DOWNLOAD_TLS_MAX_VERSION,
DOWNLOADER_CLIENT_TLS_CIPHERS, DOWNLOAD_VERIFY_CERTIFICATES, SSLKEYLOGFILE).
"""

from __future__ import annotations

import logging
import os
import ssl
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ascrapy.exceptions import ScrapyDeprecationWarning

__all__ = ["ffi_buf_to_string", "get_openssl_version", "get_temp_key_info", "x509name_to_string"]

logger = logging.getLogger("scrapy.utils.ssl")

_T = TypeVar("_T")

_TLS_VERSIONS: dict[str, ssl.TLSVersion] = {
    "TLSv1.0": ssl.TLSVersion.TLSv1,
    "TLSv1.1": ssl.TLSVersion.TLSv1_1,
    "TLSv1.2": ssl.TLSVersion.TLSv1_2,
    "TLSv1.3": ssl.TLSVersion.TLSv1_3,
}


def get_openssl_version() -> str:
    """The TLS library in use, for ``scrapy version -v``.

    With pyOpenSSL installed, its version and the OpenSSL it links, as Scrapy reports;
    otherwise the OpenSSL that Python's ssl module links.
    """
    try:
        import OpenSSL.SSL  # noqa: PLC0415
        import OpenSSL.version  # noqa: PLC0415
    except ImportError:
        return ssl.OPENSSL_VERSION
    linked = OpenSSL.SSL.SSLeay_version(OpenSSL.SSL.SSLEAY_VERSION).decode("ascii", errors="replace")
    return f"{OpenSSL.version.__version__} ({linked})"


def _get_tls_version_limit(settings: Any, setting_name: str, converter: Callable[[str], _T]) -> _T | None:
    value = settings[setting_name]
    if value is None:
        return None
    try:
        return converter(value)
    except Exception as error:
        raise ValueError(f"Unknown {setting_name} value: {value}") from error


def _get_tls_version_limits(settings: Any, converter: Callable[[str], _T]) -> tuple[_T | None, _T | None]:
    return (
        _get_tls_version_limit(settings, "DOWNLOAD_TLS_MIN_VERSION", converter),
        _get_tls_version_limit(settings, "DOWNLOAD_TLS_MAX_VERSION", converter),
    )


def _get_keylog_filename() -> str | None:
    """Where to write TLS session keys (SSLKEYLOGFILE, for Wireshark), if set and writable."""
    if sys.flags.ignore_environment:
        return None
    filename = os.environ.get("SSLKEYLOGFILE")
    if not filename:
        return None
    try:
        with Path(filename).open("ab"):
            pass
    except OSError as error:
        logger.warning("Cannot write TLS session keys to %s: %s", filename, error)
        return None
    return filename


def _make_ssl_context(settings: Any) -> ssl.SSLContext:
    """A client context following the TLS settings (no verification unless asked for)."""
    minimum, maximum = _get_tls_version_limits(settings, _TLS_VERSIONS.__getitem__)
    context = _make_insecure_ssl_ctx()
    if settings.getbool("DOWNLOAD_VERIFY_CERTIFICATES"):
        context.verify_mode = ssl.CERT_REQUIRED
        context.check_hostname = True
        context.load_default_certs()
    if minimum is not None:
        context.minimum_version = minimum
    if maximum is not None:
        context.maximum_version = maximum
    ciphers = settings["DOWNLOADER_CLIENT_TLS_CIPHERS"]
    if ciphers:
        context.set_ciphers(ciphers)
    return context


def _make_insecure_ssl_ctx() -> ssl.SSLContext:
    """A client context that accepts any certificate (still honours SSLKEYLOGFILE)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    keylog = _get_keylog_filename()
    if keylog:
        context.keylog_filename = keylog
    return context


def _log_sslobj_debug_info(sslobj: ssl.SSLObject | ssl.SSLSocket) -> None:
    """Debug log lines naming the protocol, cipher and (when verified) certificate of a connection."""
    cipher = sslobj.cipher()
    logger.debug(
        "SSL connection to %s using protocol %s, cipher %s",
        sslobj.server_hostname,
        sslobj.version(),
        cipher[0] if cipher else None,
    )
    certificate = sslobj.getpeercert()
    if certificate:  # empty without verification
        logger.debug(
            'SSL connection certificate: issuer "%s", subject "%s"', certificate["issuer"], certificate["subject"]
        )


def _log_ssl_conn_debug_info(hostname: str, connection: Any) -> None:
    """The same log lines for a pyOpenSSL connection (for third-party handlers that use one)."""
    logger.debug(
        "SSL connection to %s using protocol %s, cipher %s",
        hostname,
        connection.get_protocol_version_name(),
        connection.get_cipher_name(),
    )
    certificate = connection.get_peer_certificate(as_cryptography=True)
    if certificate is not None:
        logger.debug(
            'SSL connection certificate: issuer "%s", subject "%s"',
            certificate.issuer.rfc4514_string(),
            certificate.subject.rfc4514_string(),
        )


def ffi_buf_to_string(buf: Any) -> str:
    """Deprecated: a pyOpenSSL FFI char buffer as text (needs pyOpenSSL)."""
    warnings.warn("ffi_buf_to_string() is deprecated.", ScrapyDeprecationWarning, stacklevel=2)
    from OpenSSL._util import ffi  # noqa: PLC0415

    raw = ffi.string(buf)
    return raw.decode() if isinstance(raw, bytes) else raw


def x509name_to_string(x509name: Any) -> str:
    """Deprecated: a pyOpenSSL X509Name in OpenSSL's one-line form (needs pyOpenSSL)."""
    warnings.warn("x509name_to_string() is deprecated.", ScrapyDeprecationWarning, stacklevel=2)
    from OpenSSL._util import ffi, lib  # noqa: PLC0415

    buffer = ffi.new("char[]", 512)
    lib.X509_NAME_oneline(x509name._name, buffer, len(buffer))
    raw = ffi.string(buffer)
    return raw.decode() if isinstance(raw, bytes) else raw


def get_temp_key_info(ssl_object: Any) -> str | None:
    """Deprecated no-op: the binding it read is gone from cryptography 40.0.0 on."""
    warnings.warn(
        "get_temp_key_info() is deprecated. It's also a no-op with cryptography 40.0.0+.",
        ScrapyDeprecationWarning,
        stacklevel=2,
    )
    return None
