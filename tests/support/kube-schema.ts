import * as fs from 'fs';
import * as path from 'path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
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

/** The upstream CRDs kept beside the project (see shared/README.md). */
export const SHARED_CRDS = path.resolve(__dirname, '../../../shared/crds');

const crdValidators = new Map<string, ValidateFunction>();

/**
 * Validates a custom resource against the openAPIV3Schema of its CRD in ../shared/crds.
 * Throws, saying what is needed, when ../shared is absent.
 */
export function validateCustomResource(object: KubeObject, crdFile: string): void {
  const file = path.join(SHARED_CRDS, crdFile);
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: these tests need the upstream CRDs in ../shared/crds beside the project (see shared/README.md)`);
  }
  const [group, version] = object.apiVersion.split('/');
  const key = `${file}#${version}`;
  let validate = crdValidators.get(key);
  if (!validate) {
    const crd = parseYaml(fs.readFileSync(file, 'utf8')) as {
      spec: { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: object } }[] };
    };
    if (crd.spec.group !== group) throw new Error(`${crdFile} defines group ${crd.spec.group}, not ${group}`);
    if (crd.spec.names.kind !== object.kind) throw new Error(`${crdFile} defines kind ${crd.spec.names.kind}, not ${object.kind}`);
    const served = crd.spec.versions.find((v) => v.name === version);
    if (!served) throw new Error(`${crdFile} serves no version ${version}`);
    const ajv = new Ajv({ strict: false, allErrors: true });
    // OpenAPI integer formats used by Kubernetes CRDs; other formats are not checked by the API server either.
    for (const format of ['int32', 'int64']) ajv.addFormat(format, { type: 'number', validate: (n: number) => Number.isInteger(n) });
    ajv.addFormat('date-time', { type: 'string', validate: (text: string) => !Number.isNaN(Date.parse(text)) });
    validate = ajv.compile(served.schema.openAPIV3Schema);
    crdValidators.set(key, validate);
  }
  if (!(validate as (data: unknown) => boolean)(object)) {
    const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new Error(`${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}: ${errors}`);
  }
}
