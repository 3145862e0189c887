# Two entry points for a fresh machine; see README.md.
.PHONY: demo test lint serve web

# Build, create the demo clinic in ./physio-data (once) and serve it on http://127.0.0.1:8080.
# The camera page needs the browser code built with npm; without npm everything else works.
demo: web
	cargo run --locked -p physio -- demo

web:
	@(cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build) || \
		echo "warning: could not build web/dist (is npm installed?); the camera page will be unavailable"

# Set up what the tests need and run every suite (Rust on SQLite and PostgreSQL, browser).
test:
	./scripts/test

# Formatting and lints, as CI checks them.
lint:
	cargo fmt --all --check
	cargo clippy --locked --workspace --all-targets -- -D warnings

serve: web
	cargo run --locked -p physio -- serve
