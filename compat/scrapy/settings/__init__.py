"""scrapy.settings is ascrapy.settings itself: tests patch its default_settings and SETTINGS_PRIORITIES."""

import sys

import ascrapy.settings
import ascrapy.settings.defaults

sys.modules["scrapy.settings.default_settings"] = ascrapy.settings.defaults
sys.modules[__name__] = ascrapy.settings
