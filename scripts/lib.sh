# Shared by the start and test scripts: progress lines and the Node dependency check.
step() { printf '\n==> %s\n' "$*" >&2; }

die() { printf '\nerror: %s\n' "$*" >&2; exit 1; }

require_node() {
  command -v node >/dev/null 2>&1 || die "Node.js 20 or later is required (node not found)"
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] || die "Node.js 20 or later is required (found $(node -v))"
  command -v tar >/dev/null 2>&1 || die "tar is required to unpack the Fabric release"
}

# Installs the locked dependencies when node_modules is missing or older than the lock file.
ensure_node_modules() {
  require_node
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "installing Node dependencies from package-lock.json"
    # npm install, not npm ci: npm 11 writes lock files without other platforms' optional
    # native bindings (unrs-resolver, used by Jest) and then refuses them in npm ci.
    npm install --no-audit --no-fund
  fi
}

# What both entry points need first: Node dependencies, the shared package's build (the chaincode requires it
# at run time), and the pinned Fabric binaries.
prepare() {
  ensure_node_modules
  if [ ! -f common/dist/index.js ] || [ -n "$(find common/src common/package.json -newer common/dist/index.js -print -quit)" ]; then
    npx tsc -p common/tsconfig.build.json || die "the shared package (common/) does not compile"
  fi
  step "building the web console (Vite)"
  npm run -s build -w console >/dev/null || die "the console (console/) does not build; run npm run build -w console to see why"
  step "finding or installing Fabric 3.1.5 and fabric-ca 1.5.21"
  npx tsx network/src/cli.ts install
}

# Debian's Chromium for the console's browser tests (driven by playwright-core; nothing is downloaded from a
# browser CDN): installed with apt when missing.
# A Chinese font comes with it, so the screenshots of the zh-CN screens are legible.
ensure_chromium() {
  export REGCHAIN_CHROMIUM="${REGCHAIN_CHROMIUM:-/usr/bin/chromium}"
  local missing=()
  [ -x "$REGCHAIN_CHROMIUM" ] || missing+=(chromium)
  [ -n "$(fc-list :lang=zh 2>/dev/null)" ] || missing+=(fonts-wqy-microhei)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    [ -x "$REGCHAIN_CHROMIUM" ] && return 0
    die "Chromium is needed for the console's browser tests: apt-get install chromium (or set REGCHAIN_CHROMIUM)"
  fi
  step "installing ${missing[*]} from the Debian packages for the console's browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || die "apt-get could not install ${missing[*]}"
}

# Schemathesis (from PyPI, pinned) in its own virtualenv under the cache, for the API contract suite. Debian's
# python3-venv is installed with apt when the interpreter cannot make a virtualenv.
SCHEMATHESIS_VERSION=4.32.5
ensure_schemathesis() {
  local venv="${XDG_CACHE_HOME:-$HOME/.cache}/regchain/schemathesis-$SCHEMATHESIS_VERSION"
  if [ ! -x "$venv/bin/st" ]; then
    step "installing Schemathesis $SCHEMATHESIS_VERSION into $venv"
    if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
      command -v apt-get >/dev/null 2>&1 || die "Python 3 with venv is needed for the API contract tests; install python3-venv"
      apt-get update -qq && apt-get install -y -qq python3 python3-venv >/dev/null || die "apt-get could not install python3-venv"
    fi
    rm -rf "$venv"
    python3 -m venv "$venv" || die "python3 -m venv $venv failed"
    "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" || die "pip could not install schemathesis==$SCHEMATHESIS_VERSION"
  fi
  export REGCHAIN_SCHEMATHESIS="$venv/bin/st"
}

# A throwaway PostgreSQL for the monitor's index tests (the same tests run on PGlite): Debian's packages, installed
# with apt when missing; a cluster in a temporary folder on a free port, run as the postgres user when we are root;
# stopped and removed when the tests end. An operator's own server is used instead when
# REGCHAIN_MONITOR_DATABASE_URL names one.
ensure_postgresql() {
  [ -n "${REGCHAIN_MONITOR_DATABASE_URL:-}" ] && return 0
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bin" ]; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
      printf 'PostgreSQL is not installed (apt-get install postgresql): the monitor index tests run on PGlite only\n' >&2
      return 0
    fi
    step "installing PostgreSQL from the Debian packages"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || die "apt-get could not install postgresql"
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  local port=$((25433 + ${REGCHAIN_PORT_OFFSET:-0} % 1000))
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  PG_TMP=$(mktemp -d /tmp/regchain-postgresql.XXXXXX)
  local as=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$PG_TMP"
    as=(runuser -u postgres --)
  fi
  step "starting a throwaway PostgreSQL ($("$bin/postgres" --version | awk '{print $3}')) on 127.0.0.1:$port for the monitor's index tests"
  "${as[@]}" "$bin/initdb" -D "$PG_TMP/data" -A trust -U regchain >"$PG_TMP/initdb.log" 2>&1 || die "initdb failed; read $PG_TMP/initdb.log"
  "${as[@]}" "$bin/pg_ctl" -D "$PG_TMP/data" -o "-p $port -k $PG_TMP -c listen_addresses=127.0.0.1" -l "$PG_TMP/server.log" -w start >/dev/null ||
    die "PostgreSQL did not start; read $PG_TMP/server.log"
  PG_STOP=("${as[@]}" "$bin/pg_ctl" -D "$PG_TMP/data" -m fast stop)
  trap 'stop_postgresql' EXIT
  export REGCHAIN_MONITOR_DATABASE_URL="postgresql://regchain@127.0.0.1:$port/postgres"
}

stop_postgresql() {
  "${PG_STOP[@]}" >/dev/null 2>&1 || true
  rm -rf "$PG_TMP"
}
