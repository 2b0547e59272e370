#!/usr/bin/env bash
# One command from a fresh clone to a result: installs what the project needs, builds it, validates and
# inspects the example workflows, then runs the quick start workflow. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null || ! node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)'; then
  echo "MAML Gateway needs Node.js 20 or later: install it from your distribution or nodejs.org, then re-run." >&2
  exit 1
fi

# System packages: bubblewrap sandboxes the blocks, slirp4netns connects blocks granted permissions.network,
# python3 runs Python blocks.
need=()
command -v bwrap >/dev/null || need+=(bubblewrap)
command -v slirp4netns >/dev/null || need+=(slirp4netns)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "==> installing ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
  elif command -v apt-get >/dev/null && command -v sudo >/dev/null; then
    echo "==> installing ${need[*]} (sudo)"
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
  else
    echo "warning: please install ${need[*]} with your package manager; workflows will not run without them." >&2
  fi
fi

# Under root, maml runs every block as this unprivileged system user, never as root (docs/runtime.md#sandbox).
if [ "$(id -u)" = 0 ] && ! id -u maml-sandbox >/dev/null 2>&1; then
  echo "==> creating the system user maml-sandbox (blocks run as this user when maml runs as root)"
  useradd --system --no-create-home --user-group --shell /usr/sbin/nologin maml-sandbox
fi

echo "==> installing npm packages"
npm ci --no-audit --no-fund
echo "==> building"
npm run build --silent
echo "==> validating examples/"
node dist/cli/bin.js validate examples
echo "==> execution plan of examples/quickstart.maml.md"
node dist/cli/bin.js inspect examples/quickstart.maml.md
if command -v bwrap >/dev/null; then
  echo "==> running examples/quickstart.maml.md (History is not modified: --no-write)"
  node dist/cli/bin.js run examples/quickstart.maml.md --no-write
else
  echo "==> not running examples/quickstart.maml.md: blocks run sandboxed with bubblewrap." >&2
  echo "    Install it (apt-get install bubblewrap) and re-run, or run it unsandboxed:" >&2
  echo "    node dist/cli/bin.js run examples/quickstart.maml.md --no-write --unsafe-no-sandbox" >&2
fi
