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
