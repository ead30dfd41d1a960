"""scrapy.http.request.json_request: Scrapy's names, from ascrapy.http.request.json_request."""

from ascrapy.http.request.json_request import JsonRequest
