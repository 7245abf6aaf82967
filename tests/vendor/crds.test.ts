import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { CRD_SETS, INSTALL_ONLY_CRD_SETS, VENDORED_CRDS_DIR, crdSetProvenance, type CrdSetName } from '../../charts-ts/custom-resource-definitions';
import { PROJECT_ROOT } from '../support/tools';

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

test('vendor/crds holds exactly the sets the platform names', () => {
  const folders = fs.readdirSync(VENDORED_CRDS_DIR, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  expect(folders.map((entry) => entry.name).sort()).toEqual([...CRD_SETS].sort());
});

describe.each(CRD_SETS.map((set) => [set] as const))('vendor/crds/%s', (set: CrdSetName) => {
  const folder = path.join(VENDORED_CRDS_DIR, set);
  const provenance = crdSetProvenance(set);

  test('PROVENANCE.json names the set, its upstream tag and commit, and a licence', () => {
    expect(provenance.set).toBe(set);
    expect(set).toBe(`${set.slice(0, set.lastIndexOf('-'))}-${provenance.version}`);
    expect(provenance.tag).toBe(`v${provenance.version}`);
    expect(provenance.repository).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
    expect(provenance.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(['Apache-2.0', 'Elastic-2.0']).toContain(provenance.licence);
    expect(provenance.licenceFiles.length).toBeGreaterThan(0);
  });

  test('every file in the folder is recorded, and every recorded file is there', () => {
    const recorded = [...provenance.files, ...provenance.licenceFiles, ...(provenance.patches ?? [])].map((entry) => entry.file).concat('PROVENANCE.json');
    expect(fs.readdirSync(folder).sort()).toEqual(recorded.sort());
  });

  test.each(provenance.files.map((entry) => [entry.file, entry] as const))('%s matches its recorded SHA-256, group and kind', (file, entry) => {
    // An upstream file of its own, or one document (by index) of the file the set is split from.
    const split = provenance.splitFrom !== undefined;
    expect({ ownFile: entry.upstreamPath.endsWith(`/${file}`), document: typeof entry.document, splitFrom: entry.upstreamPath === provenance.splitFrom?.upstreamPath }).toEqual({
      ownFile: !split,
      document: split ? 'number' : 'undefined',
      splitFrom: split,
    });
    expect({ file, sha256: sha256(path.join(folder, file)) }).toEqual({ file, sha256: entry.sha256 });
    // Strict parse (duplicate keys are errors), as the runtime parse skips that check.
    const documents = parseAllDocuments(fs.readFileSync(path.join(folder, file), 'utf8'));
    expect(Array.isArray(documents) && documents.flatMap((document) => [...document.errors, ...document.warnings])).toEqual([]);
    const crd = (documents as { toJSON(): unknown }[]).map((document) => document.toJSON()) as {
      apiVersion: string;
      kind: string;
      metadata: { name: string };
      spec: { group: string; names: { kind: string; plural: string } };
    }[];
    expect(crd).toHaveLength(1);
    expect({ apiVersion: crd[0].apiVersion, kind: crd[0].kind, group: crd[0].spec.group, crdKind: crd[0].spec.names.kind, name: crd[0].metadata.name }).toEqual({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      group: entry.group,
      crdKind: entry.kind,
      name: `${crd[0].spec.names.plural}.${entry.group}`,
    });
  });

  test('the licence files match their recorded SHA-256', () => {
    for (const entry of provenance.licenceFiles) {
      expect({ file: entry.file, sha256: sha256(path.join(folder, entry.file)) }).toEqual({ file: entry.file, sha256: entry.sha256 });
    }
  });
});

describe('sets split from one upstream multi-document file', () => {
  const split = CRD_SETS.filter((set) => crdSetProvenance(set).splitFrom !== undefined);

  test('are the ones whose upstream publishes a single file', () => {
    expect(split).toEqual(['eck-operator-crds-3.5.0']);
  });

  test.each(split.map((set) => [set] as const))('%s: its files, in document order joined with "---" lines, are the upstream file byte for byte', (set) => {
    const provenance = crdSetProvenance(set);
    const folder = path.join(VENDORED_CRDS_DIR, set);
    expect(provenance.files.map((entry) => entry.document)).toEqual(provenance.files.map((_, index) => index));
    const joined = Buffer.concat(provenance.files.flatMap((entry, index) => [...(index === 0 ? [] : [Buffer.from('---\n')]), fs.readFileSync(path.join(folder, entry.file))]));
    expect(createHash('sha256').update(joined).digest('hex')).toBe(provenance.splitFrom!.sha256);
    // Each named as upstream's per-kind files are: <group>_<plural>.yaml.
    const names = provenance.files.map((entry) => {
      const crd = parseYaml(fs.readFileSync(path.join(folder, entry.file), 'utf8'), { uniqueKeys: false }) as { spec: { names: { plural: string } } };
      return { file: entry.file, named: `${entry.group}_${crd.spec.names.plural}.yaml` };
    });
    expect(names.filter((name) => name.file !== name.named)).toEqual([]);
  });
});

describe('upstream patches to vendored CRDs', () => {
  const patches = CRD_SETS.flatMap((set) => (crdSetProvenance(set).patches ?? []).map((patch) => ({ set, ...patch })));

  test('are the ones upstream applies in its own install manifests', () => {
    expect(patches.map((patch) => `${patch.set}/${patch.file} -> ${patch.target}`)).toEqual(['metallb-0.16.1/crd-conversion-patch-bgppeers.yaml -> bgppeers.metallb.io']);
  });

  test.each(patches.map((patch) => [`${patch.set}/${patch.file}`, patch] as const))('%s matches its recorded SHA-256 and patches a CRD of its set', (_, patch) => {
    const folder = path.join(VENDORED_CRDS_DIR, patch.set);
    const names = crdSetProvenance(patch.set).files.map(
      (entry) => (parseYaml(fs.readFileSync(path.join(folder, entry.file), 'utf8'), { uniqueKeys: false }) as { metadata: { name: string } }).metadata.name,
    );
    expect(patch.upstreamPath.endsWith(`/${patch.file}`)).toBe(true);
    expect({ sha256: sha256(path.join(folder, patch.file)), targetInSet: names.includes(patch.target) }).toEqual({ sha256: patch.sha256, targetInSet: true });
  });
});

describe('typed bindings (charts-ts/imports)', () => {
  const config = parseYaml(fs.readFileSync(path.join(PROJECT_ROOT, 'cdk8s.yaml'), 'utf8')) as { importDirectory: string; imports: string[] };
  // cdk8s writes one module per API group, named `<group>.ts`, or `<NAME>-<group>.ts` for an
  // import spec `NAME:=file`: files sharing a group need a NAME, or each overwrites the last.
  const imports = config.imports.map((spec) => {
    const at = spec.indexOf(':=');
    const source = at < 0 ? spec : spec.slice(at + 2);
    const entry = CRD_SETS.flatMap((set) => crdSetProvenance(set).files.map((file) => ({ set, ...file }))).find(
      (file) => `vendor/crds/${file.set}/${file.file}` === source,
    );
    return { spec, source, entry, module: entry && (at < 0 ? `${entry.group}.ts` : `${spec.slice(0, at)}-${entry.group}.ts`) };
  });

  test('cdk8s.yaml imports every vendored CRD but those of install-only sets into charts-ts/imports, one module each', () => {
    expect(config.importDirectory).toBe('charts-ts/imports');
    const vendored = CRD_SETS.filter((set) => !INSTALL_ONLY_CRD_SETS.includes(set)).flatMap((set) => crdSetProvenance(set).files.map((entry) => `vendor/crds/${set}/${entry.file}`));
    expect(imports.map((spec) => spec.source).sort()).toEqual(vendored.sort());
    const modules = imports.map((spec) => spec.module);
    expect(new Set(modules).size).toBe(modules.length);
    expect(fs.readdirSync(path.join(PROJECT_ROOT, config.importDirectory)).sort()).toEqual([...modules].sort());
  });

  test("ECK's install set: its four kinds with bindings have complete schemas in eck-3.5.0, the eight the platform does not write have none", () => {
    const withBindings = new Set(CRD_SETS.filter((set) => !INSTALL_ONLY_CRD_SETS.includes(set)).flatMap((set) => crdSetProvenance(set).files.map((entry) => `${entry.group}/${entry.kind}`)));
    expect(INSTALL_ONLY_CRD_SETS).toEqual(['eck-operator-crds-3.5.0']);
    const installOnly = crdSetProvenance('eck-operator-crds-3.5.0').files.map((entry) => `${entry.group}/${entry.kind}`);
    expect(installOnly.filter((kind) => withBindings.has(kind))).toEqual([
      'beat.k8s.elastic.co/Beat',
      'elasticsearch.k8s.elastic.co/Elasticsearch',
      'kibana.k8s.elastic.co/Kibana',
      'logstash.k8s.elastic.co/Logstash',
    ]);
    expect(installOnly.filter((kind) => !withBindings.has(kind))).toEqual([
      'agent.k8s.elastic.co/Agent',
      'apm.k8s.elastic.co/ApmServer',
      'autoops.k8s.elastic.co/AutoOpsAgentPolicy',
      'maps.k8s.elastic.co/ElasticMapsServer',
      'autoscaling.k8s.elastic.co/ElasticsearchAutoscaler',
      'enterprisesearch.k8s.elastic.co/EnterpriseSearch',
      'packageregistry.k8s.elastic.co/PackageRegistry',
      'stackconfigpolicy.k8s.elastic.co/StackConfigPolicy',
    ]);
  });

  test('the install CRDs of the kinds with bindings serve and store the same versions as the complete schemas', () => {
    for (const entry of crdSetProvenance('eck-operator-crds-3.5.0').files.filter((file) => crdSetProvenance('eck-3.5.0').files.some((full) => full.group === file.group && full.kind === file.kind))) {
      const versions = (set: CrdSetName) => {
        const file = crdSetProvenance(set).files.find((candidate) => candidate.group === entry.group && candidate.kind === entry.kind)!.file;
        const crd = parseYaml(fs.readFileSync(path.join(VENDORED_CRDS_DIR, set, file), 'utf8'), { uniqueKeys: false }) as { spec: { versions: { name: string; served: boolean; storage: boolean }[] } };
        // The install CRD of Elasticsearch also lists v1alpha1, neither served nor stored (for clusters created by old releases).
        return crd.spec.versions.filter((version) => version.served || version.storage).map((version) => `${version.name} served=${version.served} storage=${version.storage}`);
      };
      expect({ kind: entry.kind, versions: versions('eck-operator-crds-3.5.0') }).toEqual({ kind: entry.kind, versions: versions('eck-3.5.0') });
    }
  });

  // cdk8s names the class of a CRD's first listed version after its kind (`HTTPRoute` ->
  // `HttpRoute`) and appends the version to the others' (`BgpPeerV1Beta2`).
  test.each(imports.map((spec) => [spec.spec, spec] as const))('%s: the module declares one class per version of its kind, in the order the CRD lists them', (_, { entry, module }) => {
    const crd = parseYaml(fs.readFileSync(path.join(VENDORED_CRDS_DIR, entry!.set, entry!.file), 'utf8'), { uniqueKeys: false }) as {
      spec: { versions: { name: string }[] };
    };
    const source = fs.readFileSync(path.join(PROJECT_ROOT, config.importDirectory, module!), 'utf8');
    const declared = [
      ...source.matchAll(/^export class \w+ extends ApiObject \{\n(?: {2}.*\n)*? {2}public static readonly GVK: GroupVersionKind = \{\n {4}apiVersion: '([^']+)',\n {4}kind: '([^']+)',\n/gm),
    ].map(([, apiVersion, kind]) => `${apiVersion} ${kind}`);
    expect(declared).toEqual(crd.spec.versions.map((version) => `${entry!.group}/${version.name} ${entry!.kind}`));
  });

  test('are exactly what `npm run import:crds` generates from the vendored CRDs', () => {
    let cli: string;
    try {
      cli = path.join(path.dirname(require.resolve('cdk8s-cli/package.json', { paths: [PROJECT_ROOT] })), 'bin/cdk8s');
    } catch {
      throw new Error('cdk8s-cli is not in node_modules: it is a devDependency of the project, so `npm ci` installs it');
    }
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-cdk8s-import-'));
    try {
      const result = spawnSync(process.execPath, [cli, 'import', '--no-check-upgrade', '--no-save', '--output', outdir], {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
      });
      expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({ status: 0, stderr: '' });
      const committed = path.join(PROJECT_ROOT, config.importDirectory);
      expect(fs.readdirSync(outdir).sort()).toEqual(fs.readdirSync(committed).sort());
      for (const file of fs.readdirSync(outdir)) {
        const same = fs.readFileSync(path.join(outdir, file)).equals(fs.readFileSync(path.join(committed, file)));
        expect({ file, same }).toEqual({ file, same: true });
      }
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
