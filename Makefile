# Pocket: the README's two commands, `make run` and `make test`, and the steps they share.
# Every step checks what is already there and installs only what is missing.

SHELL := /bin/bash
.DEFAULT_GOAL := help

export CARGO_TARGET_DIR ?= $(CURDIR)/target
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_BUILD := libwebkit2gtk-4.1-dev build-essential pkg-config libssl-dev curl
APT_TEST := xvfb xauth x11-utils webkit2gtk-driver gnome-keyring dbus libsecret-tools oathtool imagemagick
TAURI_DRIVER := $(HOME)/.cargo/bin/tauri-driver
ANDROID_TARGET := aarch64-linux-android

.PHONY: help run test deps-build deps-test deps-ui deps-tauri-driver ui app lint rust-tests ui-tests e2e android-check icons

help:
	@echo "make run    install what is missing, build, and start Pocket"
	@echo "make test   install what is missing and run every test"

# --- installing -----------------------------------------------------------------------------

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
	@command -v cargo >/dev/null || { echo "Rust is missing: install it from https://rustup.rs and run make again." >&2; exit 1; }
	$(call apt_ensure,$(APT_BUILD))
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; }

deps-test: deps-build deps-tauri-driver
	$(call apt_ensure,$(APT_TEST))

deps-tauri-driver:
	@[ -x $(TAURI_DRIVER) ] || cargo install tauri-driver --locked --version "^2"
