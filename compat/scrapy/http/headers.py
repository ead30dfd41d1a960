"""scrapy.http.headers is ascrapy.http.headers itself."""

import ascrapy.http.headers
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.datatypes import CaseInsensitiveDict
from ascrapy.utils.python import to_unicode

alias_module(
    __name__,
    ascrapy.http.headers,
    CaseInsensitiveDict=CaseInsensitiveDict,
    to_unicode=to_unicode,
)
