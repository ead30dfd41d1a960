# A project image: your ascrapy or Scrapy project on top of ascrapy's image. Put this file
# at the root of the project (next to scrapy.cfg) as Dockerfile, with a .dockerignore that
# keeps .venv, .git, .scrapy and output files out, then:
#
#   docker build -t my-crawler:1 .
#   docker run --rm my-crawler:1 crawl NAME -o /data/items.jsonl
#
# requirements.txt may still name scrapy: install-requirements.sh leaves it out, since
# compat (the `scrapy` distribution, 2.19.0+ascrapy.N) provides the `scrapy` package and command.
FROM ascrapy:0.1.0

USER root
COPY requirements.txt /tmp/requirements.txt
RUN install-requirements.sh /tmp/requirements.txt && rm /tmp/requirements.txt
COPY --chown=10001:10001 . /project
USER 10001:10001
