"""scrapy.http.response.json: Scrapy's names, from ascrapy.http.response.json."""

from ascrapy.http.response.json import JsonResponse
