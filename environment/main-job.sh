#!/usr/bin/env bash
# The main job (`npm run main` / `make run`): execute every notebook headless and
# write into out/: notebooks/*.ipynb (executed), html/*.html (offline pages with
# live charts), figures/<notebook>--<title slug>.{svg,png,pdf} and .paper.{svg,png,pdf}
# (every shown figure, as shown and in the paper template), figures/<notebook>--<title slug>.{csv,tex,md}
# (every shown table). In the quick profile the executed notebooks are also saved back to
# notebooks/ (the committed outputs) — unless parameters are injected.
# PROFILE=thesis runs the full-size configuration.
# NOTEBOOKS=00-tour,01-dataset selects notebooks (default: all notebooks/*.ipynb).
# Arguments go to environment/run_notebooks.py, e.g. parameters of the notebooks' parameters cell:
#   npm run main -- -p overrides '{"levels": [30, 60, 90]}'      (or PARAMS='{"overrides": {...}}')
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash environment/install.sh
. environment/kernel/env.sh
PROFILE="${PROFILE:-quick}"
notebooks=()
if [ -n "${NOTEBOOKS:-}" ]; then
  IFS=',' read -ra names <<< "$NOTEBOOKS"
  for name in "${names[@]}"; do notebooks+=("notebooks/${name%.ipynb}.ipynb"); done
else
  notebooks=(notebooks/*.ipynb)
fi
args=(--profile "$PROFILE" --out out)
[ "$PROFILE" = quick ] && args+=(--write-back)
exec "$SPARSE_RNN_PYTHON" environment/run_notebooks.py "${args[@]}" "$@" "${notebooks[@]}"
