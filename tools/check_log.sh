#!/usr/bin/env bash
# Fail when the test log holds a WARNING (or worse) line from Odoo.
# The one tolerated line: Debian's wkhtmltopdf is built on an unpatched Qt and
# Odoo warns once per PDF render that it ignores header/footer switches.
set -u
log=${1:-.test.log}
allowed='wkhtmltopdf: .*(unpatched qt|--header|--footer|switch)'
hits=$(grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ' "$log" | grep -Eiv "$allowed" || true)
if [ -n "$hits" ]; then
  echo "== the test log has Odoo WARNING/ERROR lines (each is a defect):"
  echo "$hits" | head -50
  exit 1
fi
echo "== test log: no Odoo warnings"
