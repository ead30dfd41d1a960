"""scrapy.utils.defer: Scrapy's names, from ascrapy.utils.defer."""

from ascrapy.utils.defer import (
    _process_pending_io,
    _schedule_coro,
    aiter_errback,
    defer_fail,
    defer_result,
    defer_succeed,
    deferred_f_from_coro_f,
    deferred_from_coro,
    deferred_to_future,
    ensure_awaitable,
    iter_errback,
    maybeDeferred_coro,
    maybe_deferred_to_future,
    mustbe_deferred,
    parallel,
    parallel_async,
    process_chain,
    process_parallel,
)
