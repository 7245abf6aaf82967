/**
 * checkov (an independent scanner) runs over every stack's rendered objects in the tests
 * (tests/policy/checkov.test.ts). A failed check is fixed, or accepted here with a reason an
 * auditor can verify; an entry that matches no failed check is an error, so the list never
 * outlives what it excuses.
 */

/** A checkov check accepted on one object, in every stack that renders it. */
export interface CheckovSuppression {
  /** e.g. `CKV_K8S_38`. */
  readonly checkId: string;
  /** `Kind/namespace/name`; the namespace empty for cluster-scoped objects. */
  readonly object: string;
  /** Why the finding is accepted: required, never empty. */
  readonly reason: string;
}

/** Accepted checkov findings (CKV_K8S_38 and CKV_K8S_40 on the loan-service were fixed). */
export const CHECKOV_SUPPRESSIONS: readonly CheckovSuppression[] = [
  {
    checkId: 'CKV_K8S_35',
    object: 'Deployment/lms-observability/elasticsearch-exporter',
    reason:
      'elasticsearch_exporter v1.9.0 takes the Elasticsearch password only from ES_PASSWORD or inside --es.uri (which the process list shows); it reads no file. The variable refers to the key of ECK\'s logs-es-elastic-user Secret; the spec holds no secret value.',
  },
];

/** One failed checkov check, its object named as suppressions name it. */
export interface CheckovFailure {
  readonly checkId: string;
  readonly checkName: string;
  /** `Kind/namespace/name`. */
  readonly object: string;
  /** The rendered file it was found in, e.g. `production-lusaka-apps.k8s.yaml`. */
  readonly file: string;
}

const WHERE = 'policy/checkov-suppressions.ts';

/**
 * Every failed check no suppression covers, and every suppression that is wrong (no reason,
 * not a checkov Kubernetes check id, or matching no failed check), one line each; empty
 * when all is well.
 */
export function reviewCheckovFailures(failures: readonly CheckovFailure[], suppressions: readonly CheckovSuppression[] = CHECKOV_SUPPRESSIONS): string[] {
  const covers = (suppression: CheckovSuppression, failure: CheckovFailure) => suppression.checkId === failure.checkId && suppression.object === failure.object;
  const unsuppressed = failures
    .filter((failure) => !suppressions.some((suppression) => covers(suppression, failure)))
    .map((failure) => `${failure.file}: ${failure.checkId} ${failure.checkName}: ${failure.object} (allowed: fix it, or accept it in ${WHERE} with a reason)`);
  const wrong = suppressions.flatMap((suppression) => {
    const where = `${WHERE}: ${suppression.checkId} ${suppression.object}`;
    if (typeof suppression.reason !== 'string' || suppression.reason.trim() === '') {
      return [`${where}: reason: ${JSON.stringify(suppression.reason) ?? 'undefined'} is not allowed (allowed: a non-empty reason why the finding is accepted)`];
    }
    if (!/^CKV2?_K8S_[0-9]+$/.test(suppression.checkId)) return [`${where}: checkId: ${JSON.stringify(suppression.checkId)} is not allowed (allowed: a checkov Kubernetes check id such as "CKV_K8S_38")`];
    if (!failures.some((failure) => covers(suppression, failure))) return [`${where}: matches no failed check (allowed: a check that fails on that object; remove the entry once it passes)`];
    return [];
  });
  return [...unsuppressed, ...wrong];
}
