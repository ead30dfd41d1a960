"""scrapy.signalmanager is ascrapy.signalmanager itself."""

import ascrapy.signalmanager
from ascrapy.utils.module_alias import alias_module
from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.utils.defer import maybe_deferred_to_future

alias_module(
    __name__,
    ascrapy.signalmanager,
    ScrapyDeprecationWarning=ScrapyDeprecationWarning,
    maybe_deferred_to_future=maybe_deferred_to_future,
)
