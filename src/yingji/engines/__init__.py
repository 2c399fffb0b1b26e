"""Pure-Python engines: every computation a standard defines.

Nothing under this package may import Django or ``yingji.apps`` (checked by
``tests/test_architecture.py``). Engines take typed dataclasses and return
dataclasses or plain values.
"""
