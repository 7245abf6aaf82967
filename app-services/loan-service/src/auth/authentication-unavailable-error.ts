import { DomainError } from '../domain/domain-errors';

/**
 * Tokens cannot be verified right now because the identity provider's key set cannot be
 * fetched (503): the caller is not at fault and may retry, unlike a rejected token (401).
 */
export class AuthenticationUnavailableError extends DomainError {
  readonly statusCode = 503;
  readonly code = 'authentication_unavailable';
}
