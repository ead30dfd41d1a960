"""The bookstore's spiders; `ascrapy list` finds every Spider subclass in these modules."""

# Where the bundled site is served by default (python examples/serve_site.py 8000).
# Every spider takes another one with -a base_url=http://127.0.0.1:PORT
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
