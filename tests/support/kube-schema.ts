import * as ipaddr from 'ipaddr.js';
import Ajv, { type ValidateFunction } from 'ajv';
import { customResourceDefinitionFor } from '../../charts-ts/custom-resource-definitions';
import type { KubeObject } from '../../constructs/platform-component';

/**
 * Validates a rendered object against the Kubernetes OpenAPI schema of its kind, through
 * the kubernetes-models package (`kubernetes-models/<group>/<version>` exports one class
 * per kind). Throws with the kind, name and schema error.
 */
export function validateKubeObject(object: KubeObject): void {
  const modulePath = `kubernetes-models/${object.apiVersion}`;
  let models: Record<string, new (data: unknown) => { validate(): void }>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    models = require(modulePath);
  } catch {
    throw new Error(`${object.kind} ${object.metadata.name}: no schema for apiVersion ${object.apiVersion}`);
  }
  const Model = models[object.kind];
  if (!Model) throw new Error(`${object.kind} ${object.metadata.name}: no schema for kind ${object.kind} in ${object.apiVersion}`);
  try {
    new Model(object).validate();
  } catch (error) {
    throw new Error(`${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}: ${(error as Error).message}`);
  }
}

const crdValidators = new Map<string, ValidateFunction>();

/**
 * Validates a custom resource against the openAPIV3Schema that its vendored CRD
 * (vendor/crds/, found by the group of its apiVersion and its kind) gives its version.
 */
export function validateCustomResource(object: KubeObject): void {
  const crd = customResourceDefinitionFor(object.apiVersion, object.kind);
  const version = object.apiVersion.slice(object.apiVersion.indexOf('/') + 1);
  const key = `${crd.metadata.name}#${version}`;
  let validate = crdValidators.get(key);
  if (!validate) {
    const served = crd.spec.versions.find((v) => v.name === version && v.served);
    if (!served?.schema) throw new Error(`${object.kind} ${object.metadata.name}: CRD ${crd.metadata.name} serves no version ${version} with a schema`);
    // Go's regexp, which the API server uses, takes (?i) in the pattern for case-insensitive (prometheus-operator's
    // partialResponseStrategy: "^(?i)(abort|warn)?$"): JavaScript takes a flag.
    const regExp = Object.assign((pattern: string, flags: string) => (pattern.includes('(?i)') ? new RegExp(pattern.replace('(?i)', ''), `${flags}i`) : new RegExp(pattern, flags)), { code: 'goRegExp' });
    const ajv = new Ajv({ strict: false, allErrors: true, code: { regExp } });
    // OpenAPI integer formats used by Kubernetes CRDs; other formats are not checked by the API server either.
    for (const format of ['int32', 'int64']) ajv.addFormat(format, { type: 'number', validate: (n: number) => Number.isInteger(n) });
    ajv.addFormat('date-time', { type: 'string', validate: (text: string) => !Number.isNaN(Date.parse(text)) });
    ajv.addFormat('byte', { type: 'string', validate: (text: string) => /^[A-Za-z0-9+/]*={0,2}$/.test(text) });
    ajv.addFormat('ipv4', { type: 'string', validate: (text: string) => ipaddr.IPv4.isValidFourPartDecimal(text) });
    ajv.addFormat('ipv6', { type: 'string', validate: (text: string) => ipaddr.IPv6.isValid(text) });
    validate = ajv.compile(served.schema.openAPIV3Schema);
    crdValidators.set(key, validate);
  }
  if (!(validate as (data: unknown) => boolean)(object)) {
    const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new Error(`${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}: ${errors}`);
  }
}
