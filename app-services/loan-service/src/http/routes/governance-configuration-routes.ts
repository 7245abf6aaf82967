import { z } from 'zod';
import type { Identity, Role } from '../../auth/identity';
import { type AuthorityMatrix, authorityMatrixSchema, visibleAuthorityRules } from '../../domain/authority-matrix';
import { type BranchDirectory, branchDirectorySchema, visibleBranches } from '../../domain/branch-directory';
import { RISK_GRADES_KEY, SINGLE_KEY } from '../../domain/business-configuration-service';
import { complianceSettingsSchema } from '../../domain/compliance-settings';
import { NotFoundError } from '../../domain/domain-errors';
import type { ConfigType } from '../../repositories/config-version-repository';
import {
  configDiffSchema,
  configVersionSchema,
  diffQuerySchema,
  productVersionParamsSchema,
  rejectionSchema,
  riskGradesVersionParamsSchema,
} from '../api-schemas';
import { presentConfigVersion } from '../presenters';
import type { RouteDependencies } from '../route-dependencies';

const TAG = 'business configuration';
const versionList = z.object({ items: z.array(configVersionSchema) });
const ERRORS = {
  400: { description: 'Invalid input; `issues` lists each field.' },
  401: { description: 'No or invalid identity.' },
  403: { description: 'Missing role, or the proposer tries to decide (maker-checker).' },
  404: { description: 'No such version.' },
  409: { description: 'A proposal is already pending, or the version was already decided.' },
} as const;

/** Roles that see every branch's configuration and the version history of branch-specific configuration. */
export const OVERSEEING_ROLES = ['config_admin', 'head_office'] as const satisfies readonly Role[];

/** One configuration of which there is a single, versioned instance. */
interface SingleConfiguration {
  readonly type: ConfigType;
  /** URL base, e.g. `/v1/authority-matrix`. */
  readonly base: string;
  readonly description: string;
  readonly schema: z.ZodType;
  /** Who may read the version in force. @default - any authenticated caller */
  readonly readRoles?: readonly Role[];
  /** Who may read every version and the diffs (which show every branch). @default - any authenticated caller */
  readonly historyRoles?: readonly Role[];
  /** The part of the payload in force the caller may see. @default - all of it */
  readonly visiblePart?: (identity: Identity, payload: unknown) => unknown;
}

/** The approval authority matrix, the branch directory and the compliance settings. */
export const SINGLE_CONFIGURATIONS: readonly SingleConfiguration[] = [
  {
    type: 'authority_matrix', base: '/v1/authority-matrix', description: 'approval authority matrix', schema: authorityMatrixSchema,
    readRoles: ['credit_manager', ...OVERSEEING_ROLES], historyRoles: OVERSEEING_ROLES,
    visiblePart: (identity, payload) => ({ rules: visibleAuthorityRules(identity, payload as AuthorityMatrix) }),
  },
  {
    type: 'branches', base: '/v1/branches', description: 'branch directory', schema: branchDirectorySchema, historyRoles: OVERSEEING_ROLES,
    visiblePart: (identity, payload) => ({ branches: visibleBranches(identity, payload as BranchDirectory) }),
  },
  { type: 'compliance', base: '/v1/compliance-settings', description: 'compliance settings', schema: complianceSettingsSchema },
];

/**
 * The approval authority matrix, branches and compliance settings (read in force, list versions,
 * propose, approve, reject, diff), and the diff of loan product and risk-grade versions.
 */
export function registerGovernanceConfigurationRoutes({ app, routes, configuration }: RouteDependencies): void {
  for (const single of SINGLE_CONFIGURATIONS) {
    const { type, base, description } = single;
    const readAccess = single.readRoles === undefined ? {} : { roles: single.readRoles };
    const historyAccess = single.historyRoles === undefined ? {} : { roles: single.historyRoles };
    routes.add(app, {
      method: 'GET', url: base, tag: TAG, authenticated: true, ...readAccess,
      summary: `Get the ${description} in force${single.visiblePart === undefined ? '' : " (business users: their branches' part)"}.`,
      responses: { 200: { description: 'The approved version in force.', schema: configVersionSchema }, 401: ERRORS[401], 403: ERRORS[403], 404: { description: 'None approved yet.' } },
      handler: async ({ identity }) => {
        const current = await configuration.findCurrent(type, SINGLE_KEY);
        if (current === undefined) throw new NotFoundError(`no ${description} has been approved yet`);
        const presented = presentConfigVersion(current);
        return single.visiblePart === undefined ? presented : { ...presented, payload: single.visiblePart(identity, current.payload) };
      },
    });
    routes.add(app, {
      method: 'GET', url: `${base}/versions`, tag: TAG, authenticated: true, ...historyAccess,
      summary: `List every version of the ${description} with who proposed and decided it.`,
      responses: { 200: { description: 'Versions, oldest first.', schema: versionList }, 401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404] },
      handler: async () => ({ items: (await configuration.listVersions(type, SINGLE_KEY)).map(presentConfigVersion) }),
    });
    routes.add(app, {
      method: 'POST', url: `${base}/versions`, tag: TAG, authenticated: true, roles: ['config_admin'], body: single.schema,
      summary: `Propose a new version of the ${description} (maker; config_admin).`,
      responses: { 201: { description: 'The proposed version.', schema: configVersionSchema }, ...ERRORS },
      handler: async ({ body, identity, request, reply }) => {
        const proposed = await configuration.propose({ identity, log: request.log }, type, SINGLE_KEY, body);
        return reply.code(201).send(presentConfigVersion(proposed));
      },
    });
    for (const verb of ['approve', 'reject'] as const) {
      routes.add(app, {
        method: 'POST', url: `${base}/versions/:version/${verb}`, tag: TAG, authenticated: true, roles: ['config_admin'],
        params: riskGradesVersionParamsSchema, ...(verb === 'reject' ? { body: rejectionSchema } : {}),
        summary: `${verb === 'approve' ? 'Approve' : 'Reject'} a proposed version of the ${description} (checker; a config_admin other than the proposer).`,
        responses: { 200: { description: 'The decided version.', schema: configVersionSchema }, ...ERRORS },
        handler: async ({ params, body, identity, request }) =>
          presentConfigVersion(
            await configuration.decide({ identity, log: request.log }, type, SINGLE_KEY, params.version,
              verb === 'approve' ? { approve: true } : { approve: false, reason: (body as z.infer<typeof rejectionSchema>).reason }),
          ),
      });
    }
    routes.add(app, {
      method: 'GET', url: `${base}/versions/:version/diff`, tag: TAG, authenticated: true, ...historyAccess,
      params: riskGradesVersionParamsSchema, query: diffQuerySchema,
      summary: `What a version of the ${description} changes, against \`against\` or the highest approved version before it.`,
      responses: { 200: { description: 'The changes, path by path.', schema: configDiffSchema }, 400: ERRORS[400], 401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404] },
      handler: async ({ params, query }) => configuration.diff(type, SINGLE_KEY, params.version, query.against),
    });
  }

  routes.add(app, {
    method: 'GET', url: '/v1/products/:productId/versions/:version/diff', tag: TAG, authenticated: true,
    params: productVersionParamsSchema, query: diffQuerySchema,
    summary: 'What a loan product version changes, against `against` or the highest approved version before it.',
    responses: { 200: { description: 'The changes, path by path.', schema: configDiffSchema }, 400: ERRORS[400], 401: ERRORS[401], 404: ERRORS[404] },
    handler: async ({ params, query }) => configuration.diff('loan_product', params.productId, params.version, query.against),
  });
  routes.add(app, {
    method: 'GET', url: '/v1/risk-grades/versions/:version/diff', tag: TAG, authenticated: true,
    params: riskGradesVersionParamsSchema, query: diffQuerySchema,
    summary: 'What a risk-grades version changes, against `against` or the highest approved version before it.',
    responses: { 200: { description: 'The changes, path by path.', schema: configDiffSchema }, 400: ERRORS[400], 401: ERRORS[401], 404: ERRORS[404] },
    handler: async ({ params, query }) => configuration.diff('risk_grades', RISK_GRADES_KEY, params.version, query.against),
  });
}
