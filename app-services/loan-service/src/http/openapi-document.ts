import type { z } from 'zod';
import { jsonSchemaOf, openApiPath, type RouteDefinition } from './route-registry';

type AnyRoute = RouteDefinition<unknown, unknown, unknown>;

/** The error body every 4xx/5xx response uses. */
const ERROR_SCHEMA = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: 'machine-readable code, e.g. validation_failed, not_found, conflict' },
    message: { type: 'string' },
    issues: {
      type: 'array',
      items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

/** Builds the OpenAPI 3.1 document from the registered routes. */
export function buildOpenApiDocument(routes: readonly AnyRoute[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = openApiPath(route.url);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operationOf(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Limelight Moneylink Services loan-service',
      version,
      description:
        'Loan products, applications, repayment schedules, documents and maker-checker business configuration. ' +
        'Money is integer ngwee (1 ZMW = 100 ngwee); rates are integer basis points (2400 = 24% p.a.).',
    },
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT (RS256, PS256, ES256 or EdDSA from the identity provider, or HS256; exp, iss and aud required; sub = user id, roles and branches = string[])' },
        ingressHeaders: { type: 'apiKey', in: 'header', name: 'x-authenticated-user' },
      },
    },
    paths,
  };
}

function operationOf(route: AnyRoute): Record<string, unknown> {
  const parameters = [
    ...parametersOf(route.params, 'path'),
    ...parametersOf(route.query, 'query'),
  ];
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const contentType = response.contentType ?? 'application/json';
    const schema = response.schema === undefined
      ? Number(status) >= 400 ? { $ref: '#/components/schemas/Error' } : undefined
      : jsonSchemaOf(response.schema, 'output');
    responses[status] = {
      description: response.description,
      ...(schema === undefined && response.contentType === undefined ? {} : { content: { [contentType]: { schema: schema ?? {} } } }),
    };
  }
  const operation: Record<string, unknown> = {
    operationId: `${route.method.toLowerCase()}${route.url.replace(/[^A-Za-z0-9]+(.)?/g, (_match, next: string | undefined) => (next ?? '').toUpperCase())}`,
    summary: route.summary,
    tags: [route.tag],
    parameters,
    responses,
  };
  if (route.authenticated) operation.security = [{ bearer: [] }, { ingressHeaders: [] }];
  if (route.body !== undefined) {
    operation.requestBody = 'binary' in route.body
      ? { required: true, content: Object.fromEntries(route.body.binary.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])) }
      : { required: true, content: { 'application/json': { schema: jsonSchemaOf(route.body, 'input') } } };
  }
  return operation;
}

function parametersOf(schema: z.ZodType | undefined, location: 'path' | 'query'): Record<string, unknown>[] {
  if (schema === undefined) return [];
  const json = jsonSchemaOf(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}
