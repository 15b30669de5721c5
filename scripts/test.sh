#!/usr/bin/env bash
# Set up (idempotent) and run the whole test suite, ruff and mypy included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export OMP_THREAD_LIMIT=1
exec .venv/bin/python -m pytest "$@"
