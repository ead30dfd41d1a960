#!/bin/sh
# Builds the ascrapy and compat (`scrapy` 2.19.0+ascrapy.N) wheels from a source tree (pyproject.toml, README.md,
# ascrapy/, compat/) into a folder. The Dockerfile's first stage runs this script, and so does
# tests/test_image.py, so that the test builds what the image installs.
#
#   build-wheels.sh SOURCE_DIR WHEEL_DIR
set -eu
source_dir=$1
wheel_dir=$2
"${PYTHON:-python3}" -m pip wheel --no-deps --wheel-dir "$wheel_dir" "$source_dir" "$source_dir/compat"
