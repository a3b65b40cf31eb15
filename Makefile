# The README's two commands are `make demo` and `make test`; both run `make setup` first.
.PHONY: setup demo test test-python test-perl

setup:
	@bash scripts/setup.sh

demo: setup
	@.venv/bin/python scripts/demo.py

test: setup
	@.venv/bin/python -m pytest -q
	@prove -Iperl_shim/lib perl_shim/t

test-python: setup
	@.venv/bin/python -m pytest -q

test-perl: setup
	@prove -Iperl_shim/lib perl_shim/t
