/**
 * Errors the domain raises, each carrying the HTTP status it maps to. Messages are shown to the
 * caller as they are, so each names the entity, the bad value and what is allowed.
 */
export abstract class DomainError extends Error {
  abstract readonly statusCode: number;
  abstract readonly code: string;
}

/** An id that does not exist (404). */
export class NotFoundError extends DomainError {
  readonly statusCode = 404;
  readonly code = 'not_found';
}

/** A state change that conflicts with the current state (409). */
export class ConflictError extends DomainError {
  readonly statusCode = 409;
  readonly code = 'conflict';
}

/** The caller is known but may not do this (403). */
export class ForbiddenError extends DomainError {
  readonly statusCode = 403;
  readonly code = 'forbidden';
}

/** Well-formed input that breaks a lending rule, e.g. a principal outside the product's limits (422). */
export class BusinessRuleError extends DomainError {
  readonly statusCode = 422;
  readonly code = 'business_rule_violated';
}

/** No identity, or one that cannot be verified (401). */
export class UnauthenticatedError extends DomainError {
  readonly statusCode = 401;
  readonly code = 'unauthenticated';
}

/** Input the request must carry in this situation but does not (400), e.g. which branch. */
export class InvalidInputError extends DomainError {
  readonly statusCode = 400;
  readonly code = 'validation_failed';
}
