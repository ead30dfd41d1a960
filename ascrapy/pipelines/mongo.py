"""MongoPipeline: the crawl's items into MongoDB, one bulk write per batch.

Enable it in ITEM_PIPELINES and set MONGO_URI / MONGO_DATABASE; it is a batch pipeline
(``process_batch``), so the batch stage gives it up to MONGO_BATCH_SIZE items or what
arrived within MONGO_BATCH_TIMEOUT seconds, retries a batch while ``is_transient`` says the
error was the connection's, then dead-letters it (see ascrapy.pipelines.batch).

- Each batch is one ``insert_many(ordered=False)`` per collection, or with MONGO_UNIQUE_KEY
  one ``bulk_write`` of ``ReplaceOne(upsert=True)`` keyed on those fields, so a re-run or a
  retried batch never duplicates (a unique index on the key is created on first use).
- Duplicate-key errors are counted (``mongo/duplicates``), not fatal; documents MongoDB
  refuses, and documents over 16 MB, are returned as rejected items for the dead-letter file.
- Documents get their ``_id`` before the first attempt, so a retried insert does not store
  a document twice; what a failed attempt had already stored counts as inserted.
- The client is PyMongo's AsyncMongoClient, or any client with the same methods (motor)
  given as the ``client`` argument or class attribute. The pipeline closes it at the end.
- The pipeline's log lines and errors show MONGO_URI without user name and password.

Stats: mongo/inserted, mongo/upserted (new documents), mongo/replaced, mongo/duplicates,
mongo/rejected, next to the batch stage's batch/MongoPipeline/... keys.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus

from itemadapter import ItemAdapter

from ascrapy.pipelines._mongo_documents import (  # noqa: F401 - MAX_DOCUMENT_SIZE re-exported
    MAX_DOCUMENT_SIZE,
    UnstorableItemError,
    bson,
    encode_document,
    item_to_document,
)

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

try:
    from bson import ObjectId
    from pymongo import ReplaceOne
    from pymongo.errors import BulkWriteError, ConnectionFailure, ExecutionTimeout, PyMongoError, WriteConcernError
except ImportError:  # reported when the pipeline is built, not when the module is imported
    pass

logger = logging.getLogger("scrapy.pipelines.mongo")

DUPLICATE_KEY_CODES = frozenset({11000, 11001, 12582})
_SECRET_OPTIONS = ("password", "secret", "token", "authmechanismproperties")


class MongoUnavailableError(ConnectionError):
    """MongoDB could not be reached when the spider opened: the crawl does not start."""


class MongoPipeline:
    """Writes items to MongoDB in batches; see the module docstring for the settings."""

    client: Any = None

    def __init__(
        self,
        uri: str = "mongodb://127.0.0.1:27017",
        database: str = "ascrapy",
        collection: str | Callable[[Any, Any], str] | None = None,
        collection_field: str | None = None,
        unique_key: str | list[str] | None = None,
        batch_size: int = 500,
        batch_timeout: float = 1.0,
        connect_timeout: float = 10.0,
        retry_times: int = 3,
        client: Any = None,
        crawler: CrawlerProtocol | None = None,
    ) -> None:
        if bson is None:
            raise RuntimeError("MongoPipeline needs PyMongo 4.13 or later: pip install 'ascrapy[mongo]'")
        self.uri = uri
        self.database = database
        self.collection = collection
        self.collection_field = collection_field
        self.unique_key = [unique_key] if isinstance(unique_key, str) else list(unique_key or ()) or None
        self.batch_size = batch_size
        self.batch_timeout = batch_timeout
        self.connect_timeout = connect_timeout
        self.retry_times = retry_times
        if client is not None:
            self.client = client
        self.crawler = crawler
        self.stats = getattr(crawler, "stats", None)
        self.db: Any = None
        self._spider: Any = None
        self._owns_client = False
        self._indexed: set[str] = set()
        self._pending: _Batch | None = None  # the batch being retried, kept to resend the same documents

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> MongoPipeline:
        settings = crawler.settings
        return cls(
            uri=settings.get("MONGO_URI"),
            database=settings.get("MONGO_DATABASE"),
            collection=settings.get("MONGO_COLLECTION") or None,
            collection_field=settings.get("MONGO_COLLECTION_FIELD") or None,
            unique_key=settings.getlist("MONGO_UNIQUE_KEY") or None,
            batch_size=settings.getint("MONGO_BATCH_SIZE", 500),
            batch_timeout=settings.getfloat("MONGO_BATCH_TIMEOUT", 1.0),
            connect_timeout=settings.getfloat("MONGO_CONNECT_TIMEOUT", 10.0),
            retry_times=settings.getint("BATCH_RETRY_TIMES", 3),
            crawler=crawler,
        )

    # -- lifecycle ------------------------------------------------------------------------

    async def open_spider(self, spider: Any = None) -> None:
        """Connect and ping within the connect timeout: an unreachable server stops the crawl
        before it starts instead of dead-lettering every item."""
        self._spider = spider if spider is not None else getattr(self.crawler, "spider", None)
        where = redact_uri(self.uri)
        if self.client is None:
            try:
                self.client = self._new_client()
            except Exception as error:
                raise MongoUnavailableError(
                    f"MongoPipeline cannot use MONGO_URI {where}: {_scrub(str(error), self.uri)}"
                ) from None
            self._owns_client = True
        timeout = None if self._owns_client else self.connect_timeout  # ours times out by itself
        try:
            await asyncio.wait_for(self.client.admin.command("ping"), timeout)
        except Exception as error:
            await self._close_client()
            reason = _scrub(str(error).split(", Timeout:")[0], self.uri) or type(error).__name__
            raise MongoUnavailableError(
                f"MongoPipeline cannot reach MongoDB at {where} within {self.connect_timeout:g}s: {reason}"
            ) from None
        self.db = self.client[self.database]
        logger.info("MongoPipeline writes to %(uri)s, database %(db)r", {"uri": where, "db": self.database})

    async def close_spider(self, spider: Any = None) -> None:
        await self._close_client()

    def _new_client(self) -> Any:
        from pymongo import AsyncMongoClient

        given = _uri_options(self.uri)
        milliseconds = int(self.connect_timeout * 1000)
        defaults: dict[str, Any] = {
            "serverSelectionTimeoutMS": milliseconds,
            "connectTimeoutMS": milliseconds,
            "socketTimeoutMS": 60_000,  # a hung server fails the batch (and it is retried) instead of the crawl
        }
        return AsyncMongoClient(self.uri, **{k: v for k, v in defaults.items() if k.lower() not in given})

    async def _close_client(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            result = client.close()  # a coroutine in PyMongo's async API, plain in motor
            if inspect.isawaitable(result):
                await result

    # -- writing --------------------------------------------------------------------------

    def is_transient(self, error: Exception) -> bool:
        """Worth retrying: the connection, not the data, failed."""
        if isinstance(error, (ConnectionFailure, WriteConcernError, ExecutionTimeout, ConnectionError, TimeoutError)):
            return True
        if isinstance(error, BulkWriteError):
            return bool(error.details.get("writeConcernErrors"))
        return isinstance(error, PyMongoError) and error.has_error_label("RetryableWriteError")

    async def process_batch(self, items: list[Any]) -> list[tuple[Any, str]]:
        """One bulk write per collection. A retry resends only the collections not yet written;
        once part of a batch is stored, the parts that failed for good (or on the last try)
        come back as rejected items, so that stored items are not dead-lettered too."""
        batch = self._pending
        if batch is None or batch.items is not items:
            batch = self._pending = self._prepare(items)
        batch.attempts += 1
        last_try = batch.attempts > self.retry_times
        failed = []
        for group in batch.groups:
            if group.done:
                continue
            try:
                if self.unique_key is not None:
                    await self._upsert(group)
                else:
                    await self._insert(group, retried=batch.attempts > 1)
                group.done = True
            except Exception as error:
                if self.is_transient(error) and not last_try:
                    raise
                failed.append((group, error))
        if failed and not any(group.done for group in batch.groups):
            raise failed[0][1]  # nothing stored: the batch writer dead-letters the whole batch
        for group, write_error in failed:
            logger.error(
                "MongoPipeline could not write %(count)d items to collection %(name)r: %(error)s",
                {"count": len(group.items), "name": group.collection, "error": write_error},
            )
            group.rejected = [(item, f"{type(write_error).__name__}: {write_error}") for item in group.items]
        self._pending = None
        rejected = batch.rejected + [pair for group in batch.groups for pair in group.rejected]
        self._count("mongo/rejected", len(rejected))
        return rejected

    async def _insert(self, group: _Group, retried: bool) -> None:
        collection = self.db[group.collection]
        try:
            await collection.insert_many(group.documents, ordered=False)
            inserted, failures = len(group.documents), []
        except BulkWriteError as error:
            if error.details.get("writeConcernErrors"):
                raise
            inserted, failures = error.details.get("nInserted", 0), error.details.get("writeErrors", [])
        duplicates = self._sort_failures(group, failures)
        if duplicates and retried:  # our own _ids already there: the failed attempt stored them
            ids = [group.generated_ids[i] for i in duplicates if group.generated_ids[i] is not None]
            stored = {doc["_id"] async for doc in collection.find({"_id": {"$in": ids}}, {"_id": 1})}
            duplicates = [i for i in duplicates if group.generated_ids[i] not in stored]
            inserted += len(stored)
        self._count("mongo/inserted", inserted)
        self._count("mongo/duplicates", len(duplicates))

    async def _upsert(self, group: _Group) -> None:
        collection = self.db[group.collection]
        if group.collection not in self._indexed:
            await self._ensure_unique_index(collection, group.collection)
        try:
            result = await collection.bulk_write(group.documents, ordered=False)
            upserted, replaced, failures = result.upserted_count, result.matched_count, []
        except BulkWriteError as error:
            if error.details.get("writeConcernErrors"):
                raise
            details = error.details
            upserted, replaced = details.get("nUpserted", 0), details.get("nMatched", 0)
            failures = details.get("writeErrors", [])
        self._count("mongo/upserted", upserted)
        self._count("mongo/replaced", replaced)
        self._count("mongo/duplicates", len(self._sort_failures(group, failures)))

    async def _ensure_unique_index(self, collection: Any, name: str) -> None:
        """Upserts look documents up by the key: without an index each one scans the collection."""
        try:
            await collection.create_index([(key, 1) for key in self.unique_key or ()], unique=True)
        except Exception as error:
            if self.is_transient(error):
                raise
            logger.warning(
                "MongoPipeline could not create a unique index on %(key)s in %(name)r (%(error)s); "
                "upserts still work, more slowly", {"key": self.unique_key, "name": name, "error": error},
            )
        self._indexed.add(name)

    def _sort_failures(self, group: _Group, failures: list[dict[str, Any]]) -> list[int]:
        """Duplicate keys are returned (positions); other refused documents become rejected items."""
        duplicates = []
        for failure in failures:
            index, code = failure["index"], failure.get("code")
            if code in DUPLICATE_KEY_CODES:
                duplicates.append(index)
            else:
                reason = f"MongoDB refused the document (code {code}): {failure.get('errmsg')}"
                group.rejected.append((group.items[index], reason))
        return duplicates

    def _count(self, key: str, value: int) -> None:
        if value and self.stats is not None:
            self.stats.inc_value(key, value)

    # -- items into documents (the conversion itself: ascrapy.pipelines._mongo_documents) ---

    def _prepare(self, items: list[Any]) -> _Batch:
        """Convert and encode every item once, grouped by collection; items that cannot be
        stored (unencodable, too big, no unique key) are rejected here with the reason."""
        batch = _Batch(items)
        groups: dict[str, _Group] = {}
        for item in items:
            try:
                fields = item if type(item) is dict else ItemAdapter(item)
                name = self._collection_for(item, fields)
                operation, generated_id = self._operation(item_to_document(fields))
            except UnstorableItemError as error:
                batch.rejected.append((item, str(error)))
                continue
            except Exception as error:
                batch.rejected.append((item, f"cannot store the item in MongoDB: {type(error).__name__}: {error}"))
                continue
            group = groups.get(name)
            if group is None:
                group = groups[name] = _Group(name)
            group.items.append(item)
            group.documents.append(operation)
            group.generated_ids.append(generated_id)
        batch.groups = list(groups.values())
        return batch

    def _collection_for(self, item: Any, fields: Any) -> str:
        if self.collection_field is not None:
            chosen = fields.get(self.collection_field)
            if chosen:
                return str(chosen)
        if callable(self.collection):
            return str(self.collection(item, self._spider))
        return self.collection or self._spider.name

    def _operation(self, document: dict[str, Any]) -> tuple[Any, Any]:
        generated_id = None
        if self.unique_key is None and "_id" not in document:
            generated_id = document["_id"] = ObjectId()
        raw = encode_document(document)
        if self.unique_key is None:
            return raw, generated_id
        missing = [key for key in self.unique_key if key not in document]
        if missing:
            names = ", ".join(map(repr, missing))
            raise UnstorableItemError(f"the item has no {names} field, which MONGO_UNIQUE_KEY needs")
        return ReplaceOne({key: document[key] for key in self.unique_key}, raw, upsert=True), None


@dataclass
class _Group:
    """The part of a batch that goes to one collection."""

    collection: str
    items: list[Any] = field(default_factory=list)
    documents: list[Any] = field(default_factory=list)
    generated_ids: list[Any] = field(default_factory=list)
    rejected: list[tuple[Any, str]] = field(default_factory=list)
    done: bool = False  # written (this part is not sent again when the batch is retried)


@dataclass
class _Batch:
    items: list[Any]
    groups: list[_Group] = field(default_factory=list)
    rejected: list[tuple[Any, str]] = field(default_factory=list)
    attempts: int = 0


# -- keeping credentials out of logs --------------------------------------------------------


def redact_uri(uri: str) -> str:
    """``uri`` without user name and password, and with secret-looking options masked."""
    scheme, separator, rest = str(uri).partition("://")
    if not separator:
        return "<not a MongoDB URI>"
    address, question, query = rest.partition("?")
    address = address.rpartition("@")[2]
    if question:
        pairs = []
        for pair in query.split("&"):
            name, equals, _ = pair.partition("=")
            secret = equals and any(word in name.lower() for word in _SECRET_OPTIONS)
            pairs.append(f"{name}=***" if secret else pair)
        query = "&".join(pairs)
    return f"{scheme}://{address}{question}{query}"


def _scrub(message: str, uri: str) -> str:
    """Take the URI's credentials out of a message that might quote them."""
    credentials = str(uri).partition("://")[2].partition("?")[0].rpartition("@")[0]
    password = credentials.partition(":")[2]
    for secret in (credentials, password, unquote_plus(password)):
        if secret:
            message = message.replace(secret, "***")
    return message


def _uri_options(uri: str) -> set[str]:
    """The option names the URI sets, lowercased (options are case-insensitive)."""
    query = str(uri).partition("?")[2]
    return {pair.partition("=")[0].lower() for pair in query.split("&") if pair}
