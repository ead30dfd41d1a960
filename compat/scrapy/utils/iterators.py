"""scrapy.utils.iterators: Scrapy's names, from ascrapy.utils.iterators."""

from ascrapy.utils.iterators import _body_or_str, csviter, xmliter_lxml
