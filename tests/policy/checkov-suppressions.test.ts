import { reviewCheckovFailures, type CheckovFailure } from '../../policy/checkov-suppressions';

const TOKEN: CheckovFailure = { checkId: 'CKV_K8S_38', checkName: 'Ensure that Service Account Tokens are only mounted where necessary', object: 'Deployment/lms-apps/ledger', file: 'dev-lusaka-apps.k8s.yaml' };
const UID: CheckovFailure = { checkId: 'CKV_K8S_40', checkName: 'Containers should run as a high UID to avoid host conflict', object: 'Deployment/lms-apps/ledger', file: 'dev-kitwe-apps.k8s.yaml' };
const REASON = 'the ledger image is vendor-built with uid 1000; the vendor ships uid 10001 in release 4';

describe('reviewCheckovFailures', () => {
  test('every failure no suppression covers is one line naming file, check and object', () => {
    expect(reviewCheckovFailures([TOKEN, UID], [])).toEqual([
      'dev-lusaka-apps.k8s.yaml: CKV_K8S_38 Ensure that Service Account Tokens are only mounted where necessary: Deployment/lms-apps/ledger (allowed: fix it, or accept it in policy/checkov-suppressions.ts with a reason)',
      'dev-kitwe-apps.k8s.yaml: CKV_K8S_40 Containers should run as a high UID to avoid host conflict: Deployment/lms-apps/ledger (allowed: fix it, or accept it in policy/checkov-suppressions.ts with a reason)',
    ]);
  });

  test('a suppression covers its check on its object in every stack, and nothing else', () => {
    const suppression = { checkId: 'CKV_K8S_40', object: 'Deployment/lms-apps/ledger', reason: REASON };
    expect(reviewCheckovFailures([UID, { ...UID, file: 'production-lusaka-apps.k8s.yaml' }], [suppression])).toEqual([]);
    expect(reviewCheckovFailures([UID, TOKEN], [suppression])).toHaveLength(1);
  });

  test('a suppression without a reason, with a bad id, or matching no failure is an error', () => {
    expect(
      reviewCheckovFailures(
        [UID],
        [
          { checkId: 'CKV_K8S_40', object: 'Deployment/lms-apps/ledger', reason: ' ' },
          { checkId: 'CKV_AWS_20', object: 'Deployment/lms-apps/ledger', reason: REASON },
          { checkId: 'CKV_K8S_38', object: 'Deployment/lms-apps/ledger', reason: REASON },
        ],
      ),
    ).toEqual([
      'policy/checkov-suppressions.ts: CKV_K8S_40 Deployment/lms-apps/ledger: reason: " " is not allowed (allowed: a non-empty reason why the finding is accepted)',
      'policy/checkov-suppressions.ts: CKV_AWS_20 Deployment/lms-apps/ledger: checkId: "CKV_AWS_20" is not allowed (allowed: a checkov Kubernetes check id such as "CKV_K8S_38")',
      'policy/checkov-suppressions.ts: CKV_K8S_38 Deployment/lms-apps/ledger: matches no failed check (allowed: a check that fails on that object; remove the entry once it passes)',
    ]);
  });
});
