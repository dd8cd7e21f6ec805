# The seed's Makefile targets, for users of the original; each calls an npm script.
.PHONY: help install run test info regenerate-data clean

help: ## Show the available commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

install: ## Install dependencies (npm ci)
	npm ci

run: ## Start the HTTP MCP server on PORT (default 8000)
	npm start

test: ## Type check, lint and run every test
	npm test

info: ## Show server information and the data's status
	npm run info

regenerate-data: ## Re-create data/requests.xls (50 sample tickets)
	npm run data:generate

clean: ## Remove caches and temporary files
	npm run clean
