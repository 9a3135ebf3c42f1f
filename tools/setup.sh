#!/usr/bin/env bash
# Prepare everything the project needs on a Debian machine, idempotently:
#   system packages, a running PostgreSQL with a login role for Odoo,
#   a Python env outside the clone with the Odoo series the addon targets and
#   the addon's dependencies, and an Odoo configuration file for this clone
#   (var/odoo.conf).
#
# The Odoo series (19.0 on main, 18.0 on the branch 18.0) is read from the
# addon's manifest version, so each branch builds or finds its own env and the
# envs of both series live side by side.
#
# Odoo is resolved in this order:
#   1. an `odoo` of that series already importable by the env's Python;
#   2. a local Odoo source tree of that series given as ODOO_SRC;
#   3. the official source of that series downloaded from upstream (needs
#      internet).
#
# Environment knobs (all optional):
#   ISO_HOME   where the env and caches live   (default ~/.cache/iso10002_complaints)
#   ISO_VENV   the Python env            (default $ISO_HOME/venv-odooS.0-pyX.Y)
#   PYTHON     the interpreter to build the env  (default python3)
#   ODOO_SRC   an Odoo source tree of the series (the folder holding odoo-bin)
#   DB_USER / DB_PASSWORD / DB_HOST / DB_PORT   the PostgreSQL login for Odoo
#   HTTP_PORT / HTTP_INTERFACE   where `make run` serves (default 8069 on
#              0.0.0.0; Odoo 19 asks for the interface to be set); the test
#              server listens on TEST_HTTP_PORT (8169) on 127.0.0.1
#   WKHTMLTOPDF_PATCHED=1   install wkhtmltopdf 0.12.6.1 with patched Qt (PDF
#                           headers and footers) from wkhtmltopdf's packaging
#                           releases; WKHTMLTOPDF_RELEASE picks another release
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
ISO_HOME=${ISO_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/iso10002_complaints}
PYTHON=${PYTHON:-python3}
DB_USER=${DB_USER:-odoo}
DB_PASSWORD=${DB_PASSWORD:-odoo}
DB_HOST=${DB_HOST:-localhost}
DB_PORT=${DB_PORT:-5432}
# the series, e.g. 19.0, from the manifest's version 19.0.x.y.z
ODOO_SERIES=$(sed -n 's/^ *"version": *"\([0-9]*\.[0-9]*\)\..*/\1/p' "$here/iso10002_complaints/__manifest__.py")
[ -n "$ODOO_SERIES" ] || { echo "[setup] ERROR: no version in iso10002_complaints/__manifest__.py" >&2; exit 1; }
ODOO_MAJOR=${ODOO_SERIES%%.*}
ODOO_UPSTREAM=${ODOO_UPSTREAM:-https://github.com/odoo/odoo/archive/refs/heads/$ODOO_SERIES.tar.gz}

log() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '\n[setup] ERROR: %s\n\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# --------------------------------------------------------------------------
# System packages
# --------------------------------------------------------------------------
APT_PACKAGES=(
  postgresql postgresql-client
  wkhtmltopdf
  chromium
  python3-venv python3-dev build-essential
  libpq-dev libldap2-dev libsasl2-dev libxml2-dev libxslt1-dev libjpeg-dev zlib1g-dev
  fonts-noto-cjk
)
# Debian's npm only where no Node.js toolchain is installed already
command -v npm >/dev/null || APT_PACKAGES+=(npm)

system_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return
  fi
  command -v apt-get >/dev/null || die "apt-get not found: install these packages by hand: ${missing[*]}"
  log "installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# --------------------------------------------------------------------------
# PostgreSQL: a cluster run by the postgres system user, a login role for Odoo
# --------------------------------------------------------------------------
postgres() {
  if ! pg_isready -q -h "$DB_HOST" -p "$DB_PORT"; then
    log "starting PostgreSQL"
    local started=0
    if command -v pg_lsclusters >/dev/null; then
      if [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
        as_root pg_createcluster --start "$(ls /usr/lib/postgresql | sort -V | tail -1)" main >/dev/null
      fi
      while read -r ver name _; do
        as_root pg_ctlcluster "$ver" "$name" start 2>/dev/null && started=1
      done < <(pg_lsclusters -h)
    fi
    [ $started -eq 1 ] || as_root service postgresql start || true
    for _ in $(seq 1 30); do
      pg_isready -q -h "$DB_HOST" -p "$DB_PORT" && break
      sleep 1
    done
    pg_isready -q -h "$DB_HOST" -p "$DB_PORT" \
      || die "PostgreSQL does not answer on $DB_HOST:$DB_PORT; start it (service postgresql start) and run again."
  fi
  [ "$DB_USER" != "postgres" ] || die "Odoo refuses to run as the 'postgres' role: set DB_USER to another name."
  if [ "$DB_HOST" = "localhost" ] || [ "$DB_HOST" = "127.0.0.1" ]; then
    local exists
    exists=$(as_root su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$DB_USER'\"")
    if [ "$exists" != "1" ]; then
      log "creating PostgreSQL role $DB_USER"
      as_root su postgres -c "psql -q -c \"CREATE ROLE \\\"$DB_USER\\\" LOGIN CREATEDB PASSWORD '$DB_PASSWORD'\""
    fi
  fi
}

# --------------------------------------------------------------------------
# Python env with Odoo and the dependencies
# --------------------------------------------------------------------------
python_version() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])'; }

venv_path() {
  local v
  v=$(python_version "$PYTHON") || die "no Python interpreter '$PYTHON': install python3 or set PYTHON."
  local ok
  case "$ODOO_SERIES:$v" in
    18.0:3.1[012]) ok=1 ;;
    19.0:3.1[0123]) ok=1 ;;
    *) ok=0 ;;
  esac
  [ $ok = 1 ] || die "Odoo $ODOO_SERIES does not run on Python $v ('$PYTHON'): set PYTHON to a Python 3.10 to $([ "$ODOO_MAJOR" = 18 ] && echo 3.12 || echo 3.13) interpreter."
  echo "${ISO_VENV:-$ISO_HOME/venv-odoo$ODOO_SERIES-py$v}"
}

pip_build_args() {
  # Some of Odoo's pinned requirements build from old sdists that break with
  # setuptools>=81 (pkg_resources removed): constrain their build environment.
  local constraints="$ISO_HOME/build-constraints.txt"
  echo "setuptools<81" >"$constraints"
  if "$VENV/bin/pip" install --help 2>/dev/null | grep -q -- '--build-constraint'; then
    echo "--build-constraint=$constraints"
  else
    export PIP_CONSTRAINT="$constraints"
  fi
}

odoo_importable() {
  "$VENV/bin/python" - "$ODOO_MAJOR" <<'PY' 2>/dev/null
import odoo.release, sys
sys.exit(0 if odoo.release.version_info[:2] == (int(sys.argv[1]), 0) else 1)
PY
}

odoo_source() {
  # Prints a local Odoo source tree of the series, downloading one if needed.
  if [ -n "${ODOO_SRC:-}" ]; then
    [ -f "$ODOO_SRC/odoo/release.py" ] && [ -f "$ODOO_SRC/setup.py" ] \
      || die "ODOO_SRC=$ODOO_SRC is not an Odoo source tree (no odoo/release.py and setup.py there)."
    grep -q "version_info = ($ODOO_MAJOR, 0" "$ODOO_SRC/odoo/release.py" \
      || die "ODOO_SRC=$ODOO_SRC is not Odoo $ODOO_SERIES (see its odoo/release.py), which this branch of the addon needs."
    echo "$ODOO_SRC"
    return
  fi
  local dest="$ISO_HOME/odoo-$ODOO_SERIES"
  if [ -f "$dest/odoo/release.py" ]; then
    echo "$dest"
    return
  fi
  log "downloading Odoo $ODOO_SERIES from $ODOO_UPSTREAM"
  mkdir -p "$dest.partial"
  if ! curl -fsSL --retry 2 "$ODOO_UPSTREAM" | tar -xz -C "$dest.partial" --strip-components=1; then
    rm -rf "$dest.partial"
    die "Odoo $ODOO_SERIES could not be found or downloaded. Do one of these, then run the command again:
  - make Odoo $ODOO_SERIES importable by $VENV/bin/python (pip install it into that env), or
  - get the Odoo $ODOO_SERIES Community source (the folder with odoo-bin, odoo/ and addons/) and
    run:  ODOO_SRC=/path/to/odoo-$ODOO_SERIES make run   (or make test), or
  - give this machine access to $ODOO_UPSTREAM"
  fi
  mv "$dest.partial" "$dest"
  echo "$dest"
}

python_env() {
  VENV=$(venv_path)
  mkdir -p "$ISO_HOME"
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating Python env $VENV"
    "$PYTHON" -m venv "$VENV" || die "could not create a venv: install python3-venv."
    "$VENV/bin/pip" install -q --upgrade pip wheel
  fi
  local build_args
  build_args=$(pip_build_args)
  if ! odoo_importable; then
    local src
    src=$(odoo_source)
    log "installing Odoo $ODOO_SERIES from $src (editable)"
    # shellcheck disable=SC2086
    "$VENV/bin/pip" install -q $build_args -r "$src/requirements.txt"
    # compat mode keeps `odoo` a plain path entry, so the `odoo` namespace that
    # OCA addon wheels install does not hide it.
    # shellcheck disable=SC2086
    "$VENV/bin/pip" install -q $build_args \
      --config-settings editable_mode=compat -e "$src"
    odoo_importable || die "Odoo from $src did not import in $VENV."
  fi
  local stamp="$VENV/.iso10002-requirements" want
  want=$(cat "$here/requirements.txt" "$here/requirements-test.txt" | sha256sum | cut -c1-16)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    log "installing the addon's dependencies"
    # shellcheck disable=SC2086
    "$VENV/bin/pip" install -q $build_args -r "$here/requirements.txt" -r "$here/requirements-test.txt"
    echo "$want" >"$stamp"
  fi
  echo "$VENV" >"$here/var/venv"
}

# --------------------------------------------------------------------------
# Odoo configuration for this clone
# --------------------------------------------------------------------------
odoo_config() {
  local core_addons
  core_addons=$("$VENV/bin/python" - <<'PY'
import os, odoo.release
# odoo is a namespace package on 19.0 (no odoo.__file__): its release module
# tells where the source tree is
root = os.path.dirname(odoo.release.__file__)
main = os.path.abspath(os.path.join(root, "..", "addons"))
print(main if os.path.isdir(os.path.join(main, "web")) else os.path.join(root, "addons"))
PY
)
  cat >"$here/var/odoo.conf" <<CONF
[options]
addons_path = $here,$core_addons
data_dir = $here/var/filestore
db_host = $DB_HOST
db_port = $DB_PORT
db_user = $DB_USER
db_password = $DB_PASSWORD
admin_passwd = ${ADMIN_PASSWD:-admin}
list_db = True
proxy_mode = False
http_port = ${HTTP_PORT:-8069}
http_interface = ${HTTP_INTERFACE:-0.0.0.0}
CONF
  # the test server listens elsewhere, on the loopback only, so that tests
  # run beside `make run`
  sed -e "s/^http_port = .*/http_port = ${TEST_HTTP_PORT:-8169}/" \
    -e "s/^http_interface = .*/http_interface = 127.0.0.1/" \
    "$here/var/odoo.conf" >"$here/var/odoo-test.conf"
  printf 'log_level = warn\nmax_cron_threads = 0\n' >>"$here/var/odoo-test.conf"
  echo "$ISO_HOME/node/node_modules" >"$here/var/node_modules"
}

# --------------------------------------------------------------------------
# Node tools: prettier (make lint) and axe-core (the accessibility test)
# --------------------------------------------------------------------------
node_tools() {
  local dir="$ISO_HOME/node"
  mkdir -p "$dir"
  if [ -d "$dir/node_modules/axe-core" ] && cmp -s "$here/package.json" "$dir/package.json"; then
    return
  fi
  log "installing node tools (prettier, axe-core)"
  cp "$here/package.json" "$dir/package.json"
  npm install --silent --no-audit --no-fund --prefix "$dir" >&2 \
    || die "npm could not install the node tools listed in package.json."
}

# --------------------------------------------------------------------------
# wkhtmltopdf with patched Qt (optional): Debian's build ignores the reports'
# header and footer (company letterhead, "Page x / y"). WKHTMLTOPDF_PATCHED=1
# installs the 0.12.6.1 build with patched Qt from wkhtmltopdf's packaging
# releases into /usr/local/bin (ahead of Debian's on the PATH).
# --------------------------------------------------------------------------
WKHTMLTOPDF_RELEASE=${WKHTMLTOPDF_RELEASE:-0.12.6.1-3}

wkhtmltopdf_patched() {
  if wkhtmltopdf --version 2>/dev/null | grep -qi "patched qt"; then
    log "wkhtmltopdf: $(wkhtmltopdf --version) (headers and footers on the PDFs)"
    return
  fi
  if [ "${WKHTMLTOPDF_PATCHED:-0}" != 1 ]; then
    log "wkhtmltopdf has no patched Qt: the PDFs name the company in their body, without the letterhead's header and footer; WKHTMLTOPDF_PATCHED=1 $0 installs the patched build (README: PDF reports)"
    return
  fi
  local codename arch deb url
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  arch=$(dpkg --print-architecture)
  [ -n "$codename" ] || die "cannot tell the Debian/Ubuntu release from /etc/os-release"
  deb="wkhtmltox_${WKHTMLTOPDF_RELEASE}.${codename}_${arch}.deb"
  url="https://github.com/wkhtmltopdf/packaging/releases/download/${WKHTMLTOPDF_RELEASE}/${deb}"
  log "installing wkhtmltopdf with patched Qt: $url"
  local tmp
  tmp=$(mktemp -d)
  curl -fsSL -o "$tmp/$deb" "$url" \
    || die "no $deb in wkhtmltopdf's packaging release ${WKHTMLTOPDF_RELEASE}: pick the .deb for your release at https://github.com/wkhtmltopdf/packaging/releases and install it with apt-get install ./<file>.deb"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tmp/$deb" >/dev/null
  rm -rf "$tmp"
  hash -r
  wkhtmltopdf --version | grep -qi "patched qt" \
    || die "wkhtmltopdf on the PATH still has no patched Qt: put /usr/local/bin before /usr/bin"
  log "wkhtmltopdf: $(wkhtmltopdf --version); restart Odoo to use it"
}

main() {
  mkdir -p "$here/var"
  system_packages
  wkhtmltopdf_patched
  postgres
  python_env
  node_tools
  odoo_config
  log "ready: env $VENV, config var/odoo.conf"
}

main "$@"
