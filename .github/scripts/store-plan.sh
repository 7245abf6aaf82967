#!/usr/bin/env bash
# store-plan.sh <path>: copies the stack's plan (binary and text) to the site's in-country
# plan store, bucket lms-ci-plans under <path>. MC_HOST_plans (from the runner's Vault agent,
# see terraform-stack.sh) names the site's MinIO with its credentials; plans hold state
# values, so they never leave the country and are not GitHub artifacts.
set -euo pipefail

destination=${1:?usage: store-plan.sh <path in the plan store>}
: "${STACK:?}" "${ENVIRONMENT:?}" "${SITE:?}"
set -a
# shellcheck disable=SC1090 # rendered by the runner's Vault agent
. "/run/lms-ci/$ENVIRONMENT-$SITE.env"
set +a
: "${MC_HOST_plans:?MC_HOST_plans is not set for $ENVIRONMENT $SITE}"

mc cp --quiet "cdktf.out/stacks/$STACK/plan.tfplan" "cdktf.out/stacks/$STACK/plan.txt" "plans/lms-ci-plans/$destination/"
echo "plan of $STACK: plans/lms-ci-plans/$destination/plan.txt"
