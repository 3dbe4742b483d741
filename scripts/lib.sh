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
  step "finding or installing Fabric 3.1.5 and fabric-ca 1.5.21"
  npx tsx network/src/cli.ts install
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
