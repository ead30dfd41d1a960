"""scrapy.http.request is ascrapy.http.request itself."""

import ascrapy.http.request
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.curl import curl_to_request_kwargs
from ascrapy.utils.trackref import object_ref

alias_module(
    __name__,
    ascrapy.http.request,
    curl_to_request_kwargs=curl_to_request_kwargs,
    object_ref=object_ref,
)
