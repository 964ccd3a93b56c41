#!/usr/bin/env bash
# Builds guest.wasm from guest.py with componentize-py (PyPI, the version
# in requirements.txt), in a virtual environment of its own under .venv.
# The WIT is the host's own (crates/weft-wasm/wit).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/componentize-py ]; then
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
fi
.venv/bin/componentize-py -d ../../../../crates/weft-wasm/wit -w activity \
    componentize guest -o guest.wasm
