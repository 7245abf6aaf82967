import * as fs from 'fs';
import * as path from 'path';
import { AUDIT_PACKS } from '../../../policy/audit/audit';
import { cronIntervalMinutes, helmValueImages, inCluster, readableMinutes, urlsIn } from '../../../policy/audit/facts';
import { parsePlan, vaultPolicyPaths } from '../../../policy/audit/plan';
import { elasticsearchScheduleMinutes } from '../../../policy/audit/recovery-evidence';
import { secretValues } from '../../../policy/audit/rules/no-secret-values';
import { PROJECT_ROOT } from '../../support/environments';

describe('audit facts', () => {
  test.each([
    ['*/15 * * * *', 15],
    ['5-59/15 * * * *', 15],
    ['47 * * * *', 60],
    ['45 */6 * * *', 360],
    ['30 1 * * *', 1440],
    ['0 0 1 1 *', undefined],
    ['*/7 * * * *', undefined],
    ['30 1 */2 * *', undefined],
    ['15 1,13 * * *', undefined],
    [42, undefined],
  ] as const)('cron schedule %p runs every %p minutes', (schedule, minutes) => {
    expect(cronIntervalMinutes(schedule)).toBe(minutes);
  });

  test('Elasticsearch snapshot schedules are Quartz cron', () => {
    expect(elasticsearchScheduleMinutes('0 15 * * * ?')).toBe(60);
    expect(elasticsearchScheduleMinutes('0 30 1 * * ?')).toBe(1440);
    expect(elasticsearchScheduleMinutes('0 30 1 ? * MON')).toBeUndefined();
  });

  test('readable minutes', () => {
    expect([0, 15, 60, 157, 1440, 1500].map(readableMinutes)).toEqual(['0 min', '15 min', '1 h', '2 h 37 min', '1 d', '1 d 1 h']);
  });

  test('hosts inside a site', () => {
    expect(['minio', 'minio.lms-data.svc', 'minio.lms-data.svc.cluster.local', 'vault-0.vault-internal', '10.20.240.8', '192.168.1.1', '127.0.0.1', 'localhost'].filter((host) => !inCluster(host))).toEqual([]);
    expect(['storage.googleapis.com', 's3.amazonaws.com', 'minio.prod.kitwe.lms.co.zm', '8.8.8.8', '172.32.0.1'].filter(inCluster)).toEqual([]);
  });

  test('URLs in values, user info and ports dropped, templates skipped', () => {
    expect(urlsIn({ a: ['x https://$USER@minio.prod.kitwe.lms.co.zm:9000/b y'], b: 'http://{{ .host }}/x', c: 's3://minio.lms-data.svc.cluster.local:9000/sql-backups', d: 'ftp://old.example.com' })).toEqual([
      { scheme: 'https', host: 'minio.prod.kitwe.lms.co.zm', url: 'https://$USER@minio.prod.kitwe.lms.co.zm', path: 'a[0]' },
      { scheme: 's3', host: 'minio.lms-data.svc.cluster.local', url: 's3://minio.lms-data.svc.cluster.local', path: 'c' },
    ]);
  });

  test('images in Helm values, as strings and as registry/repository/tag/digest blocks', () => {
    expect(
      helmValueImages({
        image: 'registry.lms.co.zm/a:1@sha256:' + 'a'.repeat(64),
        grafana: { image: { registry: 'registry.lms.co.zm', repository: 'grafana/grafana', tag: '13.2.0', sha: 'b'.repeat(64) } },
        agent: { repository: 'registry.lms.co.zm/hashicorp/vault', tag: '2.0.4@sha256:' + 'c'.repeat(64) },
        ksm: { image: { registry: 'registry.lms.co.zm', repository: 'ksm', tag: 'v2', sha: 'sha256:' + 'd'.repeat(64) } },
        notAnImage: { repository: 'https://charts.example', path: 'x' },
      }),
    ).toEqual([
      { image: `registry.lms.co.zm/hashicorp/vault:2.0.4@sha256:${'c'.repeat(64)}`, path: 'agent' },
      { image: `registry.lms.co.zm/grafana/grafana:13.2.0@sha256:${'b'.repeat(64)}`, path: 'grafana.image' },
      { image: `registry.lms.co.zm/a:1@sha256:${'a'.repeat(64)}`, path: 'image' },
      { image: `registry.lms.co.zm/ksm:v2@sha256:${'d'.repeat(64)}`, path: 'ksm.image' },
    ]);
  });

  test('secret values: literals under secret names, private keys and passwords in URLs; references are not values', () => {
    const found = secretValues(
      {
        env: [
          { name: 'DB_PASSWORD', value: 'hunter2' },
          { name: 'DB_PASSWORD_FILE', value: '/vault/secrets/db' },
          { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'x', key: 'token' } } },
        ],
        annotations: { 'vault.hashicorp.com/agent-inject-secret-db-password': 'kv/data/prod/db' },
        adminPassword: 'admin',
        existingSecret: 'grafana-admin',
        certsSecret: 'webhook-certs',
        token: '${var.token}',
        template: '{{ .Data.data.password }}',
        key: '-----BEGIN RSA PRIVATE KEY-----\nMIIB...',
        url: 'https://user:pa55@minio.example',
      },
      'values',
    );
    expect(found.map((violation) => [violation.path, violation.value])).toEqual([
      ['values.adminPassword', '<literal>'],
      ['values.env[0].value', 'DB_PASSWORD=<literal>'],
      ['values.key', '<a PEM private key>'],
      ['values.url', '<a URL with a literal password>'],
    ]);
  });

  test('Vault policy paths', () => {
    expect(vaultPolicyPaths('# x\npath "kv/data/p/a" {\n  capabilities = ["read", "list"]\n}\n\npath "kv/metadata/p/a" { capabilities = ["read"] }\n')).toEqual([
      { path: 'kv/data/p/a', capabilities: ['read', 'list'] },
      { path: 'kv/metadata/p/a', capabilities: ['read'] },
    ]);
  });

  test('a plan that cannot be read is an error naming the file', () => {
    expect(() => parsePlan([])).toThrow('synthesized plan: no stacks/<stack>/cdk.tf.json found (allowed: the output folder of `npm run synth`; run `npm run synth` first)');
    expect(() => parsePlan([{ path: 'stacks/prod-mars-base/cdk.tf.json', text: '{}' }])).toThrow('stacks/prod-mars-base/cdk.tf.json: stack name "prod-mars-base" is not <environment>-<site>-<layer> (allowed sites: lusaka, kitwe)');
    expect(() => parsePlan([{ path: 'stacks/dev-lusaka-base/cdk.tf.json', text: '[]' }])).toThrow('stacks/dev-lusaka-base/cdk.tf.json: [] is not a Terraform JSON object');
  });
});

describe('policy/audit/ layout', () => {
  test('one rule per file under policy/audit/rules/, the file named after the check it exports, every one in a pack', () => {
    const folder = path.join(PROJECT_ROOT, 'policy', 'audit', 'rules');
    const files = fs.readdirSync(folder).sort();
    const packed = new Set(AUDIT_PACKS.flatMap((pack) => pack.rules.map((rule) => rule.check)));
    const camelCase = (kebab: string) => kebab.replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
    for (const file of files) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = require(path.join(folder, file)) as Record<string, unknown>;
      expect([file, Object.entries(exported).filter(([, value]) => packed.has(value as never)).map(([name]) => name)]).toEqual([file, [camelCase(file.replace(/\.ts$/, ''))]]);
    }
    expect(files).toHaveLength(packed.size);
  });
});
