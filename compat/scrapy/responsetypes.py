"""scrapy.responsetypes: Scrapy's names, from ascrapy.responsetypes."""

from ascrapy.responsetypes import ResponseTypes, responsetypes
