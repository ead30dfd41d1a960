"""scrapy.linkextractors.lxmlhtml is ascrapy.linkextractors.lxmlhtml itself: tests patch its canonicalize_url."""

import sys

import ascrapy.linkextractors.lxmlhtml

sys.modules[__name__] = ascrapy.linkextractors.lxmlhtml
