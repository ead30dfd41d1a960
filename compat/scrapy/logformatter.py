"""scrapy.logformatter is ascrapy.logformatter itself."""

import ascrapy.logformatter
from ascrapy.utils.module_alias import alias_module
from ascrapy import Request, Spider
from ascrapy.http import Response
from ascrapy.utils.python import global_object_name
from ascrapy.utils.request import referer_str

alias_module(
    __name__,
    ascrapy.logformatter,
    Request=Request,
    Response=Response,
    Spider=Spider,
    global_object_name=global_object_name,
    referer_str=referer_str,
)
