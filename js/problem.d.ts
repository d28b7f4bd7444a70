export declare const PROBLEM_TYPE: 'application/problem+json';

export interface ProblemType {
  status: number;
  type: string;
  title: string;
}

/** The problem types edgeguard answers with. */
export declare const PROBLEMS: Readonly<Record<
  'invalidRequest' | 'malformedRequest' | 'forbiddenOrigin' | 'notFound' | 'methodNotAllowed' | 'tooLarge' |
  'uriTooLong' | 'headersTooLarge' | 'rateLimited' | 'unavailable' | 'misconfigured' | 'internal', ProblemType>>;

/** The body of an application/problem+json answer (RFC 9457). */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  requestId?: string;
  /** Validation errors, for 400 invalid-request answers. */
  errors?: import('./validator.js').ValidationError[];
  [extension: string]: unknown;
}

/** A problem+json Response with `Cache-Control: no-store`. */
export declare function problemResponse(problem: ProblemType, detail: string,
  extensions?: Record<string, unknown>, headers?: HeadersInit): Response;

/** The same answer as its parts, for servers that write them themselves. */
export declare function problemAnswer(problem: ProblemType, detail: string,
  extensions?: Record<string, unknown>, headers?: HeadersInit): { status: number; headers: Headers; body: string };

/** A Retry-After value: whole seconds, rounded up, at least 1. */
export declare function retryAfter(ms: number): string;
