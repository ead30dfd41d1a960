"""scrapy.commands is ascrapy.cli itself."""

import ascrapy.cli
import ascrapy.signals
from ascrapy.utils.module_alias import alias_module
from ascrapy.exceptions import ScrapyDeprecationWarning, UsageError
from ascrapy.extensions.feedexport import FeedExporter
from ascrapy.utils.conf import arglist_to_dict, feed_process_params_from_cli
from ascrapy.utils.deprecate import method_is_overridden
from ascrapy.utils.python import global_object_name

alias_module(
    __name__,
    ascrapy.cli,
    FeedExporter=FeedExporter,
    ScrapyDeprecationWarning=ScrapyDeprecationWarning,
    UsageError=UsageError,
    arglist_to_dict=arglist_to_dict,
    feed_process_params_from_cli=feed_process_params_from_cli,
    global_object_name=global_object_name,
    method_is_overridden=method_is_overridden,
    signals=ascrapy.signals,
)
