# Pocket: the README's two commands, `make run` and `make test`, and the steps they share.
# Every install step checks what is there and installs only what is missing.

SHELL := /bin/bash
.DEFAULT_GOAL := help

export CARGO_TARGET_DIR ?= $(CURDIR)/target
APP := $(CARGO_TARGET_DIR)/debug/pocket
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# "Scan screen" (the xcap crate): X11 through xcb, Wayland through PipeWire and wlroots' protocol.
APT_SCREEN_CAPTURE := libxcb-randr0-dev libpipewire-0.3-dev libclang-dev clang libgbm-dev \
	libegl-dev libwayland-dev
APT_BUILD := libwebkit2gtk-4.1-dev build-essential pkg-config libssl-dev curl \
	$(APT_SCREEN_CAPTURE)
# time: peak memory of hostile-input runs; openssl and socat: a company CA and a TLS front;
# xdotool: answers the system's file dialogs in the real window; xclip: reads what Pocket
# copied; faketime: runs Pocket with its clock off; python3-pyatspi: reads the window's
# accessibility tree as Orca does (tests/tools/atspi_tree.py).
APT_TEST := xvfb xauth x11-utils webkit2gtk-driver gnome-keyring dbus libsecret-tools oathtool imagemagick \
	chromium chromium-driver time openssl socat xdotool xclip e2fsprogs faketime \
	python3-pyatspi
# Only for `cargo check` of the Android target: libsqlite3-sys compiles SQLite's C source even
# when checking. A real Android build uses the NDK's compiler instead (see the README).
APT_ANDROID_CHECK := gcc-aarch64-linux-gnu libc6-dev-arm64-cross
ANDROID_TARGET := aarch64-linux-android
TAURI_DRIVER := $(HOME)/.cargo/bin/tauri-driver
# The Rust tests' runner: a process and a time limit per test (.config/nextest.toml).
NEXTEST_VERSION := 0.9.100
NODE_MIN := 20.19
# privacyIDEA for the push interop tests, in a venv kept across runs and clones.
PRIVACYIDEA_VERSION := 3.14
PRIVACYIDEA_VENV := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/pocket/privacyidea-$(PRIVACYIDEA_VERSION)
export PRIVACYIDEA_VENV
# Independent peers for the cross-checks: pyotp, Python's official protobuf runtime (Google
# Authenticator exports), pyca/cryptography (the other apps' encrypted exports), PyNaCl
# (libsodium, for Ente Auth's), http_ece and PyJWT (Web Push messages and VAPID tokens).
PEERS_VENV := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/pocket/peers-1
export PEERS_VENV
RUST_TEST_LOG := $(CARGO_TARGET_DIR)/rust-tests.log
# The start-up benchmark's peer builds optimised, with `make bench`, and only there.
CARGO_BUILD := cargo build --workspace --exclude startup-peer --all-targets
# clippy lints the workspace's own crates while they build: clippy-driver compiles them as
# rustc does, as the wrapper of the workspace's crates (the way `cargo clippy` itself runs
# it, over `cargo check`, with the same CLIPPY_ARGS). So `make test` compiles the
# dependencies once, for the tests, instead of first checking them all for clippy: a
# separate clippy step cost six and a half minutes of a clean clone's `make test`.
CLIPPY_BUILD := RUSTC_WORKSPACE_WRAPPER="$$(rustup which clippy-driver)" \
	CLIPPY_ARGS=-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__

.PHONY: types licences fixtures bench deps-bench deps-privacyidea deps-peers help run test test-steps deps-build deps-test deps-ui deps-tauri-driver deps-nextest deps-android-check ui app \
	lint format-check ui-tests rust-tests load-smoke android-check android-check-steps icons clean load screenshots

help:
	@echo "make run    install what is missing, build, and start Pocket"
	@echo "make test   install what is missing and run every test"

# --- running ---------------------------------------------------------------------------------

SERVICE_DB := $(CARGO_TARGET_DIR)/pocket-service.sqlite

# The reference login service runs beside the app and stops with it.
run: app
	@$(CARGO_TARGET_DIR)/debug/pocket-gen serve --listen 127.0.0.1:8087 --db $(SERVICE_DB) & service=$$!; \
	trap 'kill $$service 2>/dev/null' EXIT INT TERM; \
	sleep 1; \
	echo "Starting Pocket ($(APP)). Close its window to stop both."; \
	$(APP)

# --- testing ---------------------------------------------------------------------------------

# The whole run has a limit well below CI's 90 minutes (a clean clone takes about 30): past
# it, everything the run started is stopped (timeout signals make's whole process group) and
# the run fails saying so, instead of waiting for ever.
TEST_LIMIT := 80m
test:
	@timeout --kill-after=60s $(TEST_LIMIT) $(MAKE) --no-print-directory test-steps; status=$$?; \
	if [ $$status = 124 ] || [ $$status = 137 ]; then \
		echo "!!! make test ran past its limit of $(TEST_LIMIT) and was stopped !!!" >&2; \
	fi; \
	exit $$status

test-steps: deps-test format-check ui-tests rust-tests load-smoke
	@echo "All tests passed (UI tests: see above)."
	@grep -E '^ *Summary ' $(RUST_TEST_LOG) | tail -1 | sed -E 's/^ *Summary \[ *([^]]*)\]/Rust (\1):/'

# Formatting, the UI's types and its linter; `make test` runs clippy in rust-tests' build.
# `npm --prefix ui run format` formats the UI as the check wants it.
format-check: deps-build deps-ui ui
	cargo fmt --all -- --check
	npm --prefix ui run check
	npm --prefix ui run lint

# Every static check on its own, clippy through `cargo clippy`.
lint: format-check
	cargo clippy --workspace --all-targets -- -D warnings

ui-tests: deps-ui
	timeout 10m npm --prefix ui test

# Unit tests, then the system tests in tests/ (real window, real keychain) against $(APP),
# each in a process of its own with a time limit (cargo-nextest; .config/nextest.toml): a
# test that hangs is stopped with what it started and reported, and the rest still run.
# `make run` and `make test` build the same targets, so the dependencies are built once for
# both (the features the tests' dev-dependencies add are in both); the workspace's own crates
# build again for `make run`, without clippy (about a minute and a half).
# The Android check (below) runs beside the tests at the lowest CPU priority: the system
# tests spend much of their time waiting on windows and servers, and it takes only the time
# they leave (two and a half minutes of a clean run when it ran after them).
rust-tests: deps-build deps-nextest deps-android-check ui
	$(CLIPPY_BUILD) $(CARGO_BUILD)
	@set -o pipefail; \
	nice -n 19 $(MAKE) --no-print-directory android-check-steps > $(ANDROID_CHECK_LOG) 2>&1 & android=$$!; \
	$(CLIPPY_BUILD) cargo nextest run --workspace --exclude startup-peer --color never 2>&1 | tee $(RUST_TEST_LOG); \
	tests=$$?; \
	echo "The Android check, run beside the tests ($(ANDROID_CHECK_LOG)):"; \
	wait $$android; checked=$$?; \
	grep -vE '^ +(Compiling|Checking) ' $(ANDROID_CHECK_LOG); \
	[ $$checked = 0 ] || echo "!!! the Android check failed (above) !!!" >&2; \
	[ $$tests = 0 ] && [ $$checked = 0 ]

# The load test's own logic, small: 200 phones, 20 logins/s for 10 s. `make load` is the real one.
# The binary rust-tests built: `cargo run -p pocket-tests` would build the dependencies again
# with that one package's features (two minutes of a clean run).
load-smoke: rust-tests
	timeout 5m $(CARGO_TARGET_DIR)/debug/service-load --devices 200 --rate 20 --seconds 10

# The app embeds the built UI even when only checked. The check builds for a bare stand-in of
# the Android project `tauri android init` makes, as `tauri android build` would: tauri-build
# lists the plugins' Android libraries there and Pocket's build writes its manifest entries,
# which tests/tools/android-dependencies then prints and checks (no Google artifact).
# It builds in a folder of its own, so it may run while another cargo works in target/.
ANDROID_PROJECT := $(CARGO_TARGET_DIR)/android-project
ANDROID_CHECK_DIR := $(CARGO_TARGET_DIR)/android-check
ANDROID_CHECK_LOG := $(CARGO_TARGET_DIR)/android-check.log
APP_IDENTIFIER = $(shell sed -nE 's/^  "identifier": "([^"]+)".*/\1/p' src-tauri/tauri.conf.json)
android-check: deps-android-check ui
	@$(MAKE) --no-print-directory android-check-steps

# The check itself, on the UI as built (rust-tests runs it beside the tests, where building
# the UI again would change the files a test serves).
android-check-steps:
	@if rustup target list --installed | grep -qx '$(ANDROID_TARGET)' || rustup target add $(ANDROID_TARGET); then \
		rm -rf $(ANDROID_PROJECT) && mkdir -p $(ANDROID_PROJECT)/app/src/main && \
		printf '%s\n' '<manifest xmlns:android="http://schemas.android.com/apk/res/android">' \
			'    <application />' '</manifest>' > $(ANDROID_PROJECT)/app/src/main/AndroidManifest.xml && \
		TAURI_ANDROID_PROJECT_PATH=$(ANDROID_PROJECT) TAURI_ANDROID_PACKAGE_UNESCAPED=$(APP_IDENTIFIER) \
		CC_aarch64_linux_android=aarch64-linux-gnu-gcc AR_aarch64_linux_android=aarch64-linux-gnu-ar \
			CARGO_TARGET_DIR=$(ANDROID_CHECK_DIR) cargo check -p pocket --target $(ANDROID_TARGET) && \
		tests/tools/android-dependencies $(ANDROID_PROJECT); \
	else \
		echo; echo "!!! rustup could not add $(ANDROID_TARGET): the Android check was SKIPPED !!!"; echo; \
	fi

# Benchmarks: Pocket's QR decoder against zbarimg on the generated corpus; codes for 10,000
# accounts (criterion) and against pyotp; push login latency against a local privacyIDEA
# and the reference service; start-up of the optimised app with 1,000 accounts in its vault.
bench: deps-bench deps-test ui
	cargo bench -p pocket-gen --bench scan_vs_zbar
	cargo bench -p pocket-gen --bench camera_frames
	cargo bench -p pocket-core --bench codes
	cargo bench -p pocket-core --bench transfer
	cargo run --release -p pocket-tests --bin codes-vs-pyotp
	cargo build -p pocket-gen -p pocket-relay --bins
	cargo run -p pocket-tests --bin push-latency -- --logins 50
	cargo build --release -p pocket -p startup-peer --features pocket/webdriver
	POCKET_APP=$(CARGO_TARGET_DIR)/release/pocket cargo run --release -p pocket-tests --bin startup

# The reference service under load: 2,000 phones on held polls, 25 logins/s for 60 s, with
# optimised builds of the service and the load generator. (At 50/s the logins queue on a
# 2-core machine: see the README.)
load: deps-build
	cargo build --release -p pocket-gen -p pocket-tests --bin pocket-gen --bin service-load
	$(CARGO_TARGET_DIR)/release/service-load --devices 2000 --rate 25 --seconds 60

# Renews the README's pictures (docs/screenshots/) from the end-to-end tests.
screenshots: deps-test deps-nextest app
	POCKET_UPDATE_SCREENSHOTS=1 cargo nextest run -p pocket-tests \
		-E 'test(/^(e2e_web|e2e_app_web|e2e_camera|e2e_backups|e2e_containers|e2e_lock|e2e_clock|e2e_layout|e2e_wakeup|e2e_screen_reader)::/)'

# --- building --------------------------------------------------------------------------------

ui: deps-ui
	npm --prefix ui run build

app: deps-build ui
	$(CARGO_BUILD)

# Renews pocket-core's golden fixtures: privacyIDEA 3.14's replies, captured on loopback.
fixtures: deps-build deps-privacyidea
	cargo run -p pocket-tests --bin capture-privacyidea

# Writes ui/src/lib/api/types.ts from the Rust types that cross IPC (a test fails when it is
# stale).
types: deps-build ui
	POCKET_UPDATE_TYPES=1 cargo test -p pocket --lib dto::tests::the_ui_types_are_generated_from_these

# Writes src-tauri/licences.json, the libraries About lists (a test fails when it is stale).
licences: deps-build ui
	POCKET_UPDATE_LICENCES=1 cargo test -p pocket --lib licences::

# Regenerates the icon set from icons/icon.svg (the generated files are committed).
icons: deps-ui
	cd ui && npx tauri icon ../icons/icon.svg -o ../icons

clean:
	rm -rf $(CARGO_TARGET_DIR) ui/dist ui/node_modules

# --- installing ------------------------------------------------------------------------------

# Installs the Debian packages in $(1) that are not installed yet.
define apt_ensure
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps-build:
	@command -v cargo >/dev/null || { echo "Rust is missing: install it with rustup (https://rustup.rs), then run make again." >&2; exit 1; }
	$(call apt_ensure,$(APT_BUILD))
	@command -v node >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; }
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); const [x,y]="$(NODE_MIN)".split(".").map(Number); process.exit(a>x||(a===x&&b>=y)?0:1)' \
		|| { echo "Node.js $(NODE_MIN) or newer is needed (found $$(node --version)): install a newer nodejs package." >&2; exit 1; }

deps-ui: deps-build
	@if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then \
		npm --prefix ui ci --no-audit --no-fund; \
	fi

deps-test: deps-build deps-ui deps-tauri-driver deps-nextest deps-privacyidea deps-peers
	$(call apt_ensure,$(APT_TEST))

deps-privacyidea:
	$(call apt_ensure,python3-venv libpq-dev)
	@[ -x $(PRIVACYIDEA_VENV)/bin/pi-manage ] || { \
		echo "Installing privacyIDEA $(PRIVACYIDEA_VERSION) into $(PRIVACYIDEA_VENV)"; \
		rm -rf $(PRIVACYIDEA_VENV) && python3 -m venv $(PRIVACYIDEA_VENV) && \
		$(PRIVACYIDEA_VENV)/bin/pip install --quiet --upgrade pip && \
		$(PRIVACYIDEA_VENV)/bin/pip install --quiet "privacyIDEA==$(PRIVACYIDEA_VERSION).*"; }

deps-peers:
	$(call apt_ensure,python3-venv zip gnupg)
	@[ -x $(PEERS_VENV)/bin/python ] || { rm -rf $(PEERS_VENV) && python3 -m venv $(PEERS_VENV); }
	@$(PEERS_VENV)/bin/python -c 'import pyotp, google.protobuf, cryptography, nacl.bindings, http_ece, jwt, pyzipper, pykeepass' 2>/dev/null || { \
		echo "Installing the peers (pyotp, protobuf, cryptography, PyNaCl, http_ece, PyJWT, pyzipper, pykeepass) into $(PEERS_VENV)"; \
		$(PEERS_VENV)/bin/pip install --quiet "pyotp==2.9.*" "protobuf==5.*" "cryptography==44.*" "pynacl==1.5.*" \
			"http-ece==1.2.*" "PyJWT==2.*" "pyzipper==0.3.*" "pykeepass==4.*"; }

deps-tauri-driver:
	@[ -x $(TAURI_DRIVER) ] || command -v tauri-driver >/dev/null || cargo install tauri-driver --locked --version "^2"

deps-nextest:
	@cargo nextest --version 2>/dev/null | awk '/^cargo-nextest/ { split($$2, v, "."); split("$(NEXTEST_VERSION)", w, "."); \
		ok = v[1] > w[1] || (v[1] == w[1] && (v[2] > w[2] || (v[2] == w[2] && v[3] >= w[3]))) } END { exit !ok }' \
		|| cargo install cargo-nextest --locked --version "^$(NEXTEST_VERSION)"

deps-bench: deps-build
	$(call apt_ensure,zbar-tools)

deps-android-check:
	$(call apt_ensure,$(APT_ANDROID_CHECK))
