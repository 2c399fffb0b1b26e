"""MQTT ingest: subscribe (QoS 1, persistent session, manual acknowledgement) and store in batches.

A message is acknowledged (PUBACK) only after the batch holding it was committed by
``ingest.ingest_readings``; if the process dies first, the broker redelivers it to the same
client id (``clean_session=False``) and the unique ``(point, ts)`` makes the replay a no-op.
Messages whose payload cannot be parsed are logged and acknowledged (they can never be
stored). Topic: ``<prefix>/<gateway or point>``; payload: see ``payloads`` (one reading, a
list, or ``{"readings": [...]}``; a reading without ``point`` takes the last topic level).

The broker must let a client hold enough unacknowledged messages: set
``max_inflight_messages`` (e.g. 1000) and ``max_queued_messages`` in mosquitto.conf.
"""

from __future__ import annotations

import json
import logging
import signal
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
    readings: list[ingest.RawReading]


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
    """Subscriber loop (single thread: network I/O and database writes alternate).

    Args:
        host, port: the broker.
        topic: subscription filter.
        client_id: stable id (the broker keeps the session and unacked messages for it).
        batch_size: flush when this many readings are pending.
        flush_interval_s: ... or when the oldest pending message is this old.
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
        flush_interval_s: float = 0.2,
        on_flush: Callable[[float, list[ingest.RawReading]], None] | None = None,
    ) -> None:
        self.host, self.port, self.topic = host, port, topic
        self.batch_size, self.flush_interval_s = batch_size, flush_interval_s
        self.on_flush = on_flush
        self.stats = IngestStats()
        self._pending: list[_Pending] = []
        self._pending_readings = 0
        self._oldest: float | None = None
        self._stop = False
        self._connected = False
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

    def _on_connect(self, client: Any, userdata: Any, flags: Any, reason_code: Any, properties: Any) -> None:
        if getattr(reason_code, "is_failure", False):
            logger.error("mqtt connect refused: %s", reason_code)
            return
        self._connected = True
        client.subscribe(self.topic, qos=1)
        logger.info("subscribed to %s on %s:%s", self.topic, self.host, self.port)

    def _on_disconnect(
        self, client: Any, userdata: Any, flags: Any, reason_code: Any, properties: Any
    ) -> None:
        self._connected = False
        # Unacked messages will be redelivered on reconnect; drop our copies so they are not
        # acknowledged under stale message ids.
        self._pending.clear()
        self._pending_readings = 0
        self._oldest = None

    def _on_message(self, client: Any, userdata: Any, msg: Any) -> None:
        self.stats.messages += 1
        default_point = msg.topic.rsplit("/", 1)[-1] or None
        try:
            readings = readings_from_json(
                json.loads(msg.payload.decode("utf-8")), default_point=default_point
            )
        except (UnicodeDecodeError, json.JSONDecodeError, PayloadError) as exc:
            self.stats.malformed += 1
            logger.warning("malformed message on %s dropped: %s", msg.topic, exc)
            client.ack(msg.mid, msg.qos)
            return
        self._pending.append(_Pending(msg.mid, msg.qos, readings))
        self._pending_readings += len(readings)
        if self._oldest is None:
            self._oldest = time.monotonic()

    def flush(self) -> bool:
        """Commit the pending readings, then acknowledge their messages. Returns False on a database error
        (nothing acknowledged; retried on the next call)."""
        if not self._pending:
            return True
        batch = self._pending
        readings = [r for p in batch for r in p.readings]
        try:
            result = ingest.ingest_readings(readings)
        except DatabaseError as exc:
            self.stats.failures += 1
            logger.error("ingest failed, %d message(s) left unacknowledged: %s", len(batch), exc)
            close_old_connections()
            return False
        committed = time.time()
        for p in batch:
            self.client.ack(p.mid, p.qos)
        self._pending = []
        self._pending_readings = 0
        self._oldest = None
        s = self.stats
        s.flushes += 1
        s.readings += len(readings)
        s.stored += result.stored
        s.duplicates += result.duplicates
        s.rejected += len(result.rejected)
        s.alarms_opened += result.alarms_opened
        if result.rejected:
            logger.warning("rejected %d reading(s), e.g. %s", len(result.rejected), result.rejected[0])
        if self.on_flush is not None:
            self.on_flush(committed, readings)
        return True

    def stop(self, *_args: Any) -> None:
        """Ask the loop to finish (flushes what is pending)."""
        self._stop = True

    def run(self, *, max_seconds: float | None = None, idle_exit_s: float | None = None) -> IngestStats:
        """Connect and ingest until stopped (SIGINT/SIGTERM), ``max_seconds`` elapsed, or no message
        arrived for ``idle_exit_s`` after the first one."""
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        self.client.connect(self.host, self.port, keepalive=30)
        started = time.monotonic()
        last_count, last_change = 0, time.monotonic()
        while not self._stop:
            if self.client.loop(timeout=0.02) != mqtt.MQTT_ERR_SUCCESS:
                time.sleep(1.0)
                try:
                    self.client.reconnect()
                except OSError as exc:
                    logger.warning("mqtt reconnect failed: %s", exc)
            now = time.monotonic()
            due = self._oldest is not None and now - self._oldest >= self.flush_interval_s
            if self._pending and (self._pending_readings >= self.batch_size or due):
                if not self.flush():
                    time.sleep(0.5)
            if self.stats.messages != last_count:
                last_count, last_change = self.stats.messages, now
            if max_seconds is not None and now - started >= max_seconds:
                break
            if (
                idle_exit_s is not None
                and last_count
                and now - last_change >= idle_exit_s
                and not self._pending
            ):
                break
        self.flush()
        self.client.loop(timeout=0.1)
        self.client.disconnect()
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
