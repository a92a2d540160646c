# Hearth. `make run` and `make test` are the two commands a new machine needs; both install
# what is missing first (see .ci/deps).
SHELL := /bin/bash
export PATH := $(PATH):$(shell go env GOPATH)/bin
TAGS := webkit2_41
WAILS := wails
BIN := build/bin/hearth
GO_PKGS := ./...

.PHONY: deps run build test test-go test-frontend test-smoke test-e2e bench lint clean

deps:
	@.ci/deps

## run: install what is missing, build, and open the app on the default workspace
run: build
	./$(BIN)

## build: the desktop binary at build/bin/hearth (frontend built and embedded)
build: deps
	$(WAILS) build -tags $(TAGS) -m -nosyncgomod -v 1

## test: the whole suite (Go with -race, frontend unit tests, window smoke test, end-to-end)
test: deps
	$(MAKE) test-go test-frontend build test-smoke test-e2e

frontend/dist/index.html:
	cd frontend && npm run build

test-go: frontend/dist/index.html
	go vet -tags $(TAGS) $(GO_PKGS)
	go test -race -count=1 ./backend/... ./sync/...
	go test -count=1 -tags $(TAGS) ./app/... .

test-frontend:
	cd frontend && npm test

test-smoke:
	.ci/smoke

test-e2e:
	.ci/e2e

## bench: 100,000-member benchmark; writes docs/BENCHMARKS.md
bench: frontend/dist/index.html
	.ci/bench

lint: deps frontend/dist/index.html
	go vet -tags $(TAGS) $(GO_PKGS)
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 -tags $(TAGS) $(GO_PKGS)
	cd frontend && npm run lint

clean:
	rm -rf build/bin frontend/dist
