"""scrapy.http.response: Scrapy's names, from ascrapy.http.response."""

from ascrapy.http.response import Response
