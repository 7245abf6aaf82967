import { judge } from '../../objects';
import { subject } from '../facts';
import { compare } from '../plan';
import type { AuditCheck } from '../types';

/**
 * Lists, for review, every Vault secret path (`.../data/...`) that more than one workload's
 * role may read at a site: each such grant should be one the reviewer expects (a setup Job
 * reading the login it creates, the users Job reading the keys it installs).
 */
export const vaultSecretsShared: AuditCheck = (plan) =>
  plan.stacks.flatMap((stack) => {
    const readersByPath = new Map<string, Set<string>>();
    for (const policy of stack.vaultPolicies) {
      const roles = stack.vaultRoles.filter((role) => role.policies.includes(policy.name));
      for (const rule of policy.paths.filter((candidate) => candidate.path.includes('/data/') && candidate.capabilities.includes('read'))) {
        const readers = readersByPath.get(rule.path) ?? new Set<string>();
        for (const role of roles) for (const namespace of role.namespaces) for (const account of role.serviceAccounts) readers.add(`${namespace}/${account}`);
        readersByPath.set(rule.path, readers);
      }
    }
    return [...readersByPath.entries()]
      .sort(([a], [b]) => compare(a, b))
      .flatMap(([secretPath, readers]) =>
        judge(subject('VaultSecret', secretPath, stack.name), readers.size > 1 ? [{ path: 'readers', value: [...readers].sort(compare).join(', '), allowed: 'one reader, or several the reviewer expects' }] : []),
      );
  });
