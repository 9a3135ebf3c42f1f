#!/usr/bin/env bash
# Run the project's prettier (installed under ISO_HOME by `make lint`).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
ISO_HOME=${ISO_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/iso10002_complaints}
node_dir="$ISO_HOME/node"
if [ ! -x "$node_dir/node_modules/.bin/prettier" ] \
  || ! cmp -s "$here/package.json" "$node_dir/package.json"; then
  command -v npm >/dev/null || { echo "npm is needed for prettier: apt-get install npm" >&2; exit 1; }
  mkdir -p "$node_dir"
  cp "$here/package.json" "$node_dir/package.json"
  npm install --silent --no-audit --no-fund --prefix "$node_dir" >&2
fi
exec "$node_dir/node_modules/.bin/prettier" --config "$here/.prettierrc.yml" \
  --plugin "$node_dir/node_modules/@prettier/plugin-xml/src/plugin.js" "$@"
