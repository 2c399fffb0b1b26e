"""Settings for the test suite: the real settings with a fast password hasher and immediate Huey.

Huey's immediate mode runs tasks in-process against in-memory storage; tests
that need the real queue (``tests/test_queue.py``) start a consumer on the
SQLite storage themselves.
"""

from yingji.config.settings import *  # noqa: F403
from yingji.config.settings import HUEY

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {**HUEY, "immediate": True}
LOGIN_FAILURE_LIMIT = 5
