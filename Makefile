# Xuncha: `make demo` runs the platform with demo organisations; `make test` runs every test.
# Both work from a fresh clone with only Python 3.11+ and make: they build .venv themselves,
# and use an embedded PostgreSQL when DATABASE_URL is not set.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: install demo lint typecheck test browser-deps shovel-plugin bench messages clean-run

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	DEBUG=$${DEBUG:-1} exec $(PY) -m xuncha.embedded_pg run -- $(VENV)/bin/xuncha demo

# Tests run as production does (DEBUG off) with a throwaway secret, over plain HTTP on loopback. The browser
# tests drive Debian's Chromium through Playwright: where it is missing and we are root with apt, it is installed
# first (as CI does), so a developer's run and CI's run the same tests; elsewhere they are reported as NOT RUN.
CHROMIUM ?= $(or $(XUNCHA_CHROMIUM),/usr/bin/chromium)

browser-deps:
	@test -x "$(CHROMIUM)" || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Chromium for the browser tests (apt-get install chromium)"; \
	    (apt-get -o DPkg::Lock::Timeout=300 update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get -o DPkg::Lock::Timeout=300 install -y -qq chromium) >/dev/null \
	      || echo "Chromium could not be installed: the browser tests will be reported as NOT RUN"; \
	  else echo "No Chromium at $(CHROMIUM) (install it as root: apt-get install chromium): the browser tests will be reported as NOT RUN"; fi; }

# Guardrails, seconds in all, run first by `make test`: the format and lint rules (ruff, pyproject [tool.ruff]) and
# the import layers (import-linter, pyproject [tool.importlinter]; docs/DEVELOPING.md draws them).
lint: $(STAMP)
	$(VENV)/bin/ruff format --check --quiet .
	$(VENV)/bin/ruff check --quiet .
	$(VENV)/bin/lint-imports --no-cache


# Types before the tests (issue 11 guardrail): mypy with django-stubs, strict on sync/ and the tenant kernel
# (config: [tool.mypy] in pyproject.toml; incremental, cached in .mypy_cache). The settings are only imported
# for the models' types, never connected: any DATABASE_URL will do.
OFFLINE_ENV := DEBUG=1 DATABASE_URL=postgresql://unused/x
typecheck: $(STAMP)
	$(OFFLINE_ENV) $(VENV)/bin/mypy

# The two-deployment link tests need RabbitMQ's shovel plugin: enabled here when this machine runs the broker and we
# may (idempotent, no restart); elsewhere enable it on the broker (`rabbitmq-plugins enable rabbitmq_shovel`).
shovel-plugin:
	@if command -v rabbitmq-plugins >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  rabbitmq-plugins -q enable rabbitmq_shovel >/dev/null 2>&1 || echo "rabbitmq_shovel could not be enabled"; fi

test: $(STAMP) lint typecheck browser-deps shovel-plugin
	DEBUG=$${DEBUG:-0} SECRET_KEY=$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(48))')} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-localhost,127.0.0.1,testserver} XUNCHA_INSECURE_HTTP=1 \
	$(PY) -m xuncha.embedded_pg run -- $(PY) -m pytest $(PYTEST_ARGS)

# Figures, not tests: provisioning (clone vs migrate; one county among BENCH_ORGS=200 organisations and a no-op
# migrate over all of them), the sync bus against this machine's ceilings (RabbitMQ when BROKER_URL is set, else
# the embedded transport), messages/s across a shovel link beside the local bus (RabbitMQ only: bench/link.py),
# bundle export/import messages/s per bundle size beside the same messages applied locally (bench/bundles.py),
# pages and API lists under 20 clients on a Harbin-sized data set (bench/harbin.py builds it through the
# services; BENCH_SCALE=0.1 for a tenth), the audit hash chain. Each script prints its own figures; the last
# step prints one table of them, each beside its same-run ceiling or baseline (bench/table.py).
BENCH_TABLE := $(CURDIR)/.run/bench-table.jsonl
bench: $(STAMP)
	mkdir -p .run && rm -f $(BENCH_TABLE)
	BENCH_TABLE=$(BENCH_TABLE) $(PY) -m xuncha.embedded_pg run -- sh -c '$(PY) bench/provisioning.py 5 $${BENCH_ORGS:-200} && \
		DEBUG=1 $(PY) bench/sync.py 100 && \
		DEBUG=1 $(PY) bench/bundles.py 100 1000 5000 && \
		{ if [ -n "$$BROKER_URL" ]; then DEBUG=1 $(PY) bench/link.py 5000; else echo "bench/link.py: no BROKER_URL, skipped"; fi; } && \
		$(PY) bench/pages.py && DEBUG=1 $(VENV)/bin/xuncha migrate && DEBUG=1 $(PY) bench/audit_chain.py'
	BENCH_TABLE=$(BENCH_TABLE) $(PY) bench/table.py

# One catalog for the whole project (platform/xuncha/locale): makemessages over platform, shared, tenants
# and sync from the repo root; .venv and other dot-folders are ignored by default.
I18N_ENV := $(OFFLINE_ENV)
messages: $(STAMP)
	$(I18N_ENV) $(VENV)/bin/xuncha makemessages -l zh_Hans --no-obsolete --add-location file \
		--ignore 'tests/*' --ignore 'bench/*' --ignore 'deploy/*' --ignore 'docs/*' \
		--ignore 'staticfiles/*' --ignore 'build/*' --ignore 'dist/*'
	$(I18N_ENV) $(VENV)/bin/xuncha compilemessages -l zh_Hans --ignore '.venv' --ignore '.run'

clean-run:
	rm -rf .run
