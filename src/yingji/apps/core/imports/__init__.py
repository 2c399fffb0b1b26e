"""Registry imports (导入): upload a county spreadsheet, preview it (dry run), import the valid rows.

The pure work (reading xlsx/xls/CSV, merged headers, normalising every field, duplicates
within the file) is done by :mod:`yingji.engines.normalize`. This package adds the Django
side: the :class:`~yingji.apps.core.imports.models.ImportJob` (original file kept, preview,
counts, overrides), the registry of import targets that higher apps fill from their
``AppConfig.ready()``, the services (preview, override, commit in one transaction), the
pages, the API and ``yingji import preview``. Core is the lowest app layer, so it knows no
target model: each kind's owning app registers ``commit``/``existing_keys``/``check_rows``.
"""
