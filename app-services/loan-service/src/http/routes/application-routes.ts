import type { z } from 'zod';
import {
  applicationListQuerySchema,
  applicationPageSchema,
  applicationParamsSchema,
  applicationSchema,
  newApplicationSchema,
  rejectionSchema,
  scheduleSchema,
} from '../api-schemas';
import { decodeCursor, encodeCursor } from '../cursor';
import { presentApplication, presentApplicationSummary, presentSchedule } from '../presenters';
import type { RouteDependencies } from '../route-dependencies';

const TAG = 'loan applications';
const UNAUTHENTICATED = { description: 'No or invalid identity.' };
const FORBIDDEN = {
  description:
    'Missing role; the application is outside the caller\'s branches; a config_admin; or the creator tries to decide ' +
    '(maker-checker), or the creator or approver to disburse (four eyes).',
};
const FORBIDDEN_TO_READ = { description: 'No application role, a config_admin, or the application or branch is outside the caller\'s branches.' };
const NOT_FOUND = { description: 'Unknown application.' };
const CONFLICT = { description: 'The application is not in a state that allows this change.' };

/** Loan applications, their lifecycle and repayment schedules. */
export function registerApplicationRoutes({ app, routes, applications }: RouteDependencies): void {
  routes.add(app, {
    method: 'POST', url: '/v1/applications', tag: TAG, authenticated: true, roles: ['loan_officer'], body: newApplicationSchema,
    summary:
      'Submit a loan application (loan_officer) for one of the officer\'s branches (`branch`, or the only one). ' +
      'Checked against the product, risk grades and affordability in force.',
    responses: {
      201: { description: 'The submitted application.', schema: applicationSchema },
      400: { description: 'Invalid input; `issues` lists each field.' }, 401: UNAUTHENTICATED, 403: FORBIDDEN,
      404: { description: 'Unknown product.' }, 409: { description: 'No risk grades approved yet.' },
      422: { description: 'Amount, term, grade or affordability outside the rules.' },
    },
    handler: async ({ body, identity, request, reply }) =>
      reply.code(201).send(presentApplication(await applications.create({ identity, log: request.log }, body))),
  });
  routes.add(app, {
    method: 'GET', url: '/v1/applications', tag: TAG, authenticated: true, query: applicationListQuerySchema,
    summary:
      "List the applications of the caller's branches (every branch for head_office) oldest first, filtered by status, " +
      'branch, productId or applicant (NRC), a page of `limit` at a time. NRCs are masked.',
    responses: {
      200: { description: 'A page; pass `nextCursor` as `cursor` for the next one (null at the end).', schema: applicationPageSchema },
      400: { description: 'Invalid filter, limit or cursor.' }, 401: UNAUTHENTICATED, 403: FORBIDDEN_TO_READ,
    },
    handler: async ({ query, identity }) => {
      const page = await applications.list(identity, {
        status: query.status,
        branch: query.branch,
        productId: query.productId,
        applicantNationalId: query.applicant,
        afterSeq: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
        limit: query.limit,
      });
      return { items: page.items.map(presentApplicationSummary), nextCursor: page.nextAfterSeq === undefined ? null : encodeCursor(page.nextAfterSeq) };
    },
  });
  routes.add(app, {
    method: 'GET', url: '/v1/applications/:applicationId', tag: TAG, authenticated: true, params: applicationParamsSchema,
    summary: 'Get one application, NRC in full (a user of its branch, or head_office).',
    responses: {
      200: { description: 'The application.', schema: applicationSchema }, 400: { description: 'Malformed id.' }, 401: UNAUTHENTICATED,
      403: FORBIDDEN_TO_READ, 404: NOT_FOUND,
    },
    handler: async ({ params, identity }) => presentApplication(await applications.assertCanReadApplication(identity, params.applicationId)),
  });
  routes.add(app, {
    method: 'GET', url: '/v1/applications/:applicationId/schedule', tag: TAG, authenticated: true, params: applicationParamsSchema,
    summary: "The application's repayment schedule, from the product version it was submitted under.",
    responses: { 200: { description: 'The schedule.', schema: scheduleSchema }, 401: UNAUTHENTICATED, 403: FORBIDDEN_TO_READ, 404: NOT_FOUND },
    handler: async ({ params, identity }) => presentSchedule(await applications.schedule(identity, params.applicationId)),
  });
  for (const verb of ['approve', 'reject', 'disburse'] as const) {
    routes.add(app, {
      method: 'POST', url: `/v1/applications/:applicationId/${verb}`, tag: TAG, authenticated: true, roles: ['credit_manager'],
      params: applicationParamsSchema, ...(verb === 'reject' ? { body: rejectionSchema } : {}),
      summary: {
        approve: 'Approve a submitted application (credit_manager of its branch, other than its creator).',
        reject: 'Reject a submitted application with a reason (credit_manager of its branch, other than its creator).',
        disburse: 'Mark an approved application disbursed (credit_manager of its branch, neither its creator nor its approver).',
      }[verb],
      responses: {
        200: { description: 'The application after the change.', schema: applicationSchema },
        400: { description: 'Invalid input (e.g. no rejection reason).' }, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT,
      },
      handler: async ({ params, body, identity, request }) => {
        const context = { identity, log: request.log };
        if (verb === 'approve') return presentApplication(await applications.approve(context, params.applicationId));
        if (verb === 'reject') return presentApplication(await applications.reject(context, params.applicationId, (body as z.infer<typeof rejectionSchema>).reason));
        return presentApplication(await applications.disburse(context, params.applicationId));
      },
    });
  }
}
