#!/usr/bin/env bash
# Fail when the test log holds a WARNING (or worse) line from Odoo.
# Tolerated lines:
# - Debian's wkhtmltopdf is built on an unpatched Qt and Odoo warns once per
#   PDF render that it ignores header/footer switches;
# - pytest-odoo imports odoo.tests before Odoo is in test mode, and Odoo logs
#   one ERROR "Importing test framework, avoid importing from business modules
#   and when not running in test mode" per pytest run. It is the test runner's,
#   not the code's, and shows only where Odoo logs below critical under pytest
#   (make test-odoo's own log).
set -u
log=${1:-.test.log}
allowed='wkhtmltopdf: .*(unpatched qt|--header|--footer|switch)'
allowed+='|ERROR \? odoo\.tests\.common: Importing test framework, avoid importing from business modules and when not running in test mode'
if [ ! -f "$log" ]; then
  echo "== no log $log: the tests did not run"
  exit 1
fi
hits=$(grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ' "$log" | grep -Eiv "$allowed" || true)
if [ -n "$hits" ]; then
  echo "== the test log has Odoo WARNING/ERROR lines (each is a defect):"
  echo "$hits" | head -50
  exit 1
fi
echo "== test log: no Odoo warnings"
