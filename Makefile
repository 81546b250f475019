# The two commands: `make run` (the service wired to the sandbox) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-pg bench clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m demo

test: $(STAMP)
	$(BIN)/pytest

# The model, intake and hostile-input tests again, against PostgreSQL.
test-pg: $(STAMP)
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql://postgres@localhost/test} \
		$(BIN)/pytest tests/models tests/webhook tests/jobs tests/hostile tests/alerts tests/maintenance \
			tests/connections

clean:
	rm -rf $(VENV) var test-artifacts
