#!/bin/sh
# Creates a virtual environment and installs the wheels of build-wheels.sh into it: ascrapy
# with the extras a crawl in a cluster uses (metrics: prometheus-client; mongo: PyMongo;
# redis: the shared frontier's client; kafka: aiokafka, for KafkaSpider and KafkaPipeline)
# and compat (the distribution named `scrapy`, version 2.19.0+ascrapy.N: the `scrapy`
# package and command), their dependencies from the package index. Run by the Dockerfile
# and by tests/test_image.py.
#
#   install-ascrapy.sh WHEEL_DIR VENV_DIR
set -eu
wheel_dir=$1
venv_dir=$2
"${PYTHON:-python3}" -m venv "$venv_dir"
ascrapy_wheel=$(ls "$wheel_dir"/ascrapy-[0-9]*.whl)
compat_wheel=$(ls "$wheel_dir"/scrapy-[0-9]*+ascrapy*.whl)
"$venv_dir/bin/python" -m pip install --disable-pip-version-check "$ascrapy_wheel[metrics,mongo,redis,kafka]" "$compat_wheel"
