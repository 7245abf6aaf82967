import { isRecord, judge } from '../../objects';
import type { Violation } from '../../types';
import { subject } from '../facts';
import { compare } from '../plan';
import type { AuditCheck } from '../types';

/** Key names that hold a secret when they hold a literal value. */
const SECRET_KEY = /(password|passwd|secret|token|apikey|accesskey|secretkey|privatekey|clientkey|credentials?)$/;
/** Key names that only refer to a secret kept elsewhere. */
const REFERENCE_KEY = /(existing|file|path|name|ref|mount|volume|template|env|selector|ttl|policies|type|reviewer|audience)/;
/** A Kubernetes object name (what a `...Secret` key holds when it names a Secret). */
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
/** Values that are secrets whatever their key. */
const SECRET_VALUE: readonly [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a PEM private key'],
  [/\bAKIA[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/:\/\/[^/\s:@]+:[^/\s@$]+@/, 'a URL with a literal password'],
];

/**
 * No secret value is written into a synthesized file (so none reaches Terraform state): no
 * Secret object with `data` or `stringData`, no environment variable or setting whose name
 * says it is a password, token or key with a literal value, no private key, cloud key or
 * password in a URL anywhere. References (`${...}`, Vault agent templates, file paths,
 * `secretKeyRef`) are not values.
 */
export const noSecretValues: AuditCheck = (plan) =>
  plan.stacks.flatMap((stack) => [
    ...stack.objects.flatMap(({ object, ref }) => {
      const violations = secretValues(object, '');
      if (object.kind === 'Secret') {
        for (const key of ['data', 'stringData']) {
          const data = object[key];
          if (isRecord(data) && Object.keys(data).length > 0) violations.push({ path: key, value: Object.keys(data).sort(compare).map((name) => `${name}: <value>`).join(', '), allowed: 'no values: secrets come from Vault through the agent, never from the plan' });
        }
      }
      return judge(ref, violations);
    }),
    ...stack.releases.flatMap((release) => judge(release.ref, secretValues(release.values, 'values'))),
    ...judge(subject('TerraformStack', stack.name, stack.name), [
      ...secretValues(stack.terraform.terraform, 'terraform'),
      ...secretValues(stack.terraform.provider, 'provider'),
      ...secretValues(stack.terraform.variable, 'variable'),
      ...Object.entries(isRecord(stack.terraform.resource) ? stack.terraform.resource : {})
        .filter(([type]) => type !== 'kubernetes_manifest' && type !== 'helm_release')
        .flatMap(([type, resources]) => secretValues(resources, `resource.${type}`)),
      ...Object.keys(stack.resourceTypes)
        .filter((type) => /^(vault_generic_secret|vault_kv_secret.*|kubernetes_secret.*)$/.test(type))
        .map((type) => ({ path: `resource.${type}`, value: type, allowed: 'no resource that writes a secret value (operators write secrets into Vault)' })),
    ]),
  ]);

/** The literal secret values inside `value`, with their paths. Exported for the tests. */
export function secretValues(value: unknown, path: string): Violation[] {
  const found: Violation[] = [];
  const literal = (text: unknown): text is string => typeof text === 'string' && text !== '' && !text.startsWith('${') && !text.includes('{{') && !text.startsWith('/') && !text.startsWith('$');
  const allowed = 'a reference to a secret kept in Vault (agent template, file path, secretKeyRef), never the value';
  const walk = (node: unknown, at: string) => {
    if (typeof node === 'string') {
      for (const [pattern, what] of SECRET_VALUE) if (pattern.test(node)) found.push({ path: at, value: `<${what}>`, allowed });
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((entry, index) => walk(entry, `${at}[${index}]`));
      return;
    }
    if (!isRecord(node)) return;
    if (typeof node.name === 'string' && literal(node.value) && isSecretKey(node.name)) found.push({ path: `${at}.value`, value: `${node.name}=<literal>`, allowed });
    for (const key of Object.keys(node).sort(compare)) {
      const child = node[key];
      const childAt = at ? `${at}.${key}` : key;
      // Annotation and label keys (`vault.hashicorp.com/agent-inject-secret-x`) name Vault paths and settings, not values;
      // a key ending in "secret" whose value is an object name refers to a Kubernetes Secret.
      const reference = key.includes('/') || (/secret$/i.test(key) && typeof child === 'string' && OBJECT_NAME.test(child));
      if (literal(child) && isSecretKey(key) && !reference) found.push({ path: childAt, value: '<literal>', allowed });
      else walk(child, childAt);
    }
  };
  walk(value, path);
  return found;
}

function isSecretKey(key: string): boolean {
  const normal = key.toLowerCase().replace(/[^a-z]/g, '');
  return SECRET_KEY.test(normal) && !REFERENCE_KEY.test(normal);
}
