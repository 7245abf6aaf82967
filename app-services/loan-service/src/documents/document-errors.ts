import { DomainError } from '../domain/domain-errors';

/** A body longer than the limit (413). */
export class PayloadTooLargeError extends DomainError {
  readonly statusCode = 413;
  readonly code = 'payload_too_large';

  constructor(readonly limitBytes: number) {
    super(`request body is larger than the limit of ${limitBytes} bytes`);
  }
}

/** A body whose bytes are not what its Content-Type says, or a Content-Type not accepted (415). */
export class UnsupportedMediaTypeError extends DomainError {
  readonly statusCode = 415;
  readonly code = 'unsupported_media_type';
}
