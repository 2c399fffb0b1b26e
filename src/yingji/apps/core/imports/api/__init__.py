"""API of imports: upload → preview JSON → commit (``/api/imports/``)."""
