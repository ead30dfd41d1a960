# ascrapy in a container: one Kubernetes Job per spider runs `ascrapy crawl NAME`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /opt/ascrapy
COPY pyproject.toml README.md ./
COPY ascrapy ./ascrapy
RUN pip install . && useradd --create-home --uid 10001 crawler

# The project to run is mounted or copied here (scrapy.cfg at its root).
WORKDIR /project
RUN chown crawler:crawler /project
USER crawler

ENTRYPOINT ["ascrapy"]
CMD ["--help"]
