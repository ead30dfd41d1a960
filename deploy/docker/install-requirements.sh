#!/bin/sh
# Installs a project's requirements file into the image's environment, leaving out Scrapy
# itself: compat's distribution is `scrapy` 2.19.0+ascrapy.N, and a line pinning another
# Scrapy (scrapy==2.11.2) would make pip replace it with real Scrapy. Plugins that require
# Scrapy find the requirement met by compat.
#
#   install-requirements.sh requirements.txt
set -eu
requirements=$1
kept=$(mktemp)
trap 'rm -f "$kept"' EXIT
# A line naming the scrapy distribution: "scrapy", "Scrapy==2.13.4", "scrapy[x] >= 2", ...
scrapy_line='^[[:space:]]*[Ss][Cc][Rr][Aa][Pp][Yy][[:space:]]*([<>!~=;@[]|$)'
if grep -Eq "$scrapy_line" "$requirements"; then
    echo "install-requirements: leaving out $(grep -E "$scrapy_line" "$requirements" | tr '\n' ' ')(compat's scrapy 2.19.0+ascrapy provides it)" >&2
fi
grep -Ev "$scrapy_line" "$requirements" > "$kept" || true
"${PYTHON:-python3}" -m pip install --disable-pip-version-check -r "$kept"
