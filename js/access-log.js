// The access log: the `log` option writes each 'request' event as one JSON line, to console.log
// (where edge runtimes collect logs: Workers Logs, Deno Deploy, Vercel) or to any function. A
// line has no payload, no header values and no query string unless `query` is asked for: what a
// client sends may carry tokens, and logs are kept longer and shown wider than requests.
import { utf8Length } from './core.js';
import { invalidOption } from './errors.js';

/** Set by problemResponse on its answers: their body text, measured only when an event needs it. */
export const BODY_TEXT = Symbol('edgeguard.bodyText');

/**
 * The bytes of an answer's body: `known` (>= 0) where the pipeline rendered it, a problem's text,
 * none, or its Content-Length; null when it streams through unmeasured.
 */
export function bodyBytes(response, known) {
  if (known >= 0) return known;
  const text = response[BODY_TEXT];
  if (text !== undefined) return utf8Length(text);
  if (response.body === null) return 0;
  const length = response.headers.get('content-length');
  return length !== null && /^\d+$/.test(length) ? Number(length) : null;
}

/**
 * The `log` option: undefined or false (off), true (console.log), a function given each line, or
 * `{ write?: function (default console.log), query?: boolean (default false) }`. Returns null or an AccessLog.
 */
export function logOption(value) {
  if (value === undefined || value === false) return null;
  if (value === true) return new AccessLog(consoleLog, false);
  if (typeof value === 'function') return new AccessLog(value, false);
  if (value === null || typeof value !== 'object') throw invalidOption('log', 'true, false, a function or { write?, query? }', value);
  const { write = consoleLog, query = false } = value;
  if (typeof write !== 'function') throw invalidOption('log.write', 'a function', write);
  if (typeof query !== 'boolean') throw invalidOption('log.query', 'a boolean', query);
  return new AccessLog(write, query);
}

// Read when called, so a runtime (or test) that replaces console.log is followed.
function consoleLog(line) {
  console.log(line);
}

export class AccessLog {
  #write;
  #query;
  /** Lines the sink refused (it threw, or its promise rejected): logging never fails a request. */
  failures = 0;

  constructor(write, query) {
    this.#write = write;
    this.#query = query;
  }

  /** Writes one 'request' event as a JSON line: every field but `url`, whose query only when asked. */
  write(event) {
    try {
      const { url, ...fields } = event;
      if (this.#query) fields.query = queryOf(url);
      const pending = this.#write(JSON.stringify(fields));
      if (typeof pending?.then === 'function') pending.then(undefined, () => { this.failures++; });
    } catch {
      this.failures++;
    }
  }
}

function queryOf(url) {
  const at = url.indexOf('?');
  if (at < 0) return '';
  const hash = url.indexOf('#', at);
  return url.slice(at + 1, hash < 0 ? undefined : hash);
}
