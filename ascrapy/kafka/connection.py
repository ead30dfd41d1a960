"""Starting aiokafka clients: within KAFKA_CONNECT_TIMEOUT, or a clear error naming the
bootstrap servers, so that a crawl whose broker is away says so at once."""

from __future__ import annotations

import asyncio
from typing import Protocol

from aiokafka.errors import KafkaError

from ascrapy.kafka.config import KafkaConnection


class KafkaUnreachableError(ConnectionError):
    """The brokers could not be reached when the crawl started."""


class KafkaClient(Protocol):
    """aiokafka's consumers and producers, as far as starting and stopping them goes."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


async def start_client(client: KafkaClient, what: str, connection: KafkaConnection) -> None:
    """Start ``client`` (``what`` names it in the error) or raise KafkaUnreachableError."""
    try:
        await asyncio.wait_for(client.start(), connection.connect_timeout)
    except (KafkaError, OSError, asyncio.TimeoutError) as error:
        await client.stop()
        detail = str(error) or type(error).__name__
        raise KafkaUnreachableError(
            f"{what} cannot reach Kafka at {connection.servers} (KAFKA_BOOTSTRAP_SERVERS) within "
            f"{connection.connect_timeout:g}s: {detail}"
        ) from None
