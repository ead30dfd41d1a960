"""scrapy.squeues: Scrapy's names, from ascrapy.squeues."""

from ascrapy.squeues import (
    FifoMemoryQueue,
    LifoMemoryQueue,
    MarshalFifoDiskQueue,
    MarshalFifoSQLiteQueue,
    MarshalLifoDiskQueue,
    MarshalLifoSQLiteQueue,
    PickleFifoDiskQueue,
    PickleFifoSQLiteQueue,
    PickleLifoDiskQueue,
    PickleLifoSQLiteQueue,
    _MarshalFifoSerializationDiskQueue,
    _MarshalFifoSerializationSQLiteQueue,
    _MarshalLifoSerializationDiskQueue,
    _MarshalLifoSerializationSQLiteQueue,
    _PickleFifoSerializationDiskQueue,
    _PickleFifoSerializationSQLiteQueue,
    _PickleLifoSerializationDiskQueue,
    _PickleLifoSerializationSQLiteQueue,
    _scrapy_non_serialization_queue,
    _serializable_queue,
)
