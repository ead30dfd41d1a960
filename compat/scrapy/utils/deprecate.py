"""scrapy.utils.deprecate: Scrapy's names, from ascrapy.utils.deprecate."""

from ascrapy.utils.deprecate import (
    DEPRECATION_RULES,
    argument_is_required,
    attribute,
    create_deprecated_class,
    method_is_overridden,
    update_classpath,
    warn_on_deprecated_spider_attribute,
)
