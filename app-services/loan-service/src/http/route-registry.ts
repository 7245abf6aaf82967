import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { z } from 'zod';
import type { Authenticator } from '../auth/authenticator';
import { type Identity, requireRole, type Role } from '../auth/identity';
import { PayloadTooLargeError } from '../documents/document-errors';
import type { IncomingDocument } from '../documents/document-uploader';
import { LengthRequiredError } from './http-errors';
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
  /**
   * The caller needs one of these roles. Checked with authentication, before the body is read
   * or any input validated. Domain services check again (and check maker-checker rules).
   * @default - any authenticated caller
   */
  readonly roles?: readonly Role[];
  readonly params?: z.ZodType<Params>;
  readonly query?: z.ZodType<Query>;
  /**
   * JSON body schema, or the raw content types accepted for a streamed body: the handler then
   * gets an IncomingDocument (the unread request stream and its Content-Length).
   */
  readonly body?: z.ZodType<Body> | { readonly binary: readonly string[] };
  readonly bodyLimit?: number;
  readonly responses: Readonly<Record<number, ResponseDescription>>;
  handler(input: RouteInput<Params, Query, Body>): Promise<unknown>;
}

/** Who may call a route; read by the access hook before the body. */
export interface RouteAccess {
  readonly authenticated: boolean;
  readonly roles: readonly Role[] | undefined;
}

/** Route options read back by the access hook and the error handler (allowed content types for 415 messages). */
declare module 'fastify' {
  interface FastifyContextConfig {
    allowedContentTypes?: readonly string[];
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** The caller, set by the access hook on authenticated routes; null elsewhere. */
    identity: Identity | null;
  }
}

const ANONYMOUS: Identity = { userId: 'anonymous', roles: [], branches: [] };

/** Registers routes on fastify and remembers them for the OpenAPI document. */
export class RouteRegistry {
  private readonly definitions: RouteDefinition<unknown, unknown, unknown>[] = [];

  constructor(private readonly authenticate: Authenticator) {}

  /**
   * Gives every route an `onRequest` hook, which fastify runs before it reads any body, that
   * authenticates the caller and checks the route's roles: an unauthenticated or unauthorised
   * upload is answered without being read. Installed once for the whole app (on each route as
   * it is added, so public routes such as the probes carry no hook at all); a route without an
   * access rule fails closed with 500. Call once, before adding routes.
   */
  installAccessControl(app: FastifyInstance): void {
    app.decorateRequest('identity', null);
    app.addHook('onRoute', (route) => {
      const access = route.config?.access;
      const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
      if (access === undefined) {
        const refuse: onRequestHookHandler = (_request, _reply, done) => {
          done(new Error(`route ${route.method} ${route.url} declares no access rule`));
        };
        route.onRequest = [refuse, ...existing];
        return;
      }
      if (!access.authenticated) return;
      const authorise: onRequestHookHandler = (request, _reply, done) => {
        this.authenticate(request.raw)
          .then((identity) => {
            if (access.roles !== undefined) requireRole(identity, ...access.roles);
            request.identity = identity;
            done();
          })
          .catch(done);
      };
      route.onRequest = [authorise, ...existing];
    });
  }

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
      config: {
        allowedContentTypes: binaryTypes ?? ['application/json'],
        access: { authenticated: definition.authenticated, roles: definition.roles },
      },
      handler: async (request, reply) => {
        const identity = definition.authenticated ? request.identity : ANONYMOUS;
        if (identity === null) throw new Error(`route ${definition.method} ${definition.url} ran without the access hook`);
        // Whether a streamed body will be read at all is settled first, from its headers.
        const document = binaryTypes === undefined ? undefined : incomingDocument(request, definition.bodyLimit);
        const params = parsePart('params', definition.params, request.params) as Params;
        const query = parsePart('query', definition.query, request.query) as Query;
        const body = document ?? parsePart('body', definition.body as z.ZodType | undefined, request.body ?? undefined);
        return definition.handler({ params, query, body: body as Body, identity, request, reply });
      },
    });
  }
}

/**
 * The unread body of a streamed upload. Its length must be declared, so that an oversized
 * upload is refused before a byte is read and object storage can take it as one streamed PUT.
 */
function incomingDocument(request: FastifyRequest, limitBytes: number | undefined): IncomingDocument {
  const declared = request.headers['content-length'];
  if (declared === undefined && request.headers['transfer-encoding'] !== undefined) {
    throw new LengthRequiredError('uploads need a Content-Length header (the body is streamed to storage; chunked uploads are not accepted)');
  }
  const sizeBytes = Number(declared ?? 0);
  if (sizeBytes === 0 || request.body === undefined) throw new RequestValidationError([{ path: 'body', message: 'must not be empty' }]);
  if (limitBytes !== undefined && sizeBytes > limitBytes) throw new PayloadTooLargeError(limitBytes);
  return { stream: request.body as Readable, sizeBytes };
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
