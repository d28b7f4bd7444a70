/** Header fields as Fetch Headers, a Map-like with get(), or a plain object (any case; arrays joined). */
export type HeadersLike = Headers | { get(name: string): string | null | undefined } |
  Record<string, string | string[] | undefined>;

export type NotStorableReason = 'method' | 'status' | 'no-store' | 'private' | 'authorization' |
  'no-cache' | 'vary-star' | 'no-lifetime';

export interface HttpCachePolicy {
  /** Whether a shared cache may store the response (and serve it for some time). */
  storable: boolean;
  reason?: NotStorableReason;
  /** Freshness lifetime: s-maxage, max-age, Expires - Date, or 10% of Date - Last-Modified. */
  ttlMs: number;
  staleWhileRevalidateMs: number;
  staleIfErrorMs: number;
  /** How old the response already is (Age header, or now - Date). */
  ageMs: number;
  /** Lowercase request header names the cache key must include. */
  vary: string[];
  /** must-revalidate or proxy-revalidate: never served stale (both stale windows are 0). */
  mustRevalidate?: boolean;
}

export interface HttpCachePolicyOptions {
  /** Default 'GET'; only GET and HEAD are storable. */
  method?: string;
  /** Default 200. */
  status?: number;
  /** Milliseconds; default Date.now(). */
  now?: number;
}

/**
 * What a shared cache may do with a response, per RFC 9111 and RFC 5861, as options for
 * Cache#set: `cache.set(key, value, cachePolicyFromHeaders(request.headers, response.headers))`.
 */
export function cachePolicyFromHeaders(requestHeaders: HeadersLike | undefined, responseHeaders: HeadersLike,
  options?: HttpCachePolicyOptions): HttpCachePolicy;

/** Cache-Control directives: lowercase name -> argument (true when none); first occurrence wins. */
export function parseCacheControl(value: string | undefined): Map<string, string | true>;

/** What the request and response headers say for a shared cache, each directive on its own. */
export interface ResponseFacts {
  /** Cache-Control: must-understand (RFC 9111 5.2.2.3). */
  mustUnderstand: boolean;
  /** no-store on the request or the response. */
  noStore: boolean;
  private: boolean;
  /** The request had Authorization and the response is not public, s-maxage or must-revalidate (RFC 9111 3.5). */
  authorization: boolean;
  /** no-cache, or Pragma: no-cache without Cache-Control. */
  noCache: boolean;
  varyStar: boolean;
  /** Lowercase request header names of the response's Vary. */
  vary: string[];
  /** Freshness lifetime; undefined when the response gives none. */
  ttlMs: number | undefined;
  /** Whether ttlMs is from s-maxage, max-age or Expires (else heuristic, from Last-Modified). */
  explicitTtl: boolean;
  /** undefined when not given. */
  staleWhileRevalidateMs: number | undefined;
  staleIfErrorMs: number | undefined;
  /** must-revalidate or proxy-revalidate. */
  mustRevalidate: boolean;
  ageMs: number;
}

/** The facts cachePolicyFromHeaders weighs, unweighed: for a caller that decides itself. */
export function responseFacts(requestHeaders: HeadersLike | undefined, responseHeaders: HeadersLike,
  status: number, now: number): ResponseFacts;
