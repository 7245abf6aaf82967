import * as fs from 'fs';
import * as path from 'path';
import { loadAll, type YAMLException } from 'js-yaml';
import { PlatformError, formatValue } from '../constructs/platform-error';

/**
 * The upstream CustomResourceDefinitions the platform applies and validates against, kept
 * unchanged in `vendor/crds/<set>/` with their provenance (see vendor/crds/README.md).
 */
export const CRD_SETS = [
  'prometheus-operator-0.93.0',
  'eck-3.5.0',
  'eck-operator-crds-3.5.0',
  'gateway-api-1.6.1',
  'cert-manager-1.19.6',
  'metallb-0.16.1',
  'traefik-helm-chart-41.3.0',
] as const;

/** A vendored CRD set: `<project>-<version>`, a folder under vendor/crds/. */
export type CrdSetName = (typeof CRD_SETS)[number];

/** `cert-manager-1.19.6` -> `{ project: 'cert-manager', version: '1.19.6' }`. */
export function crdSetParts(set: CrdSetName): { readonly project: string; readonly version: string } {
  const match = /^(.+)-v?(\d+\.\d+\.\d+)$/.exec(set);
  if (!match) throw new PlatformError(`custom resource definitions: set ${formatValue(set)} does not end in a version (allowed: <project>-<major>.<minor>.<patch>)`);
  return { project: match[1], version: match[2] };
}

/**
 * Sets the platform installs but does not import as typed bindings: ECK's install CRDs
 * (`eck-operator-crds-3.5.0`) leave the pod templates of Elasticsearch, Kibana and the other
 * kinds open (`x-kubernetes-preserve-unknown-fields`), which keeps each schema small for the
 * API server and for every plan of the base layer, while the complete schemas of four of the
 * same kinds (`eck-3.5.0`) give the bindings and check the platform's resources, pod templates
 * included. `customResourceDefinitionFor` looks in these sets last, so they define only the
 * kinds no other set has.
 */
export const INSTALL_ONLY_CRD_SETS: readonly CrdSetName[] = ['eck-operator-crds-3.5.0'];

/** Where the vendored sets live. */
export const VENDORED_CRDS_DIR = path.resolve(__dirname, '../vendor/crds');

/** One vendored file as `vendor/crds/<set>/PROVENANCE.json` records it. */
export interface VendoredCrdFile {
  /** File name inside the set's folder. */
  readonly file: string;
  /** Path of the same file in the upstream repository at `tag`. */
  readonly upstreamPath: string;
  /** SHA-256 of the file, lower-case hex. */
  readonly sha256: string;
  /** API group the CRD defines. */
  readonly group: string;
  /** Kind the CRD defines. */
  readonly kind: string;
  /**
   * Index of the file's document in `splitFrom.upstreamPath`, for a set split from one
   * multi-document upstream file.
   * @default - the file is an upstream file of its own
   */
  readonly document?: number;
}

/**
 * An upstream patch to one vendored CRD, kept unchanged beside it and applied as a JSON merge
 * patch (RFC 7386) when the CRD is loaded: upstream builds its own install manifests from the
 * same CRD with the same patch (e.g. MetalLB's kustomization adds BGPPeer's conversion webhook).
 */
export interface VendoredCrdPatch {
  /** File name inside the set's folder. */
  readonly file: string;
  /** Path of the same file in the upstream repository at `tag`. */
  readonly upstreamPath: string;
  /** SHA-256 of the file, lower-case hex. */
  readonly sha256: string;
  /** `metadata.name` of the CRD it patches (`bgppeers.metallb.io`). */
  readonly target: string;
}

/** `vendor/crds/<set>/PROVENANCE.json`: where a set comes from, under which licence. */
export interface CrdSetProvenance {
  readonly set: string;
  readonly project: string;
  readonly repository: string;
  readonly version: string;
  readonly tag: string;
  readonly commit: string;
  /** SPDX identifier. */
  readonly licence: string;
  readonly copyright: string;
  /** The upstream licence texts kept beside the files. */
  readonly licenceFiles: readonly { readonly file: string; readonly upstreamPath: string; readonly sha256: string }[];
  readonly files: readonly VendoredCrdFile[];
  /**
   * The one upstream file a set's files are the YAML documents of, when upstream publishes
   * its CRDs as a single multi-document file (ECK's `config/crds/v1/all-crds.yaml`): the
   * files, in `document` order and joined with `---` lines, are that file byte for byte.
   * @default - each file is an upstream file of its own
   */
  readonly splitFrom?: { readonly upstreamPath: string; readonly sha256: string; readonly how: string };
  /** Upstream patches applied to some of `files`, as upstream's own install does. */
  readonly patches?: readonly VendoredCrdPatch[];
}

/** One version a CRD serves, with its schema. */
export interface CrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly storage: boolean;
  readonly schema?: { readonly openAPIV3Schema: Readonly<Record<string, unknown>> };
  readonly [key: string]: unknown;
}

/**
 * A CustomResourceDefinition as the platform applies it: a plain, frozen object without
 * `status` or `metadata.creationTimestamp`, so a `kubernetes_manifest` round trip is clean.
 */
export interface CustomResourceDefinitionObject {
  readonly apiVersion: 'apiextensions.k8s.io/v1';
  readonly kind: 'CustomResourceDefinition';
  readonly metadata: { readonly name: string; readonly [key: string]: unknown };
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string; readonly plural: string; readonly [key: string]: unknown };
    readonly scope: 'Namespaced' | 'Cluster';
    readonly versions: readonly CrdVersion[];
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

const provenanceCache = new Map<CrdSetName, CrdSetProvenance>();
const definitionCache = new Map<string, CustomResourceDefinitionObject>();

/** The provenance record of a vendored set. */
export function crdSetProvenance(set: CrdSetName): CrdSetProvenance {
  if (!(CRD_SETS as readonly string[]).includes(set)) {
    throw new PlatformError(`custom resource definitions: set ${formatValue(set)} is not vendored (allowed: ${CRD_SETS.join(', ')})`);
  }
  let provenance = provenanceCache.get(set);
  if (!provenance) {
    provenance = JSON.parse(fs.readFileSync(path.join(VENDORED_CRDS_DIR, set, 'PROVENANCE.json'), 'utf8')) as CrdSetProvenance;
    provenanceCache.set(set, provenance);
  }
  return provenance;
}

/**
 * Every CustomResourceDefinition of a vendored set, in the order its provenance lists them,
 * ready to apply. Each file is read and parsed once per process, on first use.
 */
export function customResourceDefinitions(set: CrdSetName): readonly CustomResourceDefinitionObject[] {
  return crdSetProvenance(set).files.map((entry) => loadDefinition(set, entry));
}

/**
 * The vendored CustomResourceDefinition that defines `kind` in the group of `apiVersion`
 * (`monitoring.coreos.com/v1`, `ServiceMonitor`): the complete schema where a set with
 * bindings has one, else the one of an install-only set. Only that one file is parsed.
 */
export function customResourceDefinitionFor(apiVersion: string, kind: string): CustomResourceDefinitionObject {
  return vendoredDefinitionFor(apiVersion, kind).definition;
}

/** As `customResourceDefinitionFor`, with the set the definition comes from. */
export function vendoredDefinitionFor(apiVersion: string, kind: string): { readonly set: CrdSetName; readonly definition: CustomResourceDefinitionObject } {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const lookupOrder = [...CRD_SETS.filter((set) => !INSTALL_ONLY_CRD_SETS.includes(set)), ...INSTALL_ONLY_CRD_SETS];
  for (const set of lookupOrder) {
    const entry = crdSetProvenance(set).files.find((file) => file.group === group && file.kind === kind);
    if (entry) return { set, definition: loadDefinition(set, entry) };
  }
  const known = [...new Set(lookupOrder.flatMap((set) => crdSetProvenance(set).files.map((file) => `${file.group}/${file.kind}`)))];
  throw new PlatformError(
    `custom resource definitions: ${formatValue(`${apiVersion} ${kind}`)} is defined by no vendored CRD (allowed: ${known.join(', ')})`,
  );
}

function loadDefinition(set: CrdSetName, entry: VendoredCrdFile): CustomResourceDefinitionObject {
  const file = path.join(VENDORED_CRDS_DIR, set, entry.file);
  let definition = definitionCache.get(file);
  if (!definition) {
    definition = parseCustomResourceDefinition(fs.readFileSync(file, 'utf8'), `vendor/crds/${set}/${entry.file}`, entry);
    for (const patch of crdSetProvenance(set).patches ?? []) {
      if (patch.target !== definition.metadata.name) continue;
      const patchFile = path.join(VENDORED_CRDS_DIR, set, patch.file);
      definition = patchCustomResourceDefinition(definition, fs.readFileSync(patchFile, 'utf8'), `vendor/crds/${set}/${patch.file}`);
    }
    definitionCache.set(file, definition);
  }
  return definition;
}

/**
 * Parses one CRD file (a single YAML document) into the object the platform applies,
 * checking it defines the recorded group and kind. `source` names the file in errors.
 */
export function parseCustomResourceDefinition(text: string, source: string, expected: { readonly group: string; readonly kind: string }): CustomResourceDefinitionObject {
  const object = parseOneDefinitionDocument(text, source, 'one CustomResourceDefinition');
  const spec = (object.spec ?? {}) as { group?: unknown; names?: { kind?: unknown } };
  if (spec.group !== expected.group || spec.names?.kind !== expected.kind) {
    throw new PlatformError(
      `${source}: spec.group/spec.names.kind: ${formatValue(`${String(spec.group)}/${String(spec.names?.kind)}`)} is not what its provenance records (allowed: ${formatValue(`${expected.group}/${expected.kind}`)})`,
    );
  }
  const { creationTimestamp: _creationTimestamp, ...metadata } = object.metadata ?? {};
  const { status: _status, ...rest } = object;
  return deepFreeze({ ...rest, metadata }) as CustomResourceDefinitionObject;
}

/**
 * Applies an upstream patch file (one CustomResourceDefinition document naming the CRD it
 * patches) to a parsed CRD as a JSON merge patch (RFC 7386): maps merge, anything else,
 * lists included, replaces, and `null` removes. Returns a new frozen object. `source` names
 * the patch file in errors.
 */
export function patchCustomResourceDefinition(definition: CustomResourceDefinitionObject, patchText: string, source: string): CustomResourceDefinitionObject {
  const patch = parseOneDefinitionDocument(patchText, source, 'one CustomResourceDefinition patch');
  if (patch.metadata?.name !== definition.metadata.name) {
    throw new PlatformError(
      `${source}: metadata.name: ${formatValue(String(patch.metadata?.name))} is not the CRD its provenance patches (allowed: ${formatValue(definition.metadata.name)})`,
    );
  }
  return deepFreeze(mergePatch(definition, patch)) as CustomResourceDefinitionObject;
}

type ParsedDocument = { apiVersion?: unknown; kind?: unknown; metadata?: Record<string, unknown>; spec?: Record<string, unknown>; status?: unknown };

function parseOneDefinitionDocument(text: string, source: string, allowed: string): ParsedDocument {
  // js-yaml parses a CRD about five times faster than the `yaml` package, which matters at
  // every synth; the vendored files are pinned by checksum (see the provenance test).
  let objects: unknown[];
  try {
    objects = loadAll(text, undefined, { json: true }).filter((object) => object !== null && object !== undefined);
  } catch (error) {
    const problem = error as YAMLException;
    throw new PlatformError(`${source}:${problem.mark.line + 1}:${problem.mark.column + 1}: is not valid YAML: ${problem.reason} (allowed: ${allowed})`);
  }
  if (objects.length !== 1) {
    throw new PlatformError(`${source}: holds ${objects.length} documents (allowed: exactly ${allowed})`);
  }
  const object = objects[0] as ParsedDocument;
  if (object.apiVersion !== 'apiextensions.k8s.io/v1' || object.kind !== 'CustomResourceDefinition') {
    throw new PlatformError(
      `${source}: apiVersion/kind: ${formatValue(`${String(object.apiVersion)} ${String(object.kind)}`)} is not a CRD (allowed: "apiextensions.k8s.io/v1 CustomResourceDefinition")`,
    );
  }
  return object;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** RFC 7386 JSON merge patch; builds new objects, leaving `target` as it is. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
