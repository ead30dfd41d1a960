#!/bin/sh
# The image's entrypoint. `docker run IMAGE crawl NAME` runs `ascrapy crawl NAME` in /project;
# `docker run IMAGE scrapy crawl NAME`, `... python x.py` or `... sh` run as given. `exec`
# makes the crawler PID 1 of the container: it receives SIGTERM itself and drains.
set -eu
case "${1:-}" in
    "" | -*) set -- ascrapy "$@" ;;
    bench | check | crawl | edit | fetch | genspider | k8s | list | parse | runspider | settings | shell | startproject | version | view)
        set -- ascrapy "$@" ;;
esac
case "$1 ${2:-}" in
    "ascrapy check" | "ascrapy crawl" | "ascrapy edit" | "ascrapy list" | "ascrapy parse" | \
    "scrapy check" | "scrapy crawl" | "scrapy edit" | "scrapy list" | "scrapy parse")
        if [ ! -e scrapy.cfg ] && [ -z "${SCRAPY_SETTINGS_MODULE:-}" ]; then
            echo "No project in $(pwd): mount one (docker run -v \"\$PWD:/project\" IMAGE $2 ...)" \
                 "or build a project image FROM this one (see deploy/docker/project.Dockerfile)." >&2
        fi ;;
esac
exec "$@"
