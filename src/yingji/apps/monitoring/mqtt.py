"""MQTT ingest: subscribe (QoS 1, persistent session, manual acknowledgement) and store in batches.

A message is acknowledged (PUBACK) only after the batch holding it was committed by
``ingest.ingest_readings``; if the process dies first, the broker redelivers it to the same
client id (``clean_session=False``) and the unique ``(point, ts)`` makes the replay a no-op.
Messages whose payload cannot be parsed are logged and acknowledged (they can never be
stored). Topic: ``<prefix>/<gateway or point>``; payload: see ``payloads`` (one reading, a
list, or ``{"readings": [...]}``; a reading without ``point`` takes the last topic level).

Two threads: paho's network thread only receives messages into a pending list; the calling
thread (the only one parsing and touching the database) takes what is pending as one batch when
``batch_size`` messages are pending or the oldest has waited ``flush_interval_s``, parses,
commits, then acknowledges its messages. While a batch commits the next one accumulates, so
under load the batch grows with the commit time (group commit) and throughput follows the
database, while at low rates a reading waits at most ``flush_interval_s`` plus one commit.
(Parsing in the network thread was slower: it held the GIL while the writer came back from
each SQLite call.)

The broker must let a client hold enough unacknowledged messages: set
``max_inflight_messages`` (e.g. 1000, above ``batch_size``; Mosquitto's default is 20, which
would cap every batch at 20 messages) and ``max_queued_messages`` in mosquitto.conf.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import paho.mqtt.client as mqtt
from django.db import DatabaseError, close_old_connections

from yingji.apps.monitoring import ingest
from yingji.apps.monitoring.payloads import PayloadError, readings_from_json

logger = logging.getLogger(__name__)

DEFAULT_TOPIC = "yingji/readings/#"


@dataclass
class _Pending:
    mid: int
    qos: int
    topic: str
    payload: bytes
    readings: list[ingest.RawReading] | None = None  # parsed by the writer (None: not yet)


@dataclass
class IngestStats:
    """Counters of a subscriber run."""

    messages: int = 0
    readings: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    malformed: int = 0
    flushes: int = 0
    failures: int = 0
    alarms_opened: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


class MqttIngestor:
    """Subscriber: paho's network thread parses, the thread calling :meth:`run` writes.

    Args:
        host, port: the broker.
        topic: subscription filter.
        client_id: stable id (the broker keeps the session and unacked messages for it).
        batch_size: commit as soon as this many messages are pending.
        flush_interval_s: ... or when the oldest pending message is this old (seconds).
        on_flush: called after each commit with ``(commit_wall_time, readings)`` (benchmarks).
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 1883,
        topic: str = DEFAULT_TOPIC,
        client_id: str = "yingji-ingest",
        batch_size: int = 500,
        flush_interval_s: float = 0.1,
        on_flush: Callable[[float, list[ingest.RawReading]], None] | None = None,
    ) -> None:
        self.host, self.port, self.topic = host, port, topic
        self.batch_size, self.flush_interval_s = batch_size, flush_interval_s
        self.on_flush = on_flush
        self.stats = IngestStats()
        # Shared with the network thread, under _cond's lock:
        self._cond = threading.Condition()
        self._pending: list[_Pending] = []
        self._oldest: float | None = None
        self._session = 0  # bumped on every disconnect: message ids of older sessions are void
        self._last_message = 0.0
        self._stop = False
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=client_id,
            clean_session=False,
            protocol=mqtt.MQTTv311,
            manual_ack=True,
        )
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message

    # ---- network thread -------------------------------------------------------------------

    def _on_connect(self, client: Any, userdata: Any, flags: Any, reason_code: Any, properties: Any) -> None:
        if getattr(reason_code, "is_failure", False):
            logger.error("mqtt connect refused: %s", reason_code)
            return
        client.subscribe(self.topic, qos=1)
        logger.info("subscribed to %s on %s:%s", self.topic, self.host, self.port)

    def _on_disconnect(
        self, client: Any, userdata: Any, flags: Any, reason_code: Any, properties: Any
    ) -> None:
        # Unacked messages will be redelivered on reconnect; drop our copies so they are never
        # acknowledged under message ids the new session may reuse.
        with self._cond:
            self._session += 1
            self._pending = []
            self._oldest = None

    def _on_message(self, client: Any, userdata: Any, msg: Any) -> None:
        now = time.monotonic()
        with self._cond:
            self.stats.messages += 1
            self._last_message = now
            self._pending.append(_Pending(msg.mid, msg.qos, msg.topic, msg.payload))
            if self._oldest is None:
                self._oldest = now
            if len(self._pending) >= self.batch_size:
                self._cond.notify()

    # ---- writer (calling thread) ----------------------------------------------------------

    def _take(self, wait_s: float) -> tuple[int, list[_Pending]] | None:
        """Wait up to ``wait_s`` for a due batch; returns ``(session, messages)`` or None."""
        with self._cond:
            if not self._due():
                self._cond.wait(wait_s)
                if not self._due():
                    return None
            batch, self._pending = self._pending, []
            self._oldest = None
            return self._session, batch

    def _due(self) -> bool:
        if not self._pending:
            return False
        if self._stop or len(self._pending) >= self.batch_size:
            return True
        return self._oldest is not None and time.monotonic() - self._oldest >= self.flush_interval_s

    def _parse(self, p: _Pending) -> list[ingest.RawReading]:
        """The readings of a message; a malformed one yields none (it is logged, counted, and
        acknowledged with its batch: it can never be stored)."""
        if p.readings is None:
            default_point = p.topic.rsplit("/", 1)[-1] or None
            try:
                p.readings = readings_from_json(json.loads(p.payload), default_point=default_point)
            except (UnicodeDecodeError, json.JSONDecodeError, PayloadError) as exc:
                logger.warning("malformed message on %s dropped: %s", p.topic, exc)
                p.readings = []
                with self._cond:
                    self.stats.malformed += 1
        return p.readings

    def _commit(self, session: int, batch: list[_Pending]) -> bool:
        """Parse and store one batch, then acknowledge its messages (same session only). On a
        database error nothing is acknowledged; the messages go back to the front of the queue."""
        readings = [r for p in batch for r in self._parse(p)]
        try:
            result = ingest.ingest_readings(readings) if readings else ingest.IngestResult()
        except DatabaseError as exc:
            logger.error("ingest failed, %d message(s) left unacknowledged: %s", len(batch), exc)
            close_old_connections()
            with self._cond:
                self.stats.failures += 1
                if session == self._session:
                    self._pending[:0] = batch
                    self._oldest = self._oldest or time.monotonic()
            return False
        committed = time.time()
        with self._cond:  # a disconnect cannot slip between the session check and the acks
            if session == self._session:
                for p in batch:
                    self.client.ack(p.mid, p.qos)
            s = self.stats
            s.flushes += 1
            s.readings += len(readings)
            s.stored += result.stored
            s.duplicates += result.duplicates
            s.rejected += len(result.rejected)
            s.alarms_opened += result.alarms_opened
        if result.rejected:
            logger.warning("rejected %d reading(s), e.g. %s", len(result.rejected), result.rejected[0])
        if self.on_flush is not None and readings:
            self.on_flush(committed, readings)
        return True

    def flush(self) -> bool:
        """Commit whatever is pending now and acknowledge it. Returns False on a database error."""
        with self._cond:
            batch, self._pending = self._pending, []
            self._oldest = None
            session = self._session
        return self._commit(session, batch) if batch else True

    def stop(self, *_args: Any) -> None:
        """Ask the loop to finish (commits what is pending)."""
        self._stop = True
        with self._cond:
            self._cond.notify()

    def run(self, *, max_seconds: float | None = None, idle_exit_s: float | None = None) -> IngestStats:
        """Connect and ingest until stopped (SIGINT/SIGTERM), ``max_seconds`` elapsed, or no message
        arrived for ``idle_exit_s`` after the first one. paho reconnects by itself.

        Raises:
            OSError: the broker cannot be reached at start.
        """
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        self.client.connect(self.host, self.port, keepalive=30)
        self.client.loop_start()
        started = time.monotonic()
        try:
            while not self._stop:
                taken = self._take(min(0.05, self.flush_interval_s))
                if taken is not None and not self._commit(*taken):
                    time.sleep(0.5)
                now = time.monotonic()
                if max_seconds is not None and now - started >= max_seconds:
                    break
                if idle_exit_s is not None:
                    with self._cond:
                        idle = (
                            self.stats.messages > 0
                            and not self._pending
                            and now - self._last_message >= idle_exit_s
                        )
                    if idle:
                        break
            self.flush()
        finally:
            self.client.disconnect()
            self.client.loop_stop()
        return self.stats


def publish_batches(
    client: mqtt.Client, prefix: str, batches: dict[str, list[dict[str, Any]]], *, qos: int = 1
) -> list[Any]:
    """Publish ``{topic suffix: [reading dicts]}`` as ``{"readings": [...]}`` messages (QoS 1).

    Returns:
        The ``MQTTMessageInfo`` of each message.
    """
    infos = []
    for suffix, readings in batches.items():
        if readings:
            infos.append(client.publish(f"{prefix}/{suffix}", json.dumps({"readings": readings}), qos=qos))
    return infos
