#!/usr/bin/env bash
# terraform-stack.sh plan|apply: plans or applies one synthesized stack, cdktf.out/stacks/$STACK,
# on the in-country runner at the stack's site ($ENVIRONMENT, $SITE).
#
# The runner's Vault agent renders the site's deploy credentials into
# /run/lms-ci/$ENVIRONMENT-$SITE.env (KUBE_TOKEN and KUBE_CLUSTER_CA_CERT_DATA, or
# KUBE_CONFIG_PATH for a kubeconfig-context site; AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
# AWS_CA_BUNDLE for the state store; VAULT_ADDR and VAULT_TOKEN for the vault-config stack;
# MC_HOST_plans for the plan store), and
# TF_CLI_CONFIG_FILE on the runner points Terraform at the in-country provider mirror. Nothing
# of it is in the repository or the workflow logs.
#
# An environment whose state is local (dev) keeps it in /var/lib/lms-ci/terraform-state on the
# site's runner, which persists between jobs.
set -euo pipefail

action=${1:?usage: terraform-stack.sh plan|apply}
: "${STACK:?STACK names the stack}" "${ENVIRONMENT:?}" "${SITE:?}"
stack_dir=cdktf.out/stacks/$STACK
[ -d "$stack_dir" ] || { echo "terraform-stack: $stack_dir does not exist (synthesize $ENVIRONMENT first)" >&2; exit 1; }

credentials=/run/lms-ci/$ENVIRONMENT-$SITE.env
[ -r "$credentials" ] || { echo "terraform-stack: $credentials is missing: this runner is not set up for $ENVIRONMENT $SITE" >&2; exit 1; }
set -a
# shellcheck disable=SC1090 # rendered by the runner's Vault agent, see above
. "$credentials"
set +a

if [ -d /var/lib/lms-ci/terraform-state ] && [ ! -e .terraform-state ]; then
  ln -s /var/lib/lms-ci/terraform-state .terraform-state
fi

terraform -chdir="$stack_dir" init -input=false -no-color
case $action in
  plan)
    # Plans do not take the state lock: a plan never waits for, nor blocks, an apply.
    terraform -chdir="$stack_dir" plan -input=false -no-color -lock=false -out=plan.tfplan
    terraform -chdir="$stack_dir" show -no-color plan.tfplan >"$stack_dir/plan.txt"
    ;;
  apply)
    terraform -chdir="$stack_dir" apply -input=false -no-color -lock-timeout=15m -auto-approve
    ;;
  *)
    echo "terraform-stack: $action is not an action (allowed: plan, apply)" >&2
    exit 2
    ;;
esac
