# Jamaati: `make demo` sets everything up and serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# The demo runs with DEBUG and demo mode on, against the embedded SQLite database in var/.
DEMO_ENV := DEBUG=1 JAMAATI_DEMO=1

.PHONY: demo test install messages makemessages check lint format openapi bench-smoke serve clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Compile the catalogues (.mo files are build products, not committed).
messages: install
	cd jamaati && env -u DJANGO_SETTINGS_MODULE ../$(BIN)/django-admin compilemessages --ignore '.venv' -v 0

# Extract every translatable string, then translate the new ones (tests/test_translations.py
# fails while ar, fr or en has an untranslated or fuzzy message). An app with its own locale/
# directory keeps its own catalogue (docs/adr/0004-catalogues-per-app.md); jamaati/locale holds the rest.
CATALOGUE_APPS := $(patsubst jamaati/%/locale,%,$(wildcard jamaati/*/locale))
MAKEMESSAGES := env -u DJANGO_SETTINGS_MODULE $(abspath $(BIN))/django-admin makemessages \
	-l ar -l fr -l en -l zgh --add-location=file --no-obsolete --ignore 'static/vendor/*' --ignore tests -v 0
makemessages: install
	cd jamaati && $(MAKEMESSAGES) $(foreach app,$(CATALOGUE_APPS),--ignore '$(app)/*')
	for app in $(CATALOGUE_APPS); do (cd jamaati/$$app && $(MAKEMESSAGES)) || exit 1; done

demo: install messages
	mkdir -p var
	$(DEMO_ENV) $(MANAGE) migrate --no-input -v 0
	$(DEMO_ENV) $(MANAGE) load_territories
	$(DEMO_ENV) $(MANAGE) seed_holidays
	$(DEMO_ENV) $(MANAGE) seed_demo
	$(DEMO_ENV) $(MANAGE) seed_servicerequests
	$(DEMO_ENV) $(MANAGE) seed_procedures
	$(DEMO_ENV) $(MANAGE) seed_programmes
	$(DEMO_ENV) $(MANAGE) runserver 127.0.0.1:8000

serve: install messages
	$(DEMO_ENV) $(MANAGE) runserver 127.0.0.1:8000

# Static checks that CI runs too: lint, format, migrations, OpenAPI drift, translations complete.
check: install messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run -v 0
	DEBUG=1 $(BIN)/python -m jamaati.openapi --check

test: check
	$(BIN)/pytest -n 2 --dist loadgroup

lint format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

openapi: install
	DEBUG=1 $(BIN)/python -m jamaati.openapi --write

bench-smoke: install
	$(BIN)/python bench/territories.py --smoke

clean:
	rm -rf $(VENV) var
