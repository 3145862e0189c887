# Two entry points for a fresh machine; see README.md.
.PHONY: demo test lint serve

# Build, create the demo clinic in ./physio-data (once) and serve it on http://127.0.0.1:8080.
demo:
	cargo run --locked -p physio -- demo

# Set up what the tests need and run every suite (Rust on SQLite and PostgreSQL, browser).
test:
	./scripts/test

# Formatting and lints, as CI checks them.
lint:
	cargo fmt --all --check
	cargo clippy --locked --workspace --all-targets -- -D warnings

serve:
	cargo run --locked -p physio -- serve
