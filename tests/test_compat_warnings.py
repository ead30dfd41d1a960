"""Deprecation warnings raised through compat point at the code that used the deprecated
name, not at compat's or ascrapy's files: a plugin's warning filter for its own module
catches them. Each check imports a deprecated module afresh, so it runs in a process of its
own."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.process_helpers import WAIT, child_env

PLUGIN = """
import scrapy.mail
from scrapy.extensions.statsmailer import StatsMailer
"""

CHECK = """
import json, sys, warnings
sys.path.insert(0, sys.argv[2])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import myplugin
json.dump([[str(w.message).split(" module")[0], w.filename, w.category.__name__] for w in caught],
          open(sys.argv[1], "w"))
"""

FILTERED = """
import json, sys, warnings
sys.path.insert(0, sys.argv[2])
from scrapy.exceptions import ScrapyDeprecationWarning
warnings.simplefilter("error")
warnings.filterwarnings("ignore", category=ScrapyDeprecationWarning, module="myplugin")
import myplugin  # an error if any warning escaped the plugin's own filter
json.dump("imported", open(sys.argv[1], "w"))
"""


def _run(tmp_path: Path, script: str) -> object:
    package = tmp_path / "plugin"
    package.mkdir(exist_ok=True)
    (package / "myplugin.py").write_text(textwrap.dedent(PLUGIN))
    (tmp_path / "check.py").write_text(textwrap.dedent(script))
    out = tmp_path / "out.json"
    done = subprocess.run([sys.executable, str(tmp_path / "check.py"), str(out), str(package)], cwd=tmp_path,
                          env=child_env(), capture_output=True, text=True, timeout=WAIT)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text())


def test_a_deprecated_modules_warning_points_at_the_module_that_imported_it(tmp_path: Path) -> None:
    caught = _run(tmp_path, CHECK)
    plugin_file = str(tmp_path / "plugin" / "myplugin.py")
    assert [message for message, _, _ in caught] == ["The scrapy.mail", "The scrapy.extensions.statsmailer"]
    assert {filename for _, filename, _ in caught} == {plugin_file}
    assert {category for _, _, category in caught} == {"ScrapyDeprecationWarning"}


def test_a_plugins_filter_for_its_own_module_catches_them(tmp_path: Path) -> None:
    assert _run(tmp_path, FILTERED) == "imported"
