#!/usr/bin/env bash
# Create the demo database on first use (never drop it), then serve it.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
db=${1:-iso10002_demo}
port=${2:-8069}
py="$(cat var/venv)/bin/python"

state=$("$py" tools/dbstate.py var/odoo.conf "$db")
case "$state" in
  missing)
    echo "[run] creating the demo database $db with the addon, demo data and its languages"
    "$py" -m odoo -c var/odoo.conf -d "$db" -i iso10002_complaints --stop-after-init \
      --with-demo --load-language=en_US,zh_CN,zh_TW,vi_VN ;;
  not-installed)
    echo "[run] installing the addon into the existing database $db"
    "$py" -m odoo -c var/odoo.conf -d "$db" -i iso10002_complaints --stop-after-init ;;
  installed)
    echo "[run] updating the addon in the existing database $db (data kept)"
    "$py" -m odoo -c var/odoo.conf -d "$db" -u iso10002_complaints --stop-after-init ;;
esac

cat <<TXT

  ISO 10002 complaints handling is served on  http://localhost:$port
  database: $db

  log in as (login / password):
    admin / admin          administrator, top management
    manager / manager      complaints manager and management representative
    agent / agent          complaint agent (Customer Complaints team)
    agent2 / agent2        complaint agent (Customer Complaints team)
    director / director    top management
    auditor / auditor      auditor (read-only)
    complainant / complainant   Lena Fischer, a complainant (portal)
    baker / baker          the one person of Corner Bakery (agent, manager and
                           top management), a second company in
                           small-organisation mode (ISO 10002 Annex A)

  Languages: English, 简体中文, 繁體中文, Tiếng Việt (user preferences, or
  the language menu at the foot of the public pages).

  Public pages: http://localhost:$port/complaints (how to complain, no login)

  Helpdesk > Complaints lists the demo complaints in every step.
  Stop the server with Ctrl+C; 'make run' again reuses the database.

TXT
exec "$py" -m odoo -c var/odoo.conf -d "$db" --db-filter="^$db\$" --http-port="$port"
