"""The KAFKA_* settings, read once into what the Kafka source, its failure routing and the
Kafka pipeline need (defaults in ascrapy.settings.defaults)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


class SettingsReader(Protocol):
    def get(self, name: str, default: Any = None) -> Any: ...

    def getint(self, name: str, default: int = 0) -> int: ...

    def getfloat(self, name: str, default: float = 0.0) -> float: ...

    def getlist(self, name: str, default: list[Any] | None = None) -> list[Any]: ...

    def getdict(self, name: str, default: dict[Any, Any] | None = None) -> dict[Any, Any]: ...


@dataclass(frozen=True)
class KafkaConnection:
    """Where the brokers are, and how long to wait for them when the crawl starts."""

    bootstrap_servers: list[str]
    connect_timeout: float
    producer_params: dict[str, Any] = field(default_factory=dict)

    @property
    def servers(self) -> str:
        """The bootstrap servers as they are named in errors."""
        return ",".join(self.bootstrap_servers)

    @classmethod
    def from_settings(cls, settings: SettingsReader) -> KafkaConnection:
        servers = settings.get("KAFKA_BOOTSTRAP_SERVERS")
        if isinstance(servers, str):
            listed = [server.strip() for server in servers.split(",") if server.strip()]
        else:
            listed = [str(server) for server in servers or ()]
        if not listed:
            raise ValueError("KAFKA_BOOTSTRAP_SERVERS names no server")
        return cls(listed, settings.getfloat("KAFKA_CONNECT_TIMEOUT", 10.0),
                   dict(settings.getdict("KAFKA_PRODUCER_PARAMS")))


@dataclass(frozen=True)
class KafkaSourceConfig:
    """The start topic of a spider and what goes with it (see ascrapy.kafka.spider)."""

    connection: KafkaConnection
    topic: str
    group_id: str
    consumer_params: dict[str, Any]
    dead_letter_topic: str
    retry_topic: str | None
    max_attempts: int
    retry_delay: float
    idle_close: float | None
    max_in_flight: int
    commit_interval: float

    @property
    def topics(self) -> list[str]:
        """What the consumer reads: the start topic, and the retry topic when there is one."""
        return [self.topic] if self.retry_topic is None else [self.topic, self.retry_topic]

    @classmethod
    def from_settings(cls, settings: SettingsReader, spider_name: str) -> KafkaSourceConfig:
        topic = settings.get("KAFKA_START_URLS_TOPIC") or f"{spider_name}.start_urls"
        idle_close = settings.get("KAFKA_IDLE_CLOSE_SECONDS")
        config = cls(
            connection=KafkaConnection.from_settings(settings),
            topic=topic,
            group_id=settings.get("KAFKA_GROUP_ID") or spider_name,
            consumer_params=dict(settings.getdict("KAFKA_CONSUMER_PARAMS")),
            dead_letter_topic=settings.get("KAFKA_DEAD_LETTER_TOPIC") or f"{topic}.dlq",
            retry_topic=settings.get("KAFKA_RETRY_TOPIC") or None,
            max_attempts=max(settings.getint("KAFKA_MAX_ATTEMPTS", 3), 1),
            retry_delay=settings.getfloat("KAFKA_RETRY_DELAY_SECONDS", 60.0),
            idle_close=None if idle_close in (None, "") else float(idle_close),
            max_in_flight=max(settings.getint("KAFKA_MAX_MESSAGES_IN_FLIGHT", 100), 1),
            commit_interval=settings.getfloat("KAFKA_COMMIT_INTERVAL", 1.0),
        )
        if config.retry_topic in (config.topic, config.dead_letter_topic):
            raise ValueError("KAFKA_RETRY_TOPIC must differ from the start and dead-letter topics")
        if config.dead_letter_topic == config.topic:
            raise ValueError("KAFKA_DEAD_LETTER_TOPIC must differ from the start topic")
        return config

    @property
    def rebalance_wait(self) -> float:
        """How long a member whose partitions are taken away waits for their messages in
        flight to finish (and commits them) before it gives them up: half the time the
        group waits for it to rejoin."""
        params = self.consumer_params
        timeout_ms = params.get("rebalance_timeout_ms") or params.get("session_timeout_ms") or 10000
        return float(timeout_ms) / 2000
