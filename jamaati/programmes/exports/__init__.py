"""Open data of programmes: OC4IDS (JSON), IATI 2.03 (XML) and CSV, per organisation.

Each module builds its document from `common.export_projects(organisation)` (published
projects only, everything prefetched: a fixed number of queries). The views that serve them
are in `views_opendata.py`, under /open-data/<organisation-slug>/.
"""
