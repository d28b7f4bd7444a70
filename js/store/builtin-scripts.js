// edgeguard's own scripts: every EdgeguardDurableObject knows them by name (the shared rate
// limit's and breaker's, from js/shared/, and the shared cache tier's, from js/cache/), besides
// the scripts a subclass registers.
import { reportScript, trialScript } from '../shared/breaker-scripts.js';
import { TAKE, RESET } from '../shared/limit-scripts.js';
import { CHECK } from '../shared/check-script.js';
import { INVALIDATE } from '../cache/invalidation-log.js';
import { RELEASE_LEASE, TAKE_LEASE } from '../cache/lease-scripts.js';
import { READ_ENTRY } from '../cache/read-script.js';

export const builtinScripts = Object.freeze([reportScript, trialScript, TAKE, RESET, CHECK, INVALIDATE, TAKE_LEASE, RELEASE_LEASE, READ_ENTRY]);
