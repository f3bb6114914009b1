"""Write Open311 answers as JSON or as XML, in the shapes existing clients parse.

JSON lists are plain arrays. XML wraps them in the spec's envelopes: `<services>` of
`<service>`, `<service_requests>` of `<request>`, `<errors>` of `<error>`; a nested list
is named by its item (`<attributes>` of `<attribute>`, `<values>` of `<value>`). An empty
value is an empty element, as the recorded responses of Toronto or Washington DC have it.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, tzinfo
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from django.http import HttpResponse
from django.utils import timezone

from jamaati.servicerequests.open311.errors import Open311Error

JSON, XML = "json", "xml"
FORMATS = (JSON, XML)
CONTENT_TYPES = {JSON: "application/json; charset=utf-8", XML: "text/xml; charset=utf-8"}

# The item element of each nested list.
_ITEM_TAGS = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
# Characters XML 1.0 cannot carry at all; a description is stored as typed and may hold them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def iso_datetime(value: datetime | None, zone: tzinfo | None = None) -> str | None:
    """ISO 8601 with the local offset, to the second: 2026-05-04T10:15:00+01:00.

    A page of rows passes the current time zone, looked up once, as `zone`.
    """
    if value is None:
        return None
    return value.astimezone(zone or timezone.get_current_timezone()).isoformat(timespec="seconds")


def _append(parent: Element, tag: str, value: Any) -> None:
    element = SubElement(parent, tag)
    if value is None:
        return
    if isinstance(value, bool):
        element.text = "true" if value else "false"
    elif isinstance(value, dict):
        for key, item in value.items():
            _append(element, key, item)
    elif isinstance(value, list | tuple):
        for item in value:
            _append(element, _ITEM_TAGS[tag], item)
    else:
        element.text = _XML_INVALID.sub("", str(value))


def to_xml(data: Any, *, root: str, item: str | None = None) -> str:
    """`data` as an XML document: a list under `root` with one `item` per entry, or a dict."""
    element = Element(root)
    if item is not None:
        for entry in data:
            _append(element, item, entry)
    else:
        for key, value in data.items():
            _append(element, key, value)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + tostring(element, encoding="unicode")


def respond(
    data: Any, *, fmt: str, root: str, item: str | None = None, status: int = 200
) -> HttpResponse:
    if fmt == XML:
        content = to_xml(data, root=root, item=item)
    else:
        content = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(content, content_type=CONTENT_TYPES[fmt], status=status)


def respond_error(error: Open311Error, *, fmt: str) -> HttpResponse:
    """The spec's error body: `[{"code": 400, "description": "..."}]` or `<errors><error>…`."""
    entries = [
        {"code": error.status, "description": description} for description in error.descriptions
    ]
    return respond(
        entries,
        fmt=fmt if fmt in FORMATS else JSON,
        root="errors",
        item="error",
        status=error.status,
    )
