// Requests as clients send them: any method, odd paths, hostile headers and bodies.
import fc from 'fast-check';
import { loneSurrogateString, jsonText } from './hostile.js';

export const method = fc.oneof(fc.constantFrom('GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'get', 'FOO'), fc.constant(undefined));
export const path = fc.oneof(
  fc.constantFrom('/', '/v1/orders/1', '/v1/orders/', '/v1/orders/%', '/%', '/a?b=%zz', '/x#frag', '/healthz', '/metrics'),
  loneSurrogateString.map((s) => `/v1/orders/${s}`),
  fc.webPath(),
  fc.constantFrom(70000, 1 << 20).map((n) => `/${'b'.repeat(n)}`),
  fc.constantFrom('https://a.example/v1/orders/1', 'https://other.example/', 'http://a.example/x', 'mailto:x'),
).filter((u) => /^(\/[^/]|\/$|[a-z]+:)/.test(u));  // the rest have their own property
export const body = fc.oneof(fc.constant(undefined), jsonText, fc.constantFrom('x'.repeat(2 << 20)), fc.uint8Array({ maxLength: 64 }));
export const headers = fc.dictionary(fc.constantFrom('content-type', 'content-length', 'cf-connecting-ip', 'x-forwarded-for', 'x-request-id', 'accept', 'x-user', 'x-auth-user'),
  fc.oneof(fc.constantFrom('application/json', 'text/plain', '-1', '99999999999', '1.2.3.4', '::1', 'a'.repeat(10000)), fc.string({ maxLength: 20 })),
  { maxKeys: 3 });

/** A RequestInit of these, or null for headers fetch itself refuses (not the guard's input). */
export function requestInit(m, h, b) {
  try {
    // A body on GET/HEAD is refused by fetch itself: guard.property.test.js has its own property.
    const bodiless = m === undefined || ['GET', 'HEAD'].includes(m.toUpperCase());
    return { method: m, headers: new Headers(h), body: bodiless ? undefined : b };
  } catch {
    return null;
  }
}
