import { DomainError } from '../domain/domain-errors';

/** A streamed upload without Content-Length (411). */
export class LengthRequiredError extends DomainError {
  readonly statusCode = 411;
  readonly code = 'length_required';
}
