"""Twisted TLS version limits are there for Twisted code, without ascrapy importing Twisted."""

from __future__ import annotations

import subprocess
import sys


def test_the_module_and_its_names_load_without_twisted():
    code = (
        "import sys; import scrapy.core.downloader.tls as tls; import scrapy.utils.ssl as s; "
        "print(sorted(tls._TWISTED_VERSION_MAP), callable(s._get_cert_options_version_kwargs), "
        "'twisted' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] True False"
