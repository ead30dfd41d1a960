"""scrapy.http.request.form: Scrapy's names, from ascrapy.http.request.form."""

from ascrapy.http.request.form import FormRequest, FormdataKVType, FormdataType, FormdataVType
