# ascrapy's image: runs ascrapy projects and unchanged Scrapy projects (compat, the `scrapy`
# distribution, provides the `scrapy` package and command). One crawl per container; in
# Kubernetes, one Job per spider (deploy/k8s/).
#
#   docker build -t ascrapy:0.1.0 .
#   docker run --rm -v "$PWD:/project" --user "$(id -u):$(id -g)" ascrapy:0.1.0 crawl NAME -o items.jsonl
#                                  (a mounted project; --user lets the crawl write files there)
#   deploy/docker/project.Dockerfile   (a project image: FROM this one, the project copied in)
#
# The crawler runs as PID 1 (exec form, no shell in between) and as a user without
# privileges; SIGTERM makes it drain in-flight work and flush its batches.
ARG PYTHON_IMAGE=python:3.11-slim

# -- the wheels: built once, nothing of the build stays in the image ---------------------
FROM ${PYTHON_IMAGE} AS wheels
WORKDIR /src
COPY pyproject.toml README.md ./
COPY ascrapy ./ascrapy
COPY compat ./compat
COPY deploy/docker/build-wheels.sh /usr/local/bin/
RUN PIP_NO_CACHE_DIR=1 build-wheels.sh /src /wheels

# -- the image ---------------------------------------------------------------------------
FROM ${PYTHON_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/ascrapy \
    PATH=/opt/ascrapy/bin:$PATH \
    ASCRAPY_METRICS_HOST=0.0.0.0 \
    ASCRAPY_REMOTE_CONTROL_JOBS_DIR=/tmp/ascrapy-jobs
COPY deploy/docker/install-ascrapy.sh deploy/docker/install-requirements.sh /usr/local/bin/
COPY deploy/docker/entrypoint.sh /usr/local/bin/ascrapy-entrypoint
COPY --from=wheels /wheels /tmp/wheels
RUN install-ascrapy.sh /tmp/wheels /opt/ascrapy \
    && rm -rf /tmp/wheels \
    && useradd --uid 10001 --user-group --create-home --shell /usr/sbin/nologin crawler \
    && install -d -o crawler -g crawler /project /data

# The project is mounted here, or copied here by a project image (scrapy.cfg at its root);
# /data is for JOBDIR and feeds (a volume in Kubernetes).
WORKDIR /project
USER 10001:10001
ENTRYPOINT ["ascrapy-entrypoint"]
CMD []
