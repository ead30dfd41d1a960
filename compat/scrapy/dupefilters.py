"""scrapy.dupefilters is ascrapy.dupefilters itself."""

import ascrapy.dupefilters
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.deprecate import method_is_overridden
from ascrapy.utils.job import job_dir
from ascrapy.utils.request import RequestFingerprinter, RequestFingerprinterProtocol, referer_str

alias_module(
    __name__,
    ascrapy.dupefilters,
    RequestFingerprinter=RequestFingerprinter,
    RequestFingerprinterProtocol=RequestFingerprinterProtocol,
    job_dir=job_dir,
    method_is_overridden=method_is_overridden,
    referer_str=referer_str,
)
