#!/usr/bin/env bash
# Prepares the external tools and upstream artifacts the tool-dependent tests and the deploy
# tier (`npm run test:deploy`) use, in one cache folder that tests/support/tools.ts searches:
#
#   LMS_TOOLS_DIR   the cache (default: <project>/.tools, git-ignored)
#   LMS_SHARED_DIR  upstream artifacts: provider mirror, chart packages, OpenBao
#                   (default: <project>/../shared)
#
# Idempotent: each tool is rebuilt only when its recorded version (or the checksum of the
# artifact it came from) differs from the one below, so a version bump here rebuilds it.
# Needs Go, Python 3 with venv, and apt-get (Debian) for the packages that are missing.
set -euo pipefail

KUBERNETES_VERSION=1.31.13
KWOK_VERSION=0.8.0
HELM_VERSION=3.22.0
CHECKOV_VERSION=3.3.30
# The Alertmanager prometheus-operator 0.93.0 deploys by default; Debian's amtool (0.25) lacks webhook url_file.
ALERTMANAGER_VERSION=0.33.1
# The GitHub Actions workflow linter `npm test` runs on .github/workflows/.
ACTIONLINT_VERSION=1.7.12

project=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tools=${LMS_TOOLS_DIR:-$project/.tools}
shared=${LMS_SHARED_DIR:-$project/../shared}
stamps=$tools/.stamps
go_version=

say() { printf 'prepare-tools: %s\n' "$*"; }
fail() { printf 'prepare-tools: %s\n' "$*" >&2; exit 1; }

# took: seconds since the previous call to `elapsed`, for the timing lines.
phase_start=$SECONDS
took=
elapsed() { took="$((SECONDS - phase_start))s"; phase_start=$SECONDS; }

# is_current NAME KEY: the cache holds NAME built for KEY.
is_current() { [ -f "$stamps/$1" ] && [ "$(cat "$stamps/$1")" = "$2" ]; }
record() { mkdir -p "$stamps"; printf '%s\n' "$2" >"$stamps/$1"; }

check_shared() {
  local wanted=(terraform-providers/SHA256SUMS charts/SHA256SUMS openbao/SHA256SUMS)
  local missing=()
  local item
  if [ ! -d "$shared" ]; then
    fail "upstream artifacts folder $shared is absent: it must hold terraform-providers/ (a Terraform filesystem mirror of hashicorp/kubernetes 2.38.0, hashicorp/helm 3.1.1 and hashicorp/vault 5.6.0 as *.tgz with SHA256SUMS), charts/ (the pinned chart packages *.tgz with SHA256SUMS) and openbao/ (openbao-*_linux_amd64.tgz with SHA256SUMS); set LMS_SHARED_DIR to the folder that has them"
  fi
  for item in "${wanted[@]}"; do
    [ -f "$shared/$item" ] || missing+=("$item")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    fail "upstream artifacts folder $shared lacks ${missing[*]} (set LMS_SHARED_DIR to the folder that has them)"
  fi
}

# Debian packages for commands that are not on PATH; apt-get update runs at most once.
apt_updated=
apt_install() {
  local packages=()
  local command package
  while [ $# -gt 0 ]; do
    command=$1 package=$2
    shift 2
    command -v "$command" >/dev/null 2>&1 || packages+=("$package")
  done
  [ ${#packages[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || fail "missing ${packages[*]} and no apt-get to install them: install them with your system's package manager"
  if [ -z "$apt_updated" ]; then
    apt-get update -qq
    apt_updated=1
  fi
  say "apt-get install ${packages[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
}

# kube-apiserver, kube-controller-manager and kube-scheduler from k8s.io/kubernetes, through a
# wrapper module: k8s.io/kubernetes replaces its staging modules with local folders, which a
# module depending on it must replace with the published k8s.io/<name> v0.<minor>.<patch>.
build_kubernetes() {
  local key="v$KUBERNETES_VERSION $go_version"
  local out=$tools/kubernetes/bin
  if is_current kubernetes "$key" && [ -x "$out/kube-apiserver" ] && [ -x "$out/kube-controller-manager" ] && [ -x "$out/kube-scheduler" ]; then
    say "kubernetes v$KUBERNETES_VERSION: cached in $out"
    return 0
  fi
  local src=$tools/kubernetes/src
  local staging_version=v0.${KUBERNETES_VERSION#1.}
  rm -rf "$src" "$out"
  mkdir -p "$src" "$out"
  say "kubernetes v$KUBERNETES_VERSION: downloading module"
  local upstream_mod
  upstream_mod=$(go mod download -json "k8s.io/kubernetes@v$KUBERNETES_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')
  [ -f "$upstream_mod" ] || fail "go mod download k8s.io/kubernetes@v$KUBERNETES_VERSION did not give its go.mod"
  local staging
  staging=$(sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9.-]*\) => \./staging/src/k8s.io/.*#\1#p' "$upstream_mod" | sort -u)
  [ -n "$staging" ] || fail "no staging modules found in the replace block of $upstream_mod"
  {
    printf 'module lms.co.zm/kubernetes-tools\n\ngo 1.22.0\n\nrequire k8s.io/kubernetes v%s\n\nreplace (\n' "$KUBERNETES_VERSION"
    local module
    for module in $staging; do
      printf '\t%s => %s %s\n' "$module" "$module" "$staging_version"
    done
    printf ')\n'
  } >"$src/go.mod"
  cat >"$src/tools.go" <<'EOF'
//go:build tools

// Package tools pins the Kubernetes commands this module builds.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)
EOF
  (cd "$src" && go mod tidy)
  local minor=${KUBERNETES_VERSION#1.}
  minor=${minor%%.*}
  local ldflags="-s -w"
  local pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=v$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  say "kubernetes v$KUBERNETES_VERSION: building kube-apiserver, kube-controller-manager, kube-scheduler (several minutes)"
  (cd "$src" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$out/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler)
  "$out/kube-apiserver" --version | grep -qx "Kubernetes v$KUBERNETES_VERSION" || fail "built kube-apiserver does not report v$KUBERNETES_VERSION"
  record kubernetes "$key"
  elapsed
  say "kubernetes v$KUBERNETES_VERSION: built in $out ($took)"
}

build_kwok() {
  local key="v$KWOK_VERSION $go_version"
  if is_current kwok "$key" && [ -x "$tools/bin/kwok" ] && [ -d "$tools/kwok/stages" ]; then
    say "kwok v$KWOK_VERSION: cached"
    return 0
  fi
  say "kwok v$KWOK_VERSION: go install"
  mkdir -p "$tools/bin"
  GOBIN=$tools/bin CGO_ENABLED=0 go install "sigs.k8s.io/kwok/cmd/kwok@v$KWOK_VERSION"
  # The default stages (node heartbeat and readiness, pod lifecycle, volumes) ship in the
  # module source, not in the binary's standalone defaults.
  local module_dir
  module_dir=$(go mod download -json "sigs.k8s.io/kwok@v$KWOK_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
  [ -d "$module_dir/kustomize/stage" ] || fail "kwok module source at $module_dir has no kustomize/stage"
  rm -rf "$tools/kwok/stages"
  mkdir -p "$tools/kwok/stages"
  local folder stage
  for folder in node/fast node/heartbeat-with-lease pod/fast volume/fast; do
    for stage in "$module_dir/kustomize/stage/$folder"/*.yaml; do
      # Only Stage objects: kustomizations and the example StorageClass are not stages.
      grep -q '^kind: Stage$' "$stage" || continue
      cp "$stage" "$tools/kwok/stages/${folder//\//-}-$(basename "$stage")"
    done
  done
  chmod -R u+w "$tools/kwok/stages"
  record kwok "$key"
  elapsed
  say "kwok v$KWOK_VERSION: $tools/bin/kwok, stages in $tools/kwok/stages ($took)"
}

build_helm() {
  local key="v$HELM_VERSION $go_version"
  if is_current helm "$key" && [ -x "$tools/bin/helm" ]; then
    say "helm v$HELM_VERSION: cached"
    return 0
  fi
  say "helm v$HELM_VERSION: go install (about 2 minutes)"
  mkdir -p "$tools/bin"
  GOBIN=$tools/bin CGO_ENABLED=0 go install "helm.sh/helm/v3/cmd/helm@v$HELM_VERSION"
  record helm "$key"
  elapsed
  say "helm v$HELM_VERSION: $tools/bin/helm ($took)"
}

# amtool from the Go module proxy, at the version the platform's Alertmanager runs, with the
# version stamped in so `amtool --version` names it.
build_amtool() {
  local key="v$ALERTMANAGER_VERSION $go_version"
  if is_current amtool "$key" && [ -x "$tools/bin/amtool" ]; then
    say "amtool v$ALERTMANAGER_VERSION: cached"
    return 0
  fi
  say "amtool v$ALERTMANAGER_VERSION: go install (about 2 minutes)"
  mkdir -p "$tools/bin"
  GOBIN=$tools/bin CGO_ENABLED=0 go install -trimpath -ldflags "-s -w -X github.com/prometheus/common/version.Version=$ALERTMANAGER_VERSION" \
    "github.com/prometheus/alertmanager/cmd/amtool@v$ALERTMANAGER_VERSION"
  record amtool "$key"
  elapsed
  say "amtool v$ALERTMANAGER_VERSION: $tools/bin/amtool ($took)"
}

# actionlint from the Go module proxy; with ShellCheck on PATH it also checks the workflows'
# run: scripts.
build_actionlint() {
  local key="v$ACTIONLINT_VERSION $go_version"
  if is_current actionlint "$key" && [ -x "$tools/bin/actionlint" ]; then
    say "actionlint v$ACTIONLINT_VERSION: cached"
    return 0
  fi
  say "actionlint v$ACTIONLINT_VERSION: go install"
  mkdir -p "$tools/bin"
  GOBIN=$tools/bin CGO_ENABLED=0 go install "github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION"
  record actionlint "$key"
  elapsed
  say "actionlint v$ACTIONLINT_VERSION: $tools/bin/actionlint ($took)"
}

build_checkov() {
  local key=$CHECKOV_VERSION
  if is_current checkov "$key" && [ -x "$tools/checkov/bin/checkov" ]; then
    say "checkov $CHECKOV_VERSION: cached"
    return 0
  fi
  say "checkov $CHECKOV_VERSION: virtual environment"
  rm -rf "$tools/checkov"
  python3 -m venv "$tools/checkov"
  "$tools/checkov/bin/pip" install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION"
  record checkov "$key"
  elapsed
  say "checkov $CHECKOV_VERSION: $tools/checkov/bin/checkov ($took)"
}

# verify_sums FOLDER: every file SHA256SUMS lists is present and matches.
verify_sums() {
  (cd "$1" && sha256sum --check --quiet --strict SHA256SUMS) || fail "checksums in $1/SHA256SUMS do not match its files"
}

unpack_artifacts() {
  local sums key archive
  sums=$(cat "$shared/terraform-providers/SHA256SUMS")
  if is_current terraform-providers "$sums" && [ -d "$tools/terraform-providers/registry.terraform.io" ]; then
    say "terraform provider mirror: cached"
  else
    verify_sums "$shared/terraform-providers"
    rm -rf "$tools/terraform-providers"
    mkdir -p "$tools/terraform-providers"
    for archive in "$shared"/terraform-providers/*.tgz; do
      tar -xzf "$archive" -C "$tools/terraform-providers"
    done
    [ -d "$tools/terraform-providers/registry.terraform.io" ] || fail "$shared/terraform-providers/*.tgz did not unpack into a registry.terraform.io/ mirror layout"
    record terraform-providers "$sums"
    say "terraform provider mirror: $tools/terraform-providers"
  fi

  sums=$(cat "$shared/charts/SHA256SUMS")
  if is_current charts "$sums" && [ -d "$tools/charts" ]; then
    say "chart packages: cached"
  else
    verify_sums "$shared/charts"
    rm -rf "$tools/charts"
    mkdir -p "$tools/charts"
    cp "$shared"/charts/*.tgz "$shared/charts/SHA256SUMS" "$tools/charts/"
    chmod u+w "$tools"/charts/*
    record charts "$sums"
    say "chart packages: $tools/charts"
  fi

  key=$(cat "$shared/openbao/SHA256SUMS")
  if is_current openbao "$key" && [ -x "$tools/bin/bao" ]; then
    say "openbao: cached"
  else
    verify_sums "$shared/openbao"
    mkdir -p "$tools/bin"
    for archive in "$shared"/openbao/*.tgz; do
      tar -xzf "$archive" -C "$tools/bin" bao
    done
    [ -x "$tools/bin/bao" ] || fail "$shared/openbao/*.tgz holds no bao binary"
    record openbao "$key"
    say "openbao: $tools/bin/bao"
  fi
}

main() {
  check_shared
  command -v go >/dev/null 2>&1 || fail "go is not on PATH: install Go >= 1.22 (https://go.dev/dl/) to build kube-apiserver, kwok, helm, amtool and actionlint"
  command -v python3 >/dev/null 2>&1 || fail "python3 is not on PATH: install Python 3 with venv to install checkov"
  go_version=$(go env GOVERSION)
  mkdir -p "$tools"
  say "cache: $tools; upstream artifacts: $shared"
  unpack_artifacts
  apt_install etcd etcd-server yamllint yamllint shellcheck shellcheck promtool prometheus chromium chromium
  elapsed
  say "debian packages: done ($took)"
  build_kubernetes
  build_kwok
  build_helm
  build_amtool
  build_actionlint
  build_checkov
  say "all tools ready in $tools"
}

main "$@"
