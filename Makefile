# The README's two commands are `make demo` and `make test`; both run `make setup` first.
.PHONY: setup demo parity test test-python test-perl test-install bench fuzz soak test-modelzoo targets

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

# AI::MXNet's ModelZoo, all 34 models, against Python's model zoo (make test checks a few); it needs AI::MXNet's
# source: AI_MXNET_PERL_PACKAGE=/path/to/perl-package make test-modelzoo (tests/test_twins_crosslang.py).
test-modelzoo: setup
	@AI_MXNET_MODELZOO_ALL=1 $(PYTHON) -m pytest -q tests/test_twins_crosslang.py

# AI::MXNet's own t/ files, unmodified, counted against what the real AI::MXNet passed on the same libmxnet
# (scripts/targets.py; about 10 minutes): AI_MXNET_PERL_PACKAGE=/path/to/perl-package make targets
targets: setup
	@$(PYTHON) scripts/targets.py

# The long profiles of the reliability tests (make test runs short ones).
fuzz: setup
	@AI_MXNET_FUZZ_CALLS=20000 AI_MXNET_FUZZ_FILES=1000 prove -v -Iperl_shim/lib perl_shim/t/90-fuzz.t perl_shim/t/93-hostile-files.t
	@$(PYTHON) scripts/fuzz_operators.py --target bridge

soak: setup
	@AI_MXNET_SOAK_ITERATIONS=100000 AI_MXNET_SOAK_MIXED=100000 AI_MXNET_LIFECYCLE_RUNS=100 prove -v -Iperl_shim/lib perl_shim/t/92-soak.t perl_shim/t/91-lifecycle.t

# What the tests really guard: break key behaviours one at a time in a scratch copy (scripts/mutate.py);
# not part of make test (about 15 minutes).
.PHONY: mutate
mutate: setup
	@$(PYTHON) scripts/mutate.py
