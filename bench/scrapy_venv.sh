#!/usr/bin/env bash
# Creates bench/.venv-scrapy with real Scrapy 2.19.0 (from PyPI), for side-by-side runs, and
# scrapy-redis 0.9.1 in it for the distributed crawl (redis_bench.py).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv=${SCRAPY_VENV:-$here/.venv-scrapy}
if [ ! -x "$venv/bin/scrapy" ]; then
  "$(command -v python3.11 || command -v python3)" -m venv "$venv"
  "$venv/bin/pip" install -q "scrapy==2.19.0"
fi
if ! "$venv/bin/python" -c "import scrapy_redis" 2>/dev/null; then
  "$venv/bin/pip" install -q "scrapy-redis==0.9.1"
fi
echo "$venv"
