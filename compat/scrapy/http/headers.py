"""scrapy.http.headers: Scrapy's names, from ascrapy.http.headers."""

from ascrapy.http.headers import Headers
