"""Write or check the committed OpenAPI document of /api/v1/.

python -m jamaati.openapi --write   # after changing the API
python -m jamaati.openapi --check   # in CI: fails when the committed schema drifted
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def generate() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamaati.settings")
    import django

    django.setup()
    from jamaati.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", action="store_true")
    group.add_argument("--check", action="store_true")
    args = parser.parse_args()
    current = generate()
    if args.write:
        SCHEMA_PATH.write_text(current, encoding="utf-8")
        print(f"wrote {SCHEMA_PATH}")
        return 0
    committed = SCHEMA_PATH.read_text(encoding="utf-8") if SCHEMA_PATH.exists() else ""
    if committed != current:
        print(f"{SCHEMA_PATH} is out of date: run `make openapi` and commit it.", file=sys.stderr)
        return 1
    print("OpenAPI schema is up to date.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
