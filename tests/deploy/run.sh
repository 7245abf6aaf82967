#!/usr/bin/env bash
# `npm run test:deploy`: applies the synthesized stacks to local control planes with the real
# terraform CLI. Everything (API servers, state servers, terraform) runs inside a fresh
# network namespace that has only loopback, and a private mount namespace whose /etc/hosts
# maps the environments' real host names to the local sites. Needs root (or CAP_SYS_ADMIN).
#
#   LMS_ENVIRONMENTS   environments of the round trip (default: dev); the site-loss drill
#                      always uses production
#   LMS_DEPLOY_KEEP=1  keep the working folders (logs, state, kubeconfigs) after the run
#   extra arguments    passed to jest, e.g. -t 'dev'
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

if [ "${LMS_DEPLOY_NAMESPACE:-}" != 1 ]; then
  # Missing tools are reported before anything else.
  node --import tsx tests/deploy/preflight.ts
  if [ "$(id -u)" -ne 0 ]; then
    echo "test:deploy: needs root to create a loopback-only network namespace and a private mount namespace (unshare --net --mount); run it as root, or in a container with CAP_SYS_ADMIN" >&2
    exit 1
  fi
  if ! unshare --net --mount true 2>/tmp/lms-deploy-unshare.$$; then
    echo "test:deploy: cannot create namespaces: unshare --net --mount failed: $(cat /tmp/lms-deploy-unshare.$$) (a container needs CAP_SYS_ADMIN, e.g. docker run --privileged)" >&2
    rm -f /tmp/lms-deploy-unshare.$$
    exit 1
  fi
  rm -f /tmp/lms-deploy-unshare.$$
  # The namespaces outside, so the tests can check they run in others.
  outer="$(readlink /proc/self/ns/net) $(readlink /proc/self/ns/mnt)"
  exec unshare --net --mount --propagation private -- env LMS_DEPLOY_NAMESPACE=1 LMS_DEPLOY_OUTER_NAMESPACES="$outer" bash "${BASH_SOURCE[0]}" "$@"
fi

ip link set lo up
# The hosts file bound over /etc/hosts in this mount namespace (tests/deploy/namespace.ts).
LMS_DEPLOY_HOSTS_FILE="$(mktemp -d "${TMPDIR:-/tmp}/lms-deploy-hosts-XXXXXX")/hosts"
export LMS_DEPLOY_HOSTS_FILE
trap 'rm -rf "$(dirname "$LMS_DEPLOY_HOSTS_FILE")"' EXIT
npx jest --config tests/deploy/jest.config.js --runInBand "$@"
