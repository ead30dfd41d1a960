"""scrapy.http.response.xml: Scrapy's names, from ascrapy.http.response.xml."""

from ascrapy.http.response.xml import XmlResponse
