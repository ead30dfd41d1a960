"""scrapy.http.request.form is ascrapy.http.request.form itself."""

import ascrapy.http.request.form
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.http.request.form)
