"""TLS contexts from settings, and the OpenSSL version line."""

from __future__ import annotations

import ssl
import warnings

import pytest

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.settings import Settings
from ascrapy.utils.ssl import _get_keylog_filename, _make_insecure_ssl_ctx, _make_ssl_context, get_openssl_version, get_temp_key_info


def test_openssl_version_names_openssl():
    assert "OpenSSL" in get_openssl_version() or "LibreSSL" in get_openssl_version()


def test_default_context_does_not_verify():
    context = _make_ssl_context(Settings())
    assert context.verify_mode == ssl.CERT_NONE and not context.check_hostname
    insecure = _make_insecure_ssl_ctx()
    assert insecure.verify_mode == ssl.CERT_NONE


def test_settings_shape_the_context():
    context = _make_ssl_context(Settings({
        "DOWNLOAD_VERIFY_CERTIFICATES": True,
        "DOWNLOAD_TLS_MIN_VERSION": "TLSv1.2",
        "DOWNLOAD_TLS_MAX_VERSION": "TLSv1.3",
        "DOWNLOADER_CLIENT_TLS_CIPHERS": "ECDHE+AESGCM",
    }))
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.minimum_version == ssl.TLSVersion.TLSv1_2
    assert context.maximum_version == ssl.TLSVersion.TLSv1_3
    tls12_ciphers = {c["name"] for c in context.get_ciphers() if c["protocol"] == "TLSv1.2"}
    assert tls12_ciphers and all("GCM" in name for name in tls12_ciphers)


def test_an_unknown_tls_version_is_an_error():
    with pytest.raises(ValueError, match="Unknown DOWNLOAD_TLS_MIN_VERSION value: TLSv9"):
        _make_ssl_context(Settings({"DOWNLOAD_TLS_MIN_VERSION": "TLSv9"}))


def test_sslkeylogfile(monkeypatch, tmp_path, caplog):
    keylog = tmp_path / "keys.log"
    monkeypatch.setenv("SSLKEYLOGFILE", str(keylog))
    assert _get_keylog_filename() == str(keylog)
    assert _make_insecure_ssl_ctx().keylog_filename == str(keylog)
    assert _make_ssl_context(Settings({"DOWNLOAD_VERIFY_CERTIFICATES": True})).keylog_filename == str(keylog)
    monkeypatch.setenv("SSLKEYLOGFILE", str(tmp_path / "missing-dir" / "keys.log"))
    assert _get_keylog_filename() is None
    assert "Cannot write TLS session keys" in caplog.text
    monkeypatch.delenv("SSLKEYLOGFILE")
    assert _get_keylog_filename() is None


def test_get_temp_key_info_is_a_deprecated_no_op():
    with pytest.warns(ScrapyDeprecationWarning, match="get_temp_key_info"):
        assert get_temp_key_info(object()) is None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert get_temp_key_info(None) is None
