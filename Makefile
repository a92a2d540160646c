# Hearth. `make run` and `make test` are the two commands a new machine needs; both install
# what is missing first (see .ci/deps).
SHELL := /bin/bash
export PATH := $(PATH):$(shell go env GOPATH)/bin
TAGS := webkit2_41
WAILS := wails
BIN := build/bin/hearth
GO_PKGS := ./...

.PHONY: deps run build generate test test-go test-frontend test-smoke test-e2e bench lint clean

deps:
	@.ci/deps

## run: install what is missing, build, and open the app on the default workspace
run: build
	./$(BIN)

## build: the desktop binary at build/bin/hearth (frontend built and embedded; the bindings are
## the committed ones, from make generate)
build: deps
	$(WAILS) build -tags $(TAGS) -m -nosyncgomod -skipbindings -v 1

# The files `make generate` writes from the Go code: the contract between Go and the frontend.
GENERATED := frontend/wailsjs frontend/src/api/generated

## generate: the frontend's bindings and types from the Go code (commit the result)
# Wails writes the binding functions (wailsjs/go/app) and its runtime; tools/contractgen then
# replaces Wails' model classes with interfaces and writes the event names and error kinds.
# The Go build embeds frontend/dist, which needs a file before the first frontend build.
generate:
	@mkdir -p frontend/dist && { ls -A frontend/dist | grep -q . || touch frontend/dist/.placeholder; }
	$(WAILS) generate module -tags $(TAGS)
	go run ./tools/contractgen
	chmod -R a-x+X $(GENERATED)
	HEARTH_RECORD=1 go test -count=1 -tags $(TAGS) ./app/ -run TestRecordAnswersForTheWindowFake

## test: the whole suite (Go with -race, frontend unit tests, window smoke test, end-to-end)
test: deps
	$(MAKE) test-go test-frontend build test-smoke test-e2e

frontend/dist/index.html:
	cd frontend && npm run build

test-go: frontend/dist/index.html
	go vet -tags $(TAGS) $(GO_PKGS)
	go test -race -count=1 ./backend/... ./sync/...
	# Peak-memory tests of hostile import files: built without the race detector, which
	# multiplies memory use (backend/importer/hostile_test.go).
	go test -count=1 -run '^TestHostileFilesAreRefusedInBoundedMemory$$' ./backend/importer/
	go test -count=1 -tags $(TAGS) ./app/... ./tools/... .

test-frontend:
	cd frontend && npm test

test-smoke:
	.ci/smoke

test-e2e:
	.ci/e2e

## bench: cost by size (10,000, 100,000 and 1,000,000 members beside sqlite3; HEARTH_BENCH_SIZES
## to change them) and the 100,000-member benchmarks; writes docs/BENCHMARKS.md
bench: deps frontend/dist/index.html
	.ci/bench

## lint: vet, format and static checks, and the generated contract up to date with the Go code
lint: deps frontend/dist/index.html
	$(MAKE) generate
	@git diff --exit-code --stat -- $(GENERATED) && test -z "$$(git status --porcelain -- $(GENERATED))" || \
		{ echo "lint: the generated contract is stale: run make generate and commit it" >&2; exit 1; }
	go vet -tags $(TAGS) $(GO_PKGS)
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 -tags $(TAGS) $(GO_PKGS)
	cd frontend && npm run lint

clean:
	rm -rf build/bin frontend/dist
