"""scrapy.linkextractors.lxmlhtml is ascrapy.linkextractors.lxmlhtml itself: tests patch its canonicalize_url."""

import ascrapy.linkextractors.lxmlhtml
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.url import url_has_any_extension

alias_module(__name__, ascrapy.linkextractors.lxmlhtml, url_has_any_extension=url_has_any_extension)
