# h2flow — every target installs what it needs first, so a fresh clone needs
# only Node 20 and npm:  `make demo`  and  `make test`.

NODE_BIN := node_modules/.bin
JEST := node --experimental-vm-modules --disable-warning=ExperimentalWarning node_modules/jest/bin/jest.js
STAMP := node_modules/.h2flow-installed

.PHONY: all install build lint format test test-long demo bench interop fidelity clean

all: build

# Reinstall only when the lockfile changes; `npm ci` keeps installs reproducible.
$(STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(STAMP)

install: $(STAMP)

build: $(STAMP)
	$(NODE_BIN)/tsc -p tsconfig.build.json

lint: $(STAMP)
	$(NODE_BIN)/tsc --noEmit -p tsconfig.json
	$(NODE_BIN)/depcruise --config .dependency-cruiser.cjs --output-type err src
	$(NODE_BIN)/biome ci --colors=off --diagnostic-level=error .

format: $(STAMP)
	$(NODE_BIN)/biome check --write .

test: lint build
	$(JEST) --ci

# Scenarios that need more than ~20 s each; .ci/run runs these too.
# The bench build too: the gRPC seed's server process is a compiled bench script.
test-long: build
	$(NODE_BIN)/tsc -p tsconfig.bench.json
	$(JEST) --ci --testPathIgnorePatterns '/node_modules/' --testMatch '<rootDir>/test/**/*.long.test.ts'

demo: build
	node dist/cli/bin.js demo

# client-overhead, efficiency and dominance start `dist/cli/bin.js serve` as their server, hence
# `build`. dominance (about 20 min) adds nginx rows when nginx is installed (`make interop` does).
bench: build
	$(NODE_BIN)/tsc -p tsconfig.bench.json
	node .build/bench/step.js
	node .build/bench/controlLoop.js
	node .build/bench/sim-speed.js
	node .build/bench/client-overhead.js
	node .build/bench/fetch-overhead.js
	node .build/bench/efficiency.js
	node --expose-gc .build/bench/memory.js
	node .build/bench/dominance.js
	node .build/bench/lib/summary.js

# h2flow load against a private nginx (installed with apt-get if missing); docs/benchmarks.md.
interop: build
	$(NODE_BIN)/tsc -p interop/tsconfig.json
	node .build/interop/run.js

# The simulator against reality (issue 14): each cell of a matrix runs as
# h2flow load against nginx or h2flow serve and as h2flow simulate on the
# same shape; fails if a cell's goodput is off by more than 10% or its
# timed-out share by more than 5 points. About 6 minutes; needs nginx
# (installed as make interop installs it).
fidelity: build
	$(NODE_BIN)/tsc -p interop/tsconfig.json
	node .build/interop/fidelity.js

clean:
	rm -rf dist .build coverage
