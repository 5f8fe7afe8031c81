#!/usr/bin/env bash
# Debian's Chromium for the browser tests (web/tests/*.test.ts); a no-op when it is already there.
set -euo pipefail
command -v chromium >/dev/null 2>&1 || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)
