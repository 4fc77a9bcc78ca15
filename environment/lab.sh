#!/usr/bin/env bash
# Open the notebooks interactively (`npm run lab` / `make lab`): JupyterLab if
# installed, else Jupyter Notebook 6. Served on 127.0.0.1 only, with Jupyter's
# token authentication on: open the URL with ?token=… that it prints.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/environment/install.sh"
. "$ROOT/environment/kernel/env.sh"
app=notebook
"$SPARSE_RNN_PYTHON" -c 'import jupyterlab' 2>/dev/null && app=jupyterlab
args=(--no-browser --ip=127.0.0.1 --port="${PORT:-8888}")
[ "$(id -u)" = 0 ] && args+=(--allow-root)
cd "$ROOT/notebooks"
exec "$SPARSE_RNN_PYTHON" -m "$app" "${args[@]}" "$@"
