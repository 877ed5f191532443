# Guildhall: `make demo` to see it, `make test` to check it. Everything installs itself.
SHELL := bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
DEMO_SCALE ?= 400
DEMO_ADDR ?= 127.0.0.1:8000
# Page cache for the demo: empty for the app's own cache of anonymous pages, or varnish
# (Debian's Varnish, installed when missing, in front of the demo on :6081, where the
# portals' links then point): `make demo CACHE=varnish`.
CACHE ?=
VARNISH_ADDR ?= 127.0.0.1:6081
DEMO_DOMAIN ?= localhost:$(if $(filter varnish,$(CACHE)),$(lastword $(subst :, ,$(VARNISH_ADDR))),8000)
# Search engine for the demo: empty for the database engine, or elasticsearch / opensearch
# (started locally from Maven Central jars, no Docker): `make demo SEARCH=elasticsearch`.
SEARCH ?=
ENGINE := bash scripts/search-engine/run.sh
SEARCH_ENV = if [ -n "$(SEARCH)" ]; then SEARCH_URL=$$($(ENGINE) start $(SEARCH) | tail -n 1); fi; \
	export SEARCH_URL="$${SEARCH_URL:-}"

.PHONY: setup demo demo-data serve test test-sqlite test-postgres test-fast test-e2e browser \
	search-engine search-engine-stop lint format bench bench-prices bench-alerts bench-api bench-imports bench-search bench-static bench-load \
	bench-soak bench-http clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Python 3.11 is required")'
	test -x $(BIN)/pip || { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP)

## demo: set up, migrate SQLite, launch every portal with demo content, serve on :8000
demo: demo-data serve

demo-data: setup
	$(SEARCH_ENV) && \
	$(BIN)/python manage.py migrate --noinput && \
	$(BIN)/python manage.py launch_portal --all --domain $(DEMO_DOMAIN) --demo $(DEMO_SCALE) && \
	$(BIN)/python manage.py demo_users && \
	$(BIN)/python manage.py demo_plans && \
	$(BIN)/python manage.py run_plan_jobs && \
	$(BIN)/python manage.py demo_sponsored && \
	$(BIN)/python manage.py run_board_jobs && \
	$(BIN)/python manage.py demo_leads && \
	$(BIN)/python manage.py assess_prices && \
	$(BIN)/python manage.py demo_alerts && \
	$(BIN)/python manage.py send_alerts && \
	$(BIN)/python manage.py search_index rebuild && \
	$(BIN)/python manage.py build_static --all

serve: setup
	@echo "Hub:      http://localhost:8000/"
	@for f in industries/*.yaml; do s=$$(basename $$f .yaml); echo "Portal:   http://$$s.$(DEMO_DOMAIN)/"; done
	@for f in industries/*.yaml; do s=$$(basename $$f .yaml); echo "Static:   http://$$s.localhost:8001/ (the static copy)"; done
	@echo "Admin:    http://localhost:8000/admin/"
	@echo "Emails (sign-up links, inquiries, decisions) are printed here."
	@# Beside the server: the board's, the prices' and the plans' scheduled jobs (hourly), alerts (every 15 minutes), the search outbox worker, and the
	@# static copies, rebuilt every minute (only what changed) and served on :8001.
	$(SEARCH_ENV); echo "Search:   $${SEARCH_URL:-the database engine}"; \
	stop_cache=true; \
	if [ "$(CACHE)" = varnish ]; then \
		export VARNISH_URL=$$(bash scripts/varnish.sh start --listen $(VARNISH_ADDR) --backend $(DEMO_ADDR) | tail -n 1); \
		stop_cache="bash scripts/varnish.sh stop"; trap "$$stop_cache" EXIT; \
		echo "Cache:    Varnish at $$VARNISH_URL, purged by the app"; \
	else echo "Cache:    the app's own page cache (make demo CACHE=varnish for Varnish)"; fi; \
	$(BIN)/python manage.py purge_cache --all --verbosity 0; \
	$(BIN)/python manage.py run_board_jobs --every 3600 --verbosity 0 & jobs=$$!; \
	$(BIN)/python manage.py assess_prices --every 3600 --verbosity 0 & jobs="$$jobs $$!"; \
	$(BIN)/python manage.py send_alerts --every 900 --verbosity 0 & jobs="$$jobs $$!"; \
	$(BIN)/python manage.py run_plan_jobs --every 3600 --verbosity 0 & jobs="$$jobs $$!"; \
	$(BIN)/python manage.py search_index process --every 5 --verbosity 0 & jobs="$$jobs $$!"; \
	$(BIN)/python manage.py build_static --all --every 60 --verbosity 0 & jobs="$$jobs $$!"; \
	$(BIN)/python manage.py serve_static --port 8001 >/dev/null & jobs="$$jobs $$!"; \
	trap "kill $$jobs 2>/dev/null; $$stop_cache" EXIT; \
	$(BIN)/python manage.py runserver $(DEMO_ADDR)

## test: lint, then the whole suite on SQLite and on PostgreSQL (installed and started here),
## the two passes side by side, each one's output printed when it ends (make test-sqlite or
## make test-postgres runs one, as it goes); the browser tests (Debian's chromium, installed
## here), the live servers' and the full static builds (files that depend on no database
## feature) run once, in the SQLite pass
test: lint
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

browser:
	@bash scripts/chromium.sh >/dev/null

## The SQLite pass also runs the search contract against Elasticsearch and OpenSearch.
test-sqlite: setup browser
	bash scripts/varnish.sh install
	es=$$($(ENGINE) start elasticsearch | tail -n 1); os=$$($(ENGINE) start opensearch | tail -n 1); \
	test -n "$$es" && test -n "$$os"; \
	SEARCH_TEST_URLS=$$es,$$os $(BIN)/pytest

## search-engine: start a local Elasticsearch 8 on 127.0.0.1:9200 (no Docker); prints its URL
search-engine:
	@$(ENGINE) start elasticsearch

search-engine-stop:
	-@$(ENGINE) stop elasticsearch
	-@$(ENGINE) stop opensearch

test-postgres: setup
	url=$$(bash scripts/postgres.sh) && test -n "$$url" && \
	DATABASE_URL=$$url $(BIN)/pytest -m "not e2e and not live and not export"

## test-e2e: only the end-to-end browser tests
test-e2e: setup browser
	$(BIN)/pytest -m e2e

## test-fast: SQLite only, without slow (browser, search engine) tests
test-fast: setup
	$(BIN)/pytest -m "not slow"

## lint: ruff, and the import contracts of docs/architecture.md (layers, no circles)
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup
	$(BIN)/python bench/launch_and_render.py

## bench-prices: assess_prices over 100,000 listings and quotes, and the price pages uncached
bench-prices: setup
	$(BIN)/python bench/prices.py

## bench-alerts: send_alerts over 10,000 saved searches and 1,000 new listings
bench-alerts: setup
	$(BIN)/python bench/alerts.py

## bench-api: the public API's list and detail requests, uncached, beside pages of the portal
bench-api: setup
	$(BIN)/python bench/api.py

## bench-imports: a member's import of 1,000 listings from a spreadsheet
bench-imports: setup
	$(BIN)/python bench/imports.py

bench-search: setup
	es=$$($(ENGINE) start elasticsearch | tail -n 1) && os=$$($(ENGINE) start opensearch | tail -n 1) && \
	$(BIN)/python bench/search.py --scale 10000 --scale 100000 --engine $$es --engine $$os

bench-static: setup
	$(BIN)/python bench/static_build.py

## bench-load: the mixed load scenario (browse, search, autocomplete, inquiry, post, moderate)
## for LOAD_SECONDS (60) against gunicorn, 2 workers, on PostgreSQL, beside a static-file
## baseline; locust comes from bench/requirements-load.lock, installed here when it changed
bench-load: setup
	cmp -s bench/requirements-load.lock $(VENV)/.load-tools || { \
		$(BIN)/pip install --quiet -r bench/requirements-load.lock -c requirements.lock && \
		cp bench/requirements-load.lock $(VENV)/.load-tools; }
	$(BIN)/python bench/load/run.py --seconds $${LOAD_SECONDS:-60} --steps --samples

## bench-soak: the same for SOAK_SECONDS (600), the workers' memory sampled every 30 s
bench-soak: setup
	cmp -s bench/requirements-load.lock $(VENV)/.load-tools || { \
		$(BIN)/pip install --quiet -r bench/requirements-load.lock -c requirements.lock && \
		cp bench/requirements-load.lock $(VENV)/.load-tools; }
	$(BIN)/python bench/load/run.py --seconds $${SOAK_SECONDS:-600} --sample-every 30 --samples --steps

## bench-http: wrk against gunicorn uncached, with its own page cache, and behind Varnish, per
## page type, cold and warm, beside a static-file ceiling; HTTP_SECONDS (8) per cell
bench-http: setup
	command -v wrk >/dev/null || { SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk; }
	$(BIN)/python bench/http/run.py --seconds $${HTTP_SECONDS:-8} --scale $(DEMO_SCALE)

clean: search-engine-stop
	rm -rf $(VENV) db.sqlite3 media static dist .pytest_cache .ruff_cache .search-engine
