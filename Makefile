# The README's two commands are `make demo` and `make test`; both run `make setup` first.
.PHONY: setup demo parity test test-python test-perl test-install bench fuzz soak

PYTHON = .venv/bin/python
# Every examples/NAME.pl against its NAME.py twin, number by number (bridge/tools/parity.py).
PARITY = status=0; for pl in examples/*.pl; do $(PYTHON) -m bridge.tools.parity "$$pl" "$${pl%.pl}.py" || status=1; done; exit $$status

setup:
	@bash scripts/setup.sh

demo: setup
	@$(PYTHON) scripts/demo.py
	@$(PARITY)

parity: setup
	@$(PARITY)

test: setup
	@$(PYTHON) -m pytest -q
	@prove -Iperl_shim/lib perl_shim/t
	@bash scripts/test_install.sh

test-python: setup
	@$(PYTHON) -m pytest -q

test-perl: setup
	@prove -Iperl_shim/lib perl_shim/t

# The wheel in a fresh venv and the Perl distribution's tarball in a prefix, used from another directory.
test-install: setup
	@bash scripts/test_install.sh

bench: setup
	@$(PYTHON) bench/run.py

# The long profiles of the reliability tests (make test runs short ones).
fuzz: setup
	@AI_MXNET_FUZZ_CALLS=20000 prove -v -Iperl_shim/lib perl_shim/t/90-fuzz.t

soak: setup
	@AI_MXNET_SOAK_ITERATIONS=100000 AI_MXNET_LIFECYCLE_RUNS=100 prove -v -Iperl_shim/lib perl_shim/t/92-soak.t perl_shim/t/91-lifecycle.t

# What the tests really guard: break key behaviours one at a time in a scratch copy (scripts/mutate.py);
# not part of make test (about 15 minutes).
.PHONY: mutate
mutate: setup
	@$(PYTHON) scripts/mutate.py
