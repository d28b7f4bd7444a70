// edgeguard's own scripts: every EdgeguardDurableObject knows them by name (the shared rate
// limit's and breaker's, from js/shared/), besides the scripts a subclass registers.
import { reportScript, trialScript } from '../shared/breaker-scripts.js';
import { TAKE, RESET } from '../shared/limit-scripts.js';
import { CHECK } from '../shared/check-script.js';

export const builtinScripts = Object.freeze([reportScript, trialScript, TAKE, RESET, CHECK]);
