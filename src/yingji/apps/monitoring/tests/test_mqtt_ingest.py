"""MQTT ingest against a real Mosquitto: manual ack after commit, redelivery, malformed messages."""

from __future__ import annotations

import json
import threading
import time

import paho.mqtt.client as mqtt
import pytest

from yingji.apps.monitoring.models import Alarm, Reading
from yingji.apps.monitoring.mqtt import MqttIngestor
from yingji.apps.monitoring.tests.factories import T0, make_point

pytestmark = pytest.mark.django_db(transaction=True)


def _publisher(port: int) -> mqtt.Client:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"pub-{time.monotonic_ns()}")
    client.connect("127.0.0.1", port)
    client.loop_start()
    return client


def test_subscriber_stores_batches_and_survives_bad_messages(mosquitto):
    point = make_point()
    ingestor = MqttIngestor(port=mosquitto, client_id="test-ingest", batch_size=20, flush_interval_s=0.05)

    def publish() -> None:
        time.sleep(0.5)  # let the subscriber subscribe
        pub = _publisher(mosquitto)
        infos = [pub.publish("yingji/readings/gw1", b"not json", qos=1)]
        for i in range(100):
            body = {"readings": [{"point": point.code, "ts": T0 + i, "value": 85 if i % 10 == 5 else 70}]}
            infos.append(pub.publish("yingji/readings/gw1", json.dumps(body), qos=1))
        infos.append(
            pub.publish(f"yingji/readings/{point.code}", json.dumps({"ts": T0 + 100, "v": 71}), qos=1)
        )
        for info in infos:
            info.wait_for_publish(timeout=10)
        pub.loop_stop()
        pub.disconnect()

    thread = threading.Thread(target=publish)
    thread.start()
    stats = ingestor.run(max_seconds=20, idle_exit_s=1.0)
    thread.join()
    assert stats.malformed == 1 and stats.stored == 101
    assert Reading.objects.filter(point=point).count() == 101
    alarm = Alarm.objects.get(point=point)
    assert alarm.occurrences == 10 and alarm.active is False
