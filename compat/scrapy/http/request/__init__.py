"""scrapy.http.request: Scrapy's names, from ascrapy.http.request."""

from ascrapy.http.request import CallbackT, CookiesT, NO_CALLBACK, Request, VerboseCookie
