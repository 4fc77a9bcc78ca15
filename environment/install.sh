#!/usr/bin/env bash
# Installs whatever this project needs and is missing, then writes
# environment/kernel/env.sh (sourced by the Makefile and .ci/run).
#
#   node_modules  `npm ci`, redone only when package-lock.json changes (stamp file)
#   Jupyter       Debian/Ubuntu: apt packages from versions.env (with poppler-utils,
#                 whose pdfinfo/pdffonts the figure-export tests use); elsewhere: a
#                 virtualenv in .venv/ from requirements.txt
#   Chromium      $CHROMIUM_PATH or $BROWSER_PATH if set, else a system
#                 Chromium/Chrome, else Debian's `chromium` package
#   redis-server  Debian's package, for the queue tests (never started as a service)
#   kernel spec   environment/kernel/kernels/tslab-sparse-rnn/kernel.json, whose
#                 argv is this checkout's node_modules/.bin/tslab (absolute path);
#                 Jupyter finds it through JUPYTER_PATH=environment/kernel
#
# Silent and fast (well under a second) when everything is already there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENV_DIR="$ROOT/environment"
KERNEL_HOME="$ENV_DIR/kernel"
# shellcheck source=versions.env
. "$ENV_DIR/versions.env"

say() { printf '[install] %s\n' "$*" >&2; }
die() { printf '\n[install] ERROR: %s\n\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root to run: $*  (re-run as root, or install it yourself)"; fi
}

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then
    say "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    APT_UPDATED=1
  fi
  say "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

debian_has() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

# --- Node.js ----------------------------------------------------------------
command -v node >/dev/null || die "Node.js >= $NODE_MAJOR_MIN is required but 'node' is not on PATH. Install Node.js $NODE_MAJOR_MIN (e.g. from your distribution or nodejs.org) and re-run."
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
[ "$NODE_MAJOR" -ge "$NODE_MAJOR_MIN" ] || die "Node.js >= $NODE_MAJOR_MIN is required, found $(node --version) at $(command -v node). Upgrade Node.js and re-run."
command -v npm >/dev/null || die "'npm' is not on PATH (it ships with Node.js). Install npm and re-run."

# --- node_modules -----------------------------------------------------------
LOCK_HASH="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
NPM_STAMP="$ROOT/node_modules/.sparse-rnn-lab-npm-ci"
HIDDEN_LOCK="$ROOT/node_modules/.package-lock.json"  # npm rewrites it after every install
npm_tree_current() {
  [ -x "$ROOT/node_modules/.bin/tslab" ] || return 1
  [ "$(cat "$NPM_STAMP" 2>/dev/null)" = "$LOCK_HASH" ] && return 0
  [ -f "$HIDDEN_LOCK" ] && ! [ "$ROOT/package-lock.json" -nt "$HIDDEN_LOCK" ]
}
if npm_tree_current; then
  [ "$(cat "$NPM_STAMP" 2>/dev/null)" = "$LOCK_HASH" ] || echo "$LOCK_HASH" > "$NPM_STAMP"
else
  say "npm ci (package-lock.json changed or node_modules missing)"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error >&2)
  echo "$LOCK_HASH" > "$NPM_STAMP"
fi

# --- Jupyter ----------------------------------------------------------------
# The Python that runs Jupyter. Not `python3` from PATH: that may be a pyenv
# interpreter without Jupyter.
jupyter_python() {
  if [ -x "$ROOT/.venv/bin/python" ]; then echo "$ROOT/.venv/bin/python"; return; fi
  if command -v dpkg-query >/dev/null; then
    local missing=0 p
    for p in $DEBIAN_PACKAGES; do debian_has "$p" || missing=1; done
    if [ "$missing" = 0 ]; then echo /usr/bin/python3; return; fi
  fi
  return 1
}
if ! PY="$(jupyter_python)"; then
  if command -v apt-get >/dev/null; then
    # shellcheck disable=SC2086
    apt_install $DEBIAN_PACKAGES
    for p in $DEBIAN_PACKAGES; do
      var="KNOWN_GOOD_${p//-/_}"
      have="$(dpkg-query -W -f='${Version}' "$p")"
      [ "$have" = "${!var}" ] || say "note: $p $have installed; tested with ${!var}"
    done
  elif command -v python3 >/dev/null && python3 -c 'import venv, ensurepip' 2>/dev/null; then
    say "creating .venv and installing environment/requirements.txt"
    python3 -m venv "$ROOT/.venv" >&2
    "$ROOT/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$ENV_DIR/requirements.txt" >&2
  else
    die "cannot install Jupyter: no apt-get (Debian/Ubuntu) and no python3 with venv+pip. Install python3 with the venv module (or Jupyter Notebook, nbconvert and nbclient yourself into .venv/) and re-run."
  fi
  PY="$(jupyter_python)" || die "Jupyter install finished but its packages are still missing."
fi

# --- Chromium ---------------------------------------------------------------
NAMED_BROWSER="${CHROMIUM_PATH:-${BROWSER_PATH:-}}"
if [ -n "$NAMED_BROWSER" ] && [ ! -x "$NAMED_BROWSER" ]; then
  die "the browser named by CHROMIUM_PATH/BROWSER_PATH ($NAMED_BROWSER) is not an executable file."
fi
find_browser() {
  local b
  if [ -n "$NAMED_BROWSER" ]; then echo "$NAMED_BROWSER"; return; fi
  for b in chromium chromium-browser google-chrome-stable google-chrome; do
    if command -v "$b" >/dev/null; then command -v "$b"; return; fi
  done
  return 1
}
if ! BROWSER="$(find_browser)"; then
  if command -v apt-get >/dev/null; then
    apt_install "$DEBIAN_BROWSER_PACKAGE"
    BROWSER="$(find_browser)" || die "installed '$DEBIAN_BROWSER_PACKAGE' but found no chromium binary on PATH."
  else
    die "no browser for figure rendering: install Chromium or Google Chrome, or set CHROMIUM_PATH=/path/to/chrome, and re-run."
  fi
fi

# --- Redis (the queue tests) ------------------------------------------------
# Only the redis-server binary: test/experiments/queue/queue.test.ts starts its own
# instance on 127.0.0.1, a free port and a temporary folder. The package's system
# service is kept from starting (policy-rc.d during the install) and disabled.
# Without apt-get nothing is installed and the queue tests skip, saying so.
if ! command -v redis-server >/dev/null && [ -z "${REDIS_SERVER:-}" ] && command -v apt-get >/dev/null; then
  POLICY=/usr/sbin/policy-rc.d OWN_POLICY=0
  if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$POLICY" >/dev/null && as_root chmod 755 "$POLICY" && OWN_POLICY=1
  fi
  apt_install "$DEBIAN_REDIS_PACKAGE" || say "note: could not install $DEBIAN_REDIS_PACKAGE; the queue tests will be skipped"
  [ "$OWN_POLICY" = 1 ] && as_root rm -f "$POLICY"
  if command -v systemctl >/dev/null; then as_root systemctl disable --now redis-server >/dev/null 2>&1 || true; fi
  have="$(dpkg-query -W -f='${Version}' "$DEBIAN_REDIS_PACKAGE" 2>/dev/null || true)"
  [ -z "$have" ] || [ "$have" = "$KNOWN_GOOD_redis_server" ] || say "note: $DEBIAN_REDIS_PACKAGE $have installed; tested with $KNOWN_GOOD_redis_server"
fi

# --- project-local kernel spec and env file ---------------------------------
SPEC_DIR="$KERNEL_HOME/kernels/tslab-sparse-rnn"
# The kernel starts through a one-line launcher that makes it die with the process
# that started it (the notebook runner, or a Jupyter server) even when that process
# is SIGKILLed and runs no cleanup: PR_SET_PDEATHSIG=SIGKILL (Linux; kept across the
# exec into node), and exit at once if that process is already gone (JPY_PARENT_PID,
# set by jupyter_client). Then it execs tslab with the same pid. The figure browser
# follows the kernel (src/plot/browser.ts).
LAUNCHER="import ctypes, os, signal, sys; libc = ctypes.CDLL(None); hasattr(libc, 'prctl') and libc.prctl(1, signal.SIGKILL); parent = os.environ.get('JPY_PARENT_PID'); sys.exit('kernel launcher: the process that started the kernel has exited') if parent and os.getppid() != int(parent) else os.execv(sys.argv[1], sys.argv[1:])"
SPEC="{
  \"argv\": [\"$PY\", \"-c\", \"$LAUNCHER\", \"$ROOT/node_modules/.bin/tslab\", \"kernel\", \"--config-path\", \"{connection_file}\"],
  \"display_name\": \"TypeScript (sparse-rnn-lab)\",
  \"language\": \"typescript\",
  \"env\": {\"NODE_OPTIONS\": \"--require \\\"$ENV_DIR/tslab-preload.js\\\"\"}
}"
if [ "$(cat "$SPEC_DIR/kernel.json" 2>/dev/null)" != "$SPEC" ]; then
  mkdir -p "$SPEC_DIR"
  printf '%s\n' "$SPEC" > "$SPEC_DIR/kernel.json"
fi

ENV_FILE="$KERNEL_HOME/env.sh"
ENV_TEXT="# written by environment/install.sh — do not edit
export SPARSE_RNN_PYTHON='$PY'
export CHROMIUM_PATH='$BROWSER'
export JUPYTER_PATH='$KERNEL_HOME'"
if [ "$(cat "$ENV_FILE" 2>/dev/null)" != "$ENV_TEXT" ]; then
  printf '%s\n' "$ENV_TEXT" > "$ENV_FILE"
fi
