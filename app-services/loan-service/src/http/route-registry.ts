import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Authenticator } from '../auth/authenticator';
import type { Identity } from '../auth/identity';
import { RequestValidationError } from './request-validation-error';

type HttpMethod = 'GET' | 'POST';

/** A documented response of a route. */
export interface ResponseDescription {
  readonly description: string;
  readonly schema?: z.ZodType;
  /** Content type when not JSON (e.g. a document download). */
  readonly contentType?: string;
}

/** The parsed input a handler receives. */
export interface RouteInput<Params, Query, Body> {
  readonly params: Params;
  readonly query: Query;
  readonly body: Body;
  /** The caller; always set on routes with `authenticated: true`. */
  readonly identity: Identity;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

/**
 * One HTTP route: its zod schemas validate the request and feed the OpenAPI description,
 * so the documentation cannot drift from what the route accepts.
 */
export interface RouteDefinition<Params, Query, Body> {
  readonly method: HttpMethod;
  /** fastify path, e.g. `/v1/applications/:applicationId`. */
  readonly url: string;
  readonly summary: string;
  readonly tag: string;
  readonly authenticated: boolean;
  readonly params?: z.ZodType<Params>;
  readonly query?: z.ZodType<Query>;
  /** JSON body schema, or the raw content types accepted for a binary body. */
  readonly body?: z.ZodType<Body> | { readonly binary: readonly string[] };
  readonly bodyLimit?: number;
  readonly responses: Readonly<Record<number, ResponseDescription>>;
  handler(input: RouteInput<Params, Query, Body>): Promise<unknown>;
}

/** Route options read back by the error handler (allowed content types for 415 messages). */
declare module 'fastify' {
  interface FastifyContextConfig {
    allowedContentTypes?: readonly string[];
  }
}

/** Registers routes on fastify and remembers them for the OpenAPI document. */
export class RouteRegistry {
  private readonly definitions: RouteDefinition<unknown, unknown, unknown>[] = [];

  constructor(private readonly authenticate: Authenticator) {}

  get routes(): ReadonlyArray<RouteDefinition<unknown, unknown, unknown>> {
    return this.definitions;
  }

  add<Params = Record<string, never>, Query = Record<string, never>, Body = undefined>(
    app: FastifyInstance,
    definition: RouteDefinition<Params, Query, Body>,
  ): void {
    this.definitions.push(definition as unknown as RouteDefinition<unknown, unknown, unknown>);
    const binaryTypes = definition.body !== undefined && 'binary' in definition.body ? definition.body.binary : undefined;
    app.route({
      method: definition.method,
      url: definition.url,
      ...(definition.bodyLimit === undefined ? {} : { bodyLimit: definition.bodyLimit }),
      config: { allowedContentTypes: binaryTypes ?? ['application/json'] },
      handler: async (request, reply) => {
        const identity = definition.authenticated ? await this.authenticate(request.raw) : { userId: 'anonymous', roles: [], branches: [] };
        const params = parsePart('params', definition.params, request.params) as Params;
        const query = parsePart('query', definition.query, request.query) as Query;
        let body: unknown = request.body;
        if (binaryTypes === undefined) {
          body = parsePart('body', definition.body as z.ZodType | undefined, request.body ?? undefined);
        } else if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
          throw new RequestValidationError([{ path: 'body', message: 'must not be empty' }]);
        }
        return definition.handler({ params, query, body: body as Body, identity, request, reply });
      },
    });
  }
}

function parsePart(part: string, schema: z.ZodType | undefined, value: unknown): unknown {
  if (schema === undefined) return value;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw RequestValidationError.fromZod(part, parsed.error);
  return parsed.data;
}

/** Turns `:name` path parameters into OpenAPI `{name}` templates. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** JSON Schema of a zod schema as OpenAPI 3.1 accepts it. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
  return rest;
}
