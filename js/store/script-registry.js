// How an engine without Lua finds a script by the name a caller sends: each name stands for one
// script. A caller also sends its script's digest, so two deployments running different versions
// of one script (two workers bound to one namespace, mid-rollout) are refused rather than mixed.
import { ConfigError, describe } from '../errors.js';
import { StoreScript } from './script.js';

export class ScriptRegistry {
  #scripts = new Map();
  #ready;

  /** StoreScripts with a name and run: `scripts`, then `more`; a name given twice is a ConfigError. */
  constructor(scripts, more = []) {
    if (!Array.isArray(scripts)) throw new ConfigError('CONFIG_INVALID', 'scripts must be an array of defineScript() scripts');
    for (const script of [...scripts, ...more]) {
      if (!(script instanceof StoreScript) || script.name === undefined) {
        throw new ConfigError('CONFIG_INVALID', 'each script must come from defineScript(source, { name, run })');
      }
      const known = this.#scripts.get(script.name);
      if (known !== undefined && known !== script) {
        throw new ConfigError('CONFIG_INVALID', `two scripts are named ${script.name}`);
      }
      this.#scripts.set(script.name, script);
    }
    this.#ready = Promise.all([...this.#scripts.values()].map((s) => s.sha1())).then(() => undefined);
  }

  /** Resolves once every digest is known: resolve() needs them. */
  ready() {
    return this.#ready;
  }

  /** `{ script }`, or `{ error }` for a name not registered or a digest that differs. */
  resolve(name, digest) {
    const script = this.#scripts.get(name);
    if (script === undefined) return { error: `no script named ${describe(name)} is registered with the Durable Object class` };
    if (script.digest !== digest) return { error: `the script ${describe(name)} differs between the caller and the Durable Object (two versions deployed?)` };
    return { script };
  }
}
