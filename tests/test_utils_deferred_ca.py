"""Contexts whose default verify paths load on first use still verify like loaded ones."""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
import textwrap

import aiohttp
import pytest
import trustme
from aiohttp import web

from ascrapy.utils.deferred_ca import deferred_default_verify_paths


@pytest.fixture
def authority(tmp_path, monkeypatch):
    """A CA that the default verify paths trust (SSL_CERT_FILE), as a system bundle would."""
    ca = trustme.CA()
    bundle = tmp_path / "bundle.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    return ca


async def _tls_server(aiohttp_server, ca):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)

    async def hello(request):
        return web.Response(text="trusted")

    app = web.Application()
    app.router.add_get("/", hello)
    return await aiohttp_server(app, ssl=context)


def test_the_paths_load_at_first_use_and_the_patch_is_gone_after_the_block(authority):
    with deferred_default_verify_paths():
        context = ssl.create_default_context()
        assert context.cert_store_stats()["x509_ca"] == 1  # loaded by this first look
        untouched = ssl.create_default_context()
    assert "set_default_verify_paths" not in vars(ssl.SSLContext)
    assert "wrap_bio" in vars(untouched)
    assert untouched.get_ca_certs()[0]["subject"] == context.get_ca_certs()[0]["subject"]
    assert not {"wrap_bio", "get_ca_certs"} & set(vars(untouched))


async def test_a_deferred_context_verifies_a_handshake(aiohttp_server, authority, monkeypatch):
    server = await _tls_server(aiohttp_server, authority)
    with deferred_default_verify_paths():
        verifying = ssl.create_default_context()
    async with aiohttp.ClientSession() as session:
        async with session.get(f"https://127.0.0.1:{server.port}/", ssl=verifying) as response:
            assert await response.text() == "trusted"
    with deferred_default_verify_paths():
        empty = ssl.create_default_context()
    monkeypatch.setenv("SSL_CERT_FILE", os.devnull)  # nothing trusted when this one loads
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientConnectorCertificateError):
            await session.get(f"https://127.0.0.1:{server.port}/", ssl=empty)


async def test_aiohttp_imported_by_the_handler_verifies_with_its_own_defaults(aiohttp_server, authority):
    server = await _tls_server(aiohttp_server, authority)
    script = textwrap.dedent(f"""
        import asyncio
        import ascrapy.handlers.http
        import aiohttp, aiohttp.connector
        assert "wrap_bio" in vars(aiohttp.connector._SSL_CONTEXT_VERIFIED), "not deferred"

        async def main():
            async with aiohttp.ClientSession() as session:
                async with session.get("https://127.0.0.1:{server.port}/") as response:
                    print(await response.text())

        asyncio.run(main())
    """)
    process = await _run(script)
    assert process.returncode == 0, process.stderr
    assert process.stdout.strip() == "trusted"


async def _run(script: str) -> subprocess.CompletedProcess[str]:
    import asyncio

    return await asyncio.to_thread(
        subprocess.run, [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
