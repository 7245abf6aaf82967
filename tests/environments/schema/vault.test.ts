import { ENVIRONMENTS, problemsAfter } from '../../support/environments';

const FILE = 'environments/production.ts';

describe('environment vault: unseal choice, servers per site, snapshot schedule', () => {
  test('every environment chooses Shamir unseal with a custodian per share; production runs three servers', () => {
    const settings = Object.fromEntries(ENVIRONMENTS.map((env) => [env.name, JSON.parse(JSON.stringify(env.vault))]));
    expect(settings).toEqual({
      dev: { unseal: { kind: 'shamir', keyShares: 1, keyThreshold: 1, custodians: ['platform-engineer-on-call'] }, replicas: 1, snapshotSchedule: '0 */6 * * *', volumes: { data: '2Gi', audit: '1Gi' } },
      staging: { unseal: { kind: 'shamir', keyShares: 3, keyThreshold: 2, custodians: ['platform-lead', 'security-officer', 'operations-manager'] }, replicas: 3, snapshotSchedule: '0 * * * *', volumes: { data: '5Gi', audit: '1Gi' } },
      production: {
        unseal: {
          kind: 'shamir',
          keyShares: 5,
          keyThreshold: 3,
          custodians: ['chief-information-security-officer', 'head-of-it-operations', 'platform-lead', 'risk-manager', 'internal-audit-lead'],
        },
        replicas: 3,
        snapshotSchedule: '*/15 * * * *',
        volumes: { data: '10Gi', audit: '5Gi' },
      },
    });
  });

  test('an environment that does not choose how Vault is unsealed', () => {
    expect(problemsAfter((env) => delete env.vault.unseal)).toEqual([`${FILE}: vault.unseal: is required (allowed: an object with kind shamir, transit)`]);
    expect(problemsAfter((env) => delete env.vault)).toEqual([`${FILE}: vault: is required (allowed: an object with unseal, replicas, snapshotSchedule, volumes)`]);
  });

  test('a volume size that is not a whole number of Mi, Gi or Ti', () => {
    expect(problemsAfter((env) => (env.vault.volumes.data = '10GB'))).toEqual([`${FILE}: vault.volumes.data: "10GB" is not a volume size (allowed: a whole number of Mi, Gi or Ti, e.g. "10Gi")`]);
  });

  test('an unseal kind that is neither choice (a public cloud KMS)', () => {
    expect(problemsAfter((env) => (env.vault.unseal = { kind: 'awskms', region: 'af-south-1' }))).toEqual([
      `${FILE}: vault.unseal.kind: "awskms" is not a Vault unseal kind (allowed: shamir, transit)`,
    ]);
  });

  test('a threshold above the shares, fewer custodians than shares, a custodian twice', () => {
    expect(problemsAfter((env) => (env.vault.unseal = { kind: 'shamir', keyShares: 3, keyThreshold: 4, custodians: ['a', 'b', 'b'] }))).toEqual([
      `${FILE}: vault.unseal.keyThreshold: 4 is more than keyShares 3 (allowed: a threshold no larger than the number of shares)`,
      `${FILE}: vault.unseal.custodians[2]: "b" is listed twice (allowed: each custodian once)`,
    ]);
    expect(problemsAfter((env) => (env.vault.unseal = { kind: 'shamir', keyShares: 5, keyThreshold: 3, custodians: ['a', 'b'] }))).toEqual([
      `${FILE}: vault.unseal.custodians: 2 custodians for 5 shares (allowed: at least one custodian per share, so no one holds two)`,
    ]);
  });

  test('transit unseal: an in-country https endpoint, a key name and a mount path; no token in the file', () => {
    expect(problemsAfter((env) => (env.vault.unseal = { kind: 'transit', address: 'https://unseal.lms.co.zm:8200', keyName: 'lms-production-unseal', mountPath: 'transit', addressBlocks: ['10.60.0.0/28'] }))).toEqual([]);
    expect(problemsAfter((env) => (env.vault.unseal = { kind: 'transit', address: 'https://kms.example.com', keyName: 'Key_1', mountPath: '/transit/', addressBlocks: ['10.60.0.0/28'], token: 's.abc' }))).toEqual([
      `${FILE}: vault.unseal.address: "https://kms.example.com" is not an approved in-country endpoint (allowed: https://<host in *.lms.co.zm>)`,
      `${FILE}: vault.unseal.keyName: "Key_1" is not a DNS label (allowed: lower-case letters, digits and "-", starting with a letter, at most 63 characters)`,
      `${FILE}: vault.unseal.mountPath: "/transit/" is not a Vault mount path (allowed: lower-case segments of letters, digits, "-" and "_" separated by "/", e.g. "transit")`,
      `${FILE}: vault.unseal.token: unknown key (allowed: kind, address, keyName, mountPath, addressBlocks)`,
    ]);
  });

  test('a Raft cluster of even size, one server in production, a schedule that is not cron', () => {
    expect(problemsAfter((env) => (env.vault.replicas = 2))).toEqual([`${FILE}: vault.replicas: 2 is not a Raft cluster size (allowed: 1, 3 or 5)`]);
    expect(problemsAfter((env) => (env.vault.replicas = 1))).toEqual([
      `${FILE}: vault.replicas: 1 loses Vault with one node (allowed in production: 3 or 5, a Raft quorum that survives a node failure)`,
    ]);
    expect(problemsAfter((env) => (env.vault.replicas = 1), 'dev')).toEqual([]);
    expect(problemsAfter((env) => (env.vault.snapshotSchedule = 'hourly'))).toEqual([
      `${FILE}: vault.snapshotSchedule: "hourly" is not a cron schedule (allowed: five fields "minute hour day-of-month month day-of-week" of numbers, ranges, lists, steps and *, e.g. "0 * * * *")`,
    ]);
  });
});
