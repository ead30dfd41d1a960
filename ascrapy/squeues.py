"""Request queues for the scheduler (scrapy.squeues), on top of queuelib.

queuelib stores bytes; the classes here add, as small mixins in front of a queuelib class:
the parent directory created on demand, a codec (pickle or marshal) between objects and
bytes, and requests stored as ``Request.to_dict`` dicts so that callbacks travel by name.
The public classes are the ones settings name (SCHEDULER_DISK_QUEUE, SCHEDULER_MEMORY_QUEUE,
SCHEDULER_START_*_QUEUE); the ``_...Serialization...`` ones hold any codec-able object.
"""

from __future__ import annotations

import marshal
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, Self

from queuelib import queue

from ascrapy.utils.request import request_from_dict

if TYPE_CHECKING:
    from collections.abc import Callable
    from os import PathLike

    from ascrapy.http import Request
    from ascrapy.protocols import CrawlerProtocol
    from ascrapy.spiders import Spider

_NO_PEEK = "The underlying queue class does not implement 'peek'"


class _Storage(Protocol):
    """What the mixins below expect of the class after them (a queuelib queue)."""

    def push(self, obj: Any) -> None: ...

    def pop(self) -> Any: ...

    def peek(self) -> Any: ...


def _peek_of(below: _Storage) -> Any:
    """``below.peek()``; peek is optional for queues, so its absence is NotImplementedError."""
    try:
        peek = below.peek
    except AttributeError as exc:
        raise NotImplementedError(_NO_PEEK) from exc
    return peek()


class _CreatesParentDir:
    """queuelib opens ``path`` as is; a priority queue's ``key/-1`` needs ``key`` made first."""

    def __init__(self, path: str | PathLike[str], *args: Any, **kwargs: Any) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(path, *args, **kwargs)  # type: ignore[call-arg]


class _Encoded:
    """Objects in, bytes underneath: ``_dumps``/``_loads`` are set by the codec subclasses.

    ``_dumps`` raises ValueError for what it cannot encode: the scheduler then keeps that
    request in memory.
    """

    _dumps: Callable[[Any], bytes]  # a static method (as a plain Callable: mypy binds no self)
    _loads: Callable[[bytes], Any]

    def push(self, obj: Any) -> None:
        super().push(self._dumps(obj))  # type: ignore[misc]

    def pop(self) -> Any | None:
        data = super().pop()  # type: ignore[misc]
        return self._loads(data) if data else None

    def peek(self) -> Any | None:
        data = _peek_of(super())  # type: ignore[arg-type]
        return self._loads(data) if data else None


def _pickle_dumps(obj: Any) -> bytes:
    # pickle reports the unpicklable as PicklingError, AttributeError (a local function)
    # or TypeError (a parsel Selector): one ValueError for the scheduler to catch.
    try:
        return pickle.dumps(obj, protocol=4)
    except (pickle.PicklingError, AttributeError, TypeError) as exc:
        raise ValueError(str(exc)) from exc


class _PickleCodec(_Encoded):
    _dumps = staticmethod(_pickle_dumps)
    _loads = staticmethod(pickle.loads)


class _MarshalCodec(_Encoded):
    # marshal raises ValueError("unmarshallable object") itself.
    _dumps = staticmethod(marshal.dumps)
    _loads = staticmethod(marshal.loads)


class _RequestsAsDicts:
    """Requests in and out, ``Request.to_dict`` dicts underneath; built with ``key`` as the
    queue's path. Callbacks are stored by name and looked up on the crawler's spider again."""

    def __init__(self, crawler: CrawlerProtocol, key: str) -> None:
        self.spider: Spider | None = crawler.spider
        super().__init__(key)  # type: ignore[call-arg]

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol, key: str, *args: object, **kwargs: object) -> Self:
        return cls(crawler, key)

    def push(self, request: Request) -> None:
        super().push(request.to_dict(spider=self.spider))  # type: ignore[misc]

    def pop(self) -> Request | None:
        return self._request(super().pop())  # type: ignore[misc]

    def peek(self) -> Request | None:
        return self._request(super().peek())  # type: ignore[misc]

    def _request(self, data: dict[str, Any] | None) -> Request | None:
        return request_from_dict(data, spider=self.spider) if data else None


class _InMemory:
    """Requests kept as objects: nothing to encode, and the key (a path) is not needed."""

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol, *args: object, **kwargs: object) -> Self:
        return cls()

    def peek(self) -> Any | None:
        return _peek_of(super())  # type: ignore[arg-type]


def _serializable_queue(
    queue_class: type, serialize: Callable[[Any], bytes], deserialize: Callable[[bytes], Any]
) -> type:
    """``queue_class`` behind a codec of one's own (Scrapy's helper of the same name)."""
    namespace = {"_dumps": staticmethod(serialize), "_loads": staticmethod(deserialize)}
    return type(f"Serializable{queue_class.__name__}", (_Encoded, queue_class), namespace)


def _scrapy_non_serialization_queue(queue_class: type) -> type:
    """``queue_class`` as an in-memory request queue (Scrapy's helper of the same name)."""
    return type(queue_class.__name__, (_InMemory, queue_class), {})


# Objects through a codec, in a queuelib queue whose parent directory is created.
class _PickleFifoSerializationDiskQueue(_PickleCodec, _CreatesParentDir, queue.FifoDiskQueue):
    pass


class _PickleLifoSerializationDiskQueue(_PickleCodec, _CreatesParentDir, queue.LifoDiskQueue):
    pass


class _MarshalFifoSerializationDiskQueue(_MarshalCodec, _CreatesParentDir, queue.FifoDiskQueue):
    pass


class _MarshalLifoSerializationDiskQueue(_MarshalCodec, _CreatesParentDir, queue.LifoDiskQueue):
    pass


class _PickleFifoSerializationSQLiteQueue(_PickleCodec, _CreatesParentDir, queue.FifoSQLiteQueue):
    pass


class _PickleLifoSerializationSQLiteQueue(_PickleCodec, _CreatesParentDir, queue.LifoSQLiteQueue):
    pass


class _MarshalFifoSerializationSQLiteQueue(_MarshalCodec, _CreatesParentDir, queue.FifoSQLiteQueue):
    pass


class _MarshalLifoSerializationSQLiteQueue(_MarshalCodec, _CreatesParentDir, queue.LifoSQLiteQueue):
    pass


# The request queues settings name. The disk ones are built with key=<path>. Each holds
# Requests over a queue of bytes: not a subtype of that queue, by design (hence the
# "type: ignore[misc]" of incompatible push/pop/peek).
class PickleFifoDiskQueue(_RequestsAsDicts, _PickleFifoSerializationDiskQueue):  # type: ignore[misc]
    pass


class PickleLifoDiskQueue(_RequestsAsDicts, _PickleLifoSerializationDiskQueue):  # type: ignore[misc]
    pass


class MarshalFifoDiskQueue(_RequestsAsDicts, _MarshalFifoSerializationDiskQueue):  # type: ignore[misc]
    pass


class MarshalLifoDiskQueue(_RequestsAsDicts, _MarshalLifoSerializationDiskQueue):  # type: ignore[misc]
    pass


class PickleFifoSQLiteQueue(_RequestsAsDicts, _PickleFifoSerializationSQLiteQueue):  # type: ignore[misc]
    pass


class PickleLifoSQLiteQueue(_RequestsAsDicts, _PickleLifoSerializationSQLiteQueue):  # type: ignore[misc]
    pass


class MarshalFifoSQLiteQueue(_RequestsAsDicts, _MarshalFifoSerializationSQLiteQueue):  # type: ignore[misc]
    pass


class MarshalLifoSQLiteQueue(_RequestsAsDicts, _MarshalLifoSerializationSQLiteQueue):  # type: ignore[misc]
    pass


class FifoMemoryQueue(_InMemory, queue.FifoMemoryQueue):
    pass


class LifoMemoryQueue(_InMemory, queue.LifoMemoryQueue):
    pass
