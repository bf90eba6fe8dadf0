# A thin wrapper over CMake so that newcomers can type `make run` and
# `make test`. Each target installs missing Debian packages first.
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all deps configure build run test bench package clean

all: build

deps:
	@sh tools/deps.sh

configure: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DSHOPFLOOR_WERROR=ON $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD) -j$(JOBS)

# The main job: the flagship scenario, headless, to its horizon, with its report in out/.
SCENARIO ?= scenarios/smart_factory.yaml
OUT ?= out/$(basename $(notdir $(SCENARIO)))

run: build
	./$(BUILD)/shopfloor run $(SCENARIO) --out $(OUT)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

# A Debian package in $(BUILD)/: apt-get install ./$(BUILD)/shopfloor_*.deb
package: build
	cmake --build $(BUILD) --target package

bench: build
	@for b in $(BUILD)/bench/bench_*; do echo "== $$b"; $$b || exit 1; done

clean:
	rm -rf $(BUILD)
