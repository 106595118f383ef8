# Newsroom: `make run` to serve the demo site, `make test` to run the suite.
# Both set up everything they need (virtualenv, packages, database) and can be
# run again at any time.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run worker test lint format check-migrations messages stop lock clean bench stack drills attacks

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Newsroom needs Python 3.11 or newer; set PYTHON=python3.x")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) -e '.[test]'
	@touch $@

# What `make stack` runs beside Newsroom itself (the S3 API server for STACK_MEDIA=s3).
$(VENV)/.installed-stack: $(VENV)/.installed
	$(PIP) -e '.[stack]'
	@touch $@

# Development values for this checkout, so that manage.py works without exporting
# them; written once (git-ignored, edits kept) and read by newsroom/settings.py for
# any variable the environment does not set. A deployment has no such file.
.env:
	@printf '%s\n' '# Development settings of this checkout (make run, make test); not for production.' \
		'DEBUG=true' >$@

run: export DEBUG ?= true
# Absolute addresses (canonical links, feeds, sitemaps, the API) name the address served.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: .env $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py schedule_ingest
	@# The task worker keeps the wire flowing; it stops with the server.
	$(BIN)/python manage.py db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The task worker alone (scheduled wire ingest, scheduled stories purged from the
# front cache), e.g. beside gunicorn in production.
worker: $(VENV)/.installed
	$(BIN)/python manage.py schedule_ingest
	$(BIN)/python manage.py schedule_purges
	$(BIN)/python manage.py db_worker

test: .env $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The interface's translations: extract new strings into locale/<language>/, then,
# once they are translated there, run it again to compile them (needs GNU gettext).
TRANSLATED ?= uk
messages: export DEBUG ?= true
messages: $(VENV)/.installed
	for language in $(TRANSLATED); do \
		$(BIN)/python manage.py makemessages -l $$language --no-obsolete -i '.venv/*' -i 'var/*' \
			-i 'tools/*' -i 'tests/*' -i 'bench/*' -i 'deploy/*' -i 'node_modules/*'; \
	done
	$(BIN)/python manage.py compilemessages --ignore '.venv/*' --ignore 'tools/*'

check-migrations: export DEBUG ?= true
check-migrations: $(VENV)/.installed
	$(BIN)/python manage.py makemigrations --check --dry-run

# Stop the embedded PostgreSQL server (it otherwise keeps running between commands).
stop:
	@if [ -x $(BIN)/python ]; then $(BIN)/python -m newsroom.embedded_db stop; fi

# Re-resolve every dependency at its newest allowed version and pin the result.
lock:
	rm -rf var/lock-venv
	$(PYTHON) -m venv var/lock-venv
	var/lock-venv/bin/python -m pip install --quiet --disable-pip-version-check '.[test]'
	echo '# Pinned versions of everything Newsroom and its tests install (`make lock` refreshes).' > constraints.txt
	var/lock-venv/bin/python -m pip freeze --exclude newsroom >> constraints.txt
	rm -rf var/lock-venv

clean: stop
	rm -rf $(VENV)

# Seed (or reuse) a benchmark database, serve it with gunicorn, load it with wrk, report.
# BENCH_ARTICLES=10000 for a quick run; see bench/__main__.py for the other knobs.
bench: $(VENV)/.installed-stack
	$(BIN)/python -m bench

# What a deployment runs, on this machine: Varnish on 127.0.0.1:8080 in front of two
# gunicorn origins, the task worker, Redis and the database (see deploy/stack.py).
# The scale-out topology: make stack STACK_ORIGINS=2 STACK_REPLICA=1 STACK_MEDIA=s3
# (origins; streaming replicas of a primary of its own; photos in an S3 API server).
stack: export STACK_ORIGINS ?= 2
stack: export STACK_REPLICA ?= 0
stack: export STACK_MEDIA ?= local
stack: $(VENV)/.installed-stack
	$(BIN)/python -m deploy.stack

# Take Redis away (stopped 20 s, frozen 10 s), then PostgreSQL (restarted), from the stack
# under load on a database of its own; print what readers and editors got (deploy/drills.py).
drills: $(VENV)/.installed
	$(BIN)/python -m deploy.drills

# Attack the stack as an outsider and as staff would (deploy/attacks.py): every attack,
# whether it held, what was seen; fails if one got through.
attacks: $(VENV)/.installed
	$(BIN)/python -m deploy.attacks
