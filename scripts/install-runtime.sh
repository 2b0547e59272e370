#!/usr/bin/env bash
# The system packages maml needs at run time, and the unprivileged user blocks run as when maml runs as root.
# The Dockerfile runs this script to build its image, and test/deploy/install-runtime.test.ts runs it too, so the
# image's install steps cannot drift from what is tested. Idempotent; Debian 12 (bookworm); needs root.
#
# bubblewrap: the block sandbox. slirp4netns: network for blocks granted it. python3: Python blocks.
# ca-certificates: TLS to PostgreSQL and JWKS URLs. tini: a PID 1 that reaps the heads' and blocks' processes.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(bubblewrap slirp4netns python3 ca-certificates tini)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
  rm -rf /var/lib/apt/lists/*
fi
# Blocks run as this user when maml itself runs as root (outside a container, or a container run as root).
id -u maml-sandbox >/dev/null 2>&1 ||
  useradd --system --no-create-home --user-group --shell /usr/sbin/nologin maml-sandbox
# The user the image runs maml as (uid 10001), with a home for its keyring and state.
id -u maml >/dev/null 2>&1 || useradd --uid 10001 --user-group --create-home --shell /usr/sbin/nologin maml
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || {
    echo "install-runtime: $p is still missing" >&2
    exit 1
  }
done
echo "install-runtime: ${packages[*]} installed; users maml-sandbox and maml exist"
