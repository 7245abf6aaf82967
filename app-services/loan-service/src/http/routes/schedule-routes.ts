import { z } from 'zod';
import { scheduleRequestSchema, scheduleSchema } from '../api-schemas';
import { presentSchedule } from '../presenters';
import type { RouteDependencies } from '../route-dependencies';

/** Schedule quotes: what a borrower would repay, without creating an application. */
export function registerScheduleRoutes({ app, routes, applications }: RouteDependencies): void {
  routes.add(app, {
    method: 'POST', url: '/v1/schedules', tag: 'repayment schedules', authenticated: true, body: scheduleRequestSchema,
    summary: 'Quote a repayment schedule for an amount and term under the loan product in force (no application is created).',
    responses: {
      200: {
        description: 'The schedule and the product version it used.',
        schema: scheduleSchema.extend({ productId: z.string(), productVersion: z.number().int() }),
      },
      400: { description: 'Invalid input.' },
      401: { description: 'No or invalid identity.' },
      404: { description: 'Unknown product.' },
      422: { description: 'Amount or term outside the product limits.' },
    },
    handler: async ({ body }) => {
      const quote = await applications.quote(body.productId, body.principalNgwee, body.instalmentCount, body.startDate);
      return { productId: body.productId, productVersion: quote.productVersion, ...presentSchedule(quote.schedule) };
    },
  });
}
