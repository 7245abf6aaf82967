import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/domain-errors';
import { RequestValidationError } from './request-validation-error';

/** The JSON body of every error response. */
export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly issues?: ReadonlyArray<{ path: string; message: string }>;
}

/**
 * Maps errors to responses: domain errors keep their status and message; fastify's own 4xx
 * errors (body too large, unsupported media type, malformed JSON) get messages naming the
 * limit or the allowed types; anything else is a logged 500 that reveals nothing internal.
 */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const { statusCode, body } = describeError(error, request);
    if (statusCode >= 500) request.log.error({ err: error }, 'request failed');
    // The rest of an oversized or unbounded body is not worth reading: close instead of draining it.
    if (statusCode === 413 || statusCode === 411) reply.header('connection', 'close');
    return reply.code(statusCode).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: 'not_found', message: `no route for ${request.method} ${request.url.split('?')[0]}` }),
  );
}

function describeError(error: FastifyError | Error, request: FastifyRequest): { statusCode: number; body: ErrorBody } {
  if (error instanceof RequestValidationError) {
    return { statusCode: 400, body: { error: error.code, message: error.message, issues: error.issues } };
  }
  if (error instanceof DomainError) {
    return { statusCode: error.statusCode, body: { error: error.code, message: error.message } };
  }
  const code = (error as FastifyError).code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = request.routeOptions.bodyLimit;
    return {
      statusCode: 413,
      body: { error: 'payload_too_large', message: `request body is larger than the limit of ${limit} bytes` },
    };
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    const allowed = request.routeOptions.config.allowedContentTypes ?? ['application/json'];
    return {
      statusCode: 415,
      body: {
        error: 'unsupported_media_type',
        message: `Content-Type "${request.headers['content-type'] ?? ''}" is not supported here (allowed: ${allowed.join(', ')})`,
      },
    };
  }
  const statusCode = (error as FastifyError).statusCode;
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) {
    return { statusCode, body: { error: 'bad_request', message: error.message } };
  }
  return { statusCode: 500, body: { error: 'internal_error', message: `internal error (request id ${request.id})` } };
}

