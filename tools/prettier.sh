#!/usr/bin/env bash
# Run the project's prettier (installed under ISO_HOME by `make lint`).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
ISO_HOME=${ISO_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/iso10002_complaints}
node_dir="$ISO_HOME/node"
if [ ! -x "$node_dir/node_modules/.bin/prettier" ]; then
  echo "prettier is missing: run 'make lint' (it runs tools/setup.sh first)" >&2
  exit 1
fi
exec "$node_dir/node_modules/.bin/prettier" --config "$here/.prettierrc.yml" \
  --plugin "$node_dir/node_modules/@prettier/plugin-xml/src/plugin.js" "$@"
