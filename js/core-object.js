// A core object made from its options as JSON text, the one way every constructor with options
// the core reads takes them (CircuitBreaker, Retry, Bulkhead, Cache, RateLimiter, Json).
import { ConfigError, coreError, invalidOption } from './errors.js';
import { MAX_OPTIONS_BYTES } from './seam/json.js';

/**
 * A core object made from the options the core reads: the members of `options` that `shape`
 * names (`{ name: null }`, or `{ name: [nested names] }` for a nested options object or an array
 * of them), as the JSON text `make(ptr, len)` hands to its constructor export. Nothing else of
 * `options` is visited (functions, stores and cycles elsewhere never reach the text); the core
 * owns their defaults and ranges, and its refusal is thrown as its typed error.
 */
export function coreObject(mod, options, shape, make) {
  const handle = mod.withBytes(optionsText(options, shape), MAX_OPTIONS_BYTES, make, unreadable, unreadable);
  if (!handle) throw coreError(mod, options);
  return handle;
}

/**
 * The members of `options` that `shape` names, as the JSON text of an object (what coreObject
 * hands the core; the Validator puts it inside its compile config).
 */
export function optionsText(options, shape) {
  let text = '';
  for (const name in shape) {
    const value = options[name];
    if (value === undefined) continue;
    const names = shape[name];
    let json;
    try {
      json = JSON.stringify(pick(value, names));
    } catch {
      throw invalidOption(name, 'JSON data', value);
    }
    // A toJSON answering undefined leaves no text: null, for the core to refuse as the option's.
    json ??= 'null';
    text += `${text ? ',' : ''}"${name}":${json}`;
  }
  return `{${text}}`;
}

// What the core reads of `value`: with `names`, an object's named members, read as the user's code
// would read them (inherited ones and getters too, which JSON.stringify would leave out: a
// policy's blockMs left out reads as no block), and an array element by element.
function pick(value, names) {
  if (!names || value === null || typeof value !== 'object') return jsonable(value);
  if (Array.isArray(value)) return value.map((v) => pick(v, names));
  const out = {};
  for (const name of names) {
    const v = value[name];
    if (v !== undefined) out[name] = pick(v, names);
  }
  return out;
}

// A value JSON has no form for is sent as null, for the core to refuse: never left out, which
// would read as the default.
function jsonable(value) {
  const type = typeof value;
  return type === 'function' || type === 'symbol' || type === 'bigint' ? null : value;
}

function unreadable() {
  throw new ConfigError('CONFIG_INVALID', `options must be at most ${MAX_OPTIONS_BYTES} bytes as JSON`, { option: 'options' });
}
