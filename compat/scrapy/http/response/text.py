"""scrapy.http.response.text: Scrapy's names, from ascrapy.http.response.text."""

from ascrapy.http.response.text import TextResponse
