"""scrapy.core.downloader.handlers.s3 is ascrapy.handlers.s3 itself."""

import ascrapy.handlers.s3
from ascrapy.utils.module_alias import alias_module
from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.pipelines.files import is_botocore_available
from ascrapy.utils.httpobj import urlparse_cached
from ascrapy.utils.misc import build_from_crawler, load_object

alias_module(
    __name__,
    ascrapy.handlers.s3,
    ScrapyDeprecationWarning=ScrapyDeprecationWarning,
    build_from_crawler=build_from_crawler,
    is_botocore_available=is_botocore_available,
    load_object=load_object,
    urlparse_cached=urlparse_cached,
)
