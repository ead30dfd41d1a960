"""scrapy.http.request.rpc: Scrapy's names, from ascrapy.http.request.rpc."""

from ascrapy.http.request.rpc import DUMPS_ARGS, XmlRpcRequest
