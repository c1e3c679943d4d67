# Sourced by the scripts: puts the project's own bun on PATH for Reflex.
KHS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$KHS_ROOT/.tools/node_modules/.bin:$KHS_ROOT/.venv/bin:$PATH"
export REFLEX_USE_SYSTEM_BUN=1
export REFLEX_TELEMETRY_ENABLED=false
