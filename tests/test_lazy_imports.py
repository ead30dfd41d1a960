"""What a crawl does not load: modules that only some features need are imported on first
use, which keeps a crawl's start-up time and resident memory down. Each name stays
importable from where Scrapy users import it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from ascrapy.utils.misc import LazyObjects


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``code``."""
    script = textwrap.dedent(code) + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_a_crawl_with_a_jsonlines_feed_leaves_the_rest_unloaded(tmp_path):
    loaded = _modules_after(f"""
        import ascrapy
        from ascrapy.crawler import CrawlerProcess

        class Nothing(ascrapy.Spider):
            name = "nothing"

        process = CrawlerProcess({{"LOG_LEVEL": "ERROR", "FEEDS": {{{str(tmp_path / 'out.jsonl')!r}: {{"format": "jsonlines"}}}}}})
        process.crawl(Nothing)
        process.start()
        from ascrapy.cli import main  # the command line lists every command
        main._get_commands_dict(process.settings, inproject=True)
    """)
    unloaded = {
        "unittest", "ascrapy.contracts",  # the check command
        "webbrowser",  # open_in_browser
        "xml.sax", "ascrapy.exporters.xml_exporter", "ascrapy.exporters.csv_exporter",  # other formats
        "ascrapy.exporters.python_exporters",
        "decimal",  # only items holding a Decimal need its encoding
        "ascrapy.spiders.crawl", "ascrapy.spiders.sitemap", "ascrapy.spiders.feed",  # generic spiders
        "prometheus_client", "ascrapy.utils.metric_families",  # METRICS_PORT
        "ascrapy.utils.jsonlog",  # LOG_JSON
    }
    assert loaded & unloaded == set()
    assert "ascrapy.exporters.json_exporters" in loaded


def test_lazily_loaded_names_import_as_before():
    from ascrapy.cli import check
    from ascrapy.exporters import CsvItemExporter, XmlItemExporter
    from ascrapy.spiders import CrawlSpider, Rule, SitemapSpider

    assert CsvItemExporter.__module__ == "ascrapy.exporters.csv_exporter"
    assert XmlItemExporter.__name__ == "XmlItemExporter"
    assert (CrawlSpider.__module__, Rule.__module__) == ("ascrapy.spiders.crawl", "ascrapy.spiders.crawl")
    assert SitemapSpider.__module__ == "ascrapy.spiders.sitemap"
    assert check.ContractsManager.__module__ == "ascrapy.contracts"
    assert check.TextTestResult.__module__ == "ascrapy.contracts.report"
    import ascrapy.exporters
    import ascrapy.spiders

    assert {"CsvItemExporter", "XmlItemExporter"} <= set(dir(ascrapy.exporters))
    assert "SitemapSpider" in dir(ascrapy.spiders)
    with pytest.raises(AttributeError):
        ascrapy.exporters.NoSuchExporter  # noqa: B018
    with pytest.raises(AttributeError):
        ascrapy.spiders.NoSuchSpider  # noqa: B018


def test_lazy_objects_load_on_first_access_only():
    objects = LazyObjects({"json": "json.dumps", "broken": "no.such.module.thing"})
    assert set(objects) == {"json", "broken"} and len(objects) == 2
    assert "broken" in objects  # a key, not loaded
    import json

    assert objects["json"] is json.dumps
    with pytest.raises(ModuleNotFoundError):
        objects["broken"]
    with pytest.raises(KeyError):
        objects["missing"]


def test_decimal_is_encoded_once_its_module_is_loaded():
    import decimal

    from ascrapy.exporters.json_encoder import ScrapyJSONEncoder

    assert ScrapyJSONEncoder().encode({"price": decimal.Decimal("2.50")}) == '{"price": "2.50"}'
    with pytest.raises(TypeError):
        ScrapyJSONEncoder().encode({"x": object()})
