"""scrapy.http.response.html: Scrapy's names, from ascrapy.http.response.html."""

from ascrapy.http.response.html import HtmlResponse
