"""Open311 GeoReport v2 under /open311/v2/, in XML and JSON.

Plain Django views (the spec needs XML, form-encoded posts and `.xml`/`.json`
suffixes). `jurisdiction_id` is an organisation's slug; a request belongs to
the jurisdiction whose service (category) it was filed in, whoever handles it.
"""
