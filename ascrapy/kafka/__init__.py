"""Kafka in and out, on aiokafka (``pip install 'ascrapy[kafka]'``).

- ``KafkaSpider`` / ``KafkaCrawlSpider``: start requests from a topic, committed at least
  once, failures to retry and dead-letter topics (ascrapy.kafka.spider).
- ``KafkaPipeline``: items to a topic, on the batch stage (ascrapy.kafka.pipeline).

The names load on first use, so that a crawl without Kafka never imports aiokafka.
"""

from __future__ import annotations

from typing import Any

_NAMES = {
    "KafkaSpider": "ascrapy.kafka.spider",
    "KafkaCrawlSpider": "ascrapy.kafka.spider",
    "KafkaPipeline": "ascrapy.kafka.pipeline",
    "KafkaUnreachableError": "ascrapy.kafka.connection",
}

__all__ = ["KafkaCrawlSpider", "KafkaPipeline", "KafkaSpider", "KafkaUnreachableError"]


def __getattr__(name: str) -> Any:
    module = _NAMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    try:
        return getattr(import_module(module), name)
    except ModuleNotFoundError as error:
        if error.name != "aiokafka":
            raise
        raise ImportError(f"ascrapy.kafka.{name} needs aiokafka: pip install 'ascrapy[kafka]'") from error


def __dir__() -> list[str]:
    return list(__all__)
