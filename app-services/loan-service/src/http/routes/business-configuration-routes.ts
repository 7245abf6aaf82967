import { z } from 'zod';
import { RISK_GRADES_KEY } from '../../domain/business-configuration-service';
import { loanProductSchema } from '../../domain/loan-product';
import { riskGradesSchema } from '../../domain/risk-grades';
import {
  configVersionSchema,
  productParamsSchema,
  productVersionParamsSchema,
  rejectionSchema,
  riskGradesVersionParamsSchema,
} from '../api-schemas';
import { presentConfigVersion } from '../presenters';
import type { RouteDependencies } from '../route-dependencies';

const versionList = z.object({ items: z.array(configVersionSchema) });
const TAG = 'business configuration';
const ERRORS = {
  400: { description: 'Invalid input; `issues` lists each field.' },
  401: { description: 'No or invalid identity.' },
  403: { description: 'Missing config_admin role, or the proposer tries to decide (maker-checker).' },
  404: { description: 'Unknown product or version.' },
  409: { description: 'A proposal is already pending, or the version was already decided.' },
} as const;

/** Loan products and risk grades: read what is in force, list versions, propose, approve, reject. */
export function registerBusinessConfigurationRoutes({ app, routes, configuration }: RouteDependencies): void {
  routes.add(app, {
    method: 'GET', url: '/v1/products', tag: TAG, authenticated: true,
    summary: 'List the loan products in force (their highest approved versions).',
    responses: { 200: { description: 'Products in force.', schema: versionList }, 401: ERRORS[401] },
    handler: async () => ({ items: (await configuration.currentProducts()).map(presentConfigVersion) }),
  });
  routes.add(app, {
    method: 'GET', url: '/v1/products/:productId', tag: TAG, authenticated: true, params: productParamsSchema,
    summary: 'Get the version of a loan product in force.',
    responses: { 200: { description: 'The approved version in force.', schema: configVersionSchema }, 401: ERRORS[401], 404: ERRORS[404] },
    handler: async ({ params }) => presentConfigVersion(await configuration.currentProduct(params.productId)),
  });
  routes.add(app, {
    method: 'GET', url: '/v1/products/:productId/versions', tag: TAG, authenticated: true, params: productParamsSchema,
    summary: 'List every version of a loan product with who proposed and decided it.',
    responses: { 200: { description: 'Versions, oldest first.', schema: versionList }, 401: ERRORS[401], 404: ERRORS[404] },
    handler: async ({ params }) => ({ items: (await configuration.listVersions('loan_product', params.productId)).map(presentConfigVersion) }),
  });
  routes.add(app, {
    method: 'POST', url: '/v1/products/:productId/versions', tag: TAG, authenticated: true, roles: ['config_admin'],
    params: productParamsSchema, body: loanProductSchema,
    summary: 'Propose a new version of a loan product (maker; config_admin).',
    responses: { 201: { description: 'The proposed version.', schema: configVersionSchema }, ...ERRORS },
    handler: async ({ params, body, identity, request, reply }) => {
      const proposed = await configuration.propose({ identity, log: request.log }, 'loan_product', params.productId, body);
      return reply.code(201).send(presentConfigVersion(proposed));
    },
  });
  for (const verb of ['approve', 'reject'] as const) {
    routes.add(app, {
      method: 'POST', url: `/v1/products/:productId/versions/:version/${verb}`, tag: TAG, authenticated: true, roles: ['config_admin'],
      params: productVersionParamsSchema, ...(verb === 'reject' ? { body: rejectionSchema } : {}),
      summary: `${verb === 'approve' ? 'Approve' : 'Reject'} a proposed loan product version (checker; a config_admin other than the proposer).`,
      responses: { 200: { description: 'The decided version.', schema: configVersionSchema }, ...ERRORS },
      handler: async ({ params, body, identity, request }) =>
        presentConfigVersion(
          await configuration.decide({ identity, log: request.log }, 'loan_product', params.productId, params.version,
            verb === 'approve' ? { approve: true } : { approve: false, reason: (body as z.infer<typeof rejectionSchema>).reason }),
        ),
    });
  }

  routes.add(app, {
    method: 'GET', url: '/v1/risk-grades', tag: TAG, authenticated: true,
    summary: 'Get the risk-grade thresholds in force.',
    responses: { 200: { description: 'The approved version in force.', schema: configVersionSchema }, 401: ERRORS[401], 409: { description: 'None approved yet.' } },
    handler: async () => presentConfigVersion(await configuration.currentRiskGrades()),
  });
  routes.add(app, {
    method: 'GET', url: '/v1/risk-grades/versions', tag: TAG, authenticated: true,
    summary: 'List every version of the risk-grade thresholds.',
    responses: { 200: { description: 'Versions, oldest first.', schema: versionList }, 401: ERRORS[401], 404: ERRORS[404] },
    handler: async () => ({ items: (await configuration.listVersions('risk_grades', RISK_GRADES_KEY)).map(presentConfigVersion) }),
  });
  routes.add(app, {
    method: 'POST', url: '/v1/risk-grades/versions', tag: TAG, authenticated: true, roles: ['config_admin'], body: riskGradesSchema,
    summary: 'Propose new risk-grade thresholds (maker; config_admin).',
    responses: { 201: { description: 'The proposed version.', schema: configVersionSchema }, ...ERRORS },
    handler: async ({ body, identity, request, reply }) => {
      const proposed = await configuration.propose({ identity, log: request.log }, 'risk_grades', RISK_GRADES_KEY, body);
      return reply.code(201).send(presentConfigVersion(proposed));
    },
  });
  for (const verb of ['approve', 'reject'] as const) {
    routes.add(app, {
      method: 'POST', url: `/v1/risk-grades/versions/:version/${verb}`, tag: TAG, authenticated: true, roles: ['config_admin'],
      params: riskGradesVersionParamsSchema, ...(verb === 'reject' ? { body: rejectionSchema } : {}),
      summary: `${verb === 'approve' ? 'Approve' : 'Reject'} proposed risk-grade thresholds (checker; a config_admin other than the proposer).`,
      responses: { 200: { description: 'The decided version.', schema: configVersionSchema }, ...ERRORS },
      handler: async ({ params, body, identity, request }) =>
        presentConfigVersion(
          await configuration.decide({ identity, log: request.log }, 'risk_grades', RISK_GRADES_KEY, params.version,
            verb === 'approve' ? { approve: true } : { approve: false, reason: (body as z.infer<typeof rejectionSchema>).reason }),
        ),
    });
  }
}
