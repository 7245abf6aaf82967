/** The namespaces of a site's baseline, by role. */
export const NAMESPACE_ROLES = ['platform', 'data', 'security', 'observability', 'node-agents', 'apps'] as const;
export type NamespaceRole = (typeof NAMESPACE_ROLES)[number];

/** Namespace names by role: `lms-<role>`. Stable: stacks of later layers rely on them. */
export function siteNamespaces(): Readonly<Record<NamespaceRole, string>> {
  return Object.fromEntries(NAMESPACE_ROLES.map((role) => [role, `lms-${role}`])) as Record<NamespaceRole, string>;
}
