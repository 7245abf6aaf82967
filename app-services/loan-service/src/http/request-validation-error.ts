import type { z } from 'zod';
import { DomainError } from '../domain/domain-errors';

/** One field-level problem: `body.principalNgwee` and what is wrong with it. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/** Input that fails its zod schema (400), with every field-level issue. */
export class RequestValidationError extends DomainError {
  readonly statusCode = 400;
  readonly code = 'validation_failed';
  readonly issues: readonly FieldIssue[];

  constructor(issues: readonly FieldIssue[]) {
    super(`invalid request: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
    this.issues = issues;
  }

  /** Converts zod issues, prefixing each path with the part of the request (`body`, `query`, `params`). */
  static fromZod(part: string, error: z.ZodError): RequestValidationError {
    return new RequestValidationError(
      error.issues.map((issue) => ({ path: [part, ...issue.path.map(String)].join('.'), message: issue.message })),
    );
  }
}
