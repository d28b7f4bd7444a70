// A CircuitBreaker's link to the other instances of the same breaker through a store. Calls are
// counted locally (no store round trip per call); the store carries only state:
// - each instance reports whether it tripped on its own (failures it saw) and reads how many
//   instances report open within the window; a closed instance opens ('quorum') once `quorum`
//   of them do, so one bad instance cannot open the others alone. Quorum-opened instances do not
//   report: only what an instance saw itself counts.
// - the half-open period's trial calls are leased to one instance at a time; its core decides
//   them as usual, and the others adopt the result ('sharedTrials'): all instances together send
//   at most halfOpenCalls trial calls per lease.
// The view is refreshed in the background, on calls once it is publishIntervalMs old and by a
// timer while calls come; state changes are published at once. Every store call has the store's
// deadline. The store down or slow: each instance is its own local breaker (trips on its own
// failures; in half-open sends its own halfOpenCalls trials, unleased) until the store answers
// again; nothing here ever closes a breaker but a trial result an instance reported.
import { ConfigError, describe, invalidOption } from '../errors.js';
import { storeFailed } from '../store/store-error.js';
import { MAX_MS, functionOption, numberOption, objectOption } from '../resilience.js';
import { reportScript, trialScript } from './breaker-scripts.js';
import { SET } from '../breaker-set.js';
import { checkStore } from '../store/store-option.js';
import { withinDeadline } from '../store/within-deadline.js';
import { replyNumber } from '../store/script.js';

// The reasons that mean this instance saw the failures itself.
const OBSERVED = new Set(['failureRate', 'slowCallRate', 'consecutiveFailures']);
const NAME = /^[\x21-\x7e]{1,200}$/;

// Edge runtimes forbid randomness at global scope: an id is made on the first store call. It
// needs to be unique, not secret: Node 18 (no global WebCrypto) uses Math.random.
function randomId() {
  const bytes = new Uint8Array(10);
  if (globalThis.crypto?.getRandomValues) globalThis.crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function storeOption(options) {
  return options.store === undefined ? undefined : checkStore(options.store, ['evalScript', 'key']);
}

/**
 * The sharing config of a breaker's options, or null without a store. `openMs` and
 * `halfOpenMaxMs` give the defaults: a report counts for one open time, a trial lease lasts the
 * half-open limit (else one open time).
 */
export function shareConfig(options, openMs, halfOpenMaxMs) {
  const store = storeOption(options);
  const share = objectOption(options, 'share');
  if (store === undefined && share === undefined) return null;
  if (store === undefined) throw invalidOption('store', 'a store when share is given', store);
  if (share === undefined) throw invalidOption('share', 'an object ({ name, quorum }) when a store is given', share);
  const name = share.name;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new ConfigError('CONFIG_INVALID', 'invalid option share.name: 1 to 200 printable ASCII characters, the same on every instance', { option: 'share.name' });
  }
  const nested = Object.fromEntries(Object.entries(share).map(([key, v]) => [`share.${key}`, v]));
  return {
    store,
    keys: [store.key(`breaker:${name}`, 'opens'), store.key(`breaker:${name}`, 'trial')],
    quorum: numberOption(nested, 'share.quorum', 1, 10000, 2),
    publishIntervalMs: numberOption(nested, 'share.publishIntervalMs', 1, MAX_MS, 1000),
    windowMs: numberOption(nested, 'share.windowMs', 1, MAX_MS, openMs),
    leaseMs: numberOption(nested, 'share.leaseMs', 1, MAX_MS, halfOpenMaxMs > 0 ? halfOpenMaxMs : openMs),
    callOptions: share.deadlineMs === undefined ? undefined : { deadlineMs: numberOption(nested, 'share.deadlineMs', 1, MAX_MS) },
    waitUntil: functionOption(nested, 'share.waitUntil', undefined),
    instanceId: instanceIdOption(share.instanceId),
  };
}

function instanceIdOption(id) {
  if (id !== undefined && (typeof id !== 'string' || !NAME.test(id))) throw invalidOption('share.instanceId', '1 to 200 printable ASCII characters, unique to the instance', id);
  return id;
}

export class BreakerShare {
  #config;
  #breaker;  // { state(), set(code), emit(view) }: the breaker's own, through its private hooks
  #callWaitUntil = undefined;
  #clock;
  #coarse;
  #timers;
  #id = null;
  #timer = null;
  #active = false;  // a call came since the timer last fired: idle breakers arm no timer
  #disposed = false;
  #refreshing = null;
  #refreshingAt = 0;
  #dirty = false;  // the state changed while a refresh was on its way: send another
  #viewAt = -Infinity;
  #trippedAt = '';  // when this instance tripped on its own, while it is open or half-open
  #openedAt = 0;   // when it last opened: a trial result older than that is of an earlier period
  #leaseUntil = -Infinity;
  #leasing = null;
  #leasingAt = 0;
  #deniedUntil = -Infinity;  // another instance held the lease when last asked: not asked again till then
  #view = {
    instanceId: undefined, quorum: 0, openReports: 0, reachable: undefined, viewAt: undefined,
    trialLeaseUntil: undefined, storeCalls: 0, storeFailures: 0, fallbackTrials: 0, lastError: undefined,
  };

  /** `clock` and `coarse` are the breaker's Clocks (coarse: cheap enough to read per call). */
  constructor(config, breaker, clock, coarse, timers) {
    this.#config = config;
    this.#breaker = breaker;
    this.#clock = clock;
    this.#coarse = coarse;
    this.#timers = timers;
    this.#view.quorum = config.quorum;
  }

  /**
   * On every call: refreshes the view once it is a publish interval old; keeps the timer going.
   * `waitUntil`, the call's (a request's ctx.waitUntil), takes the background calls from then on
   * when share.waitUntil is not given: on Workers a request's work ends with it otherwise.
   */
  touch(waitUntil) {
    if (waitUntil !== undefined) this.#callWaitUntil = waitUntil;
    if (this.#timer === null && !this.#disposed) this.#arm();
    this.#active = true;
    const now = this.#coarse.now();
    if (this.#stale(this.#refreshing, this.#refreshingAt, now)) this.#refreshing = null;
    if (this.#refreshing === null && now - this.#viewAt >= this.#config.publishIntervalMs) this.#refresh();
  }

  // A store call past its deadline that never settled (a runtime that dropped it when the request
  // that made it ended) no longer holds the next one back: the view and the trial lease would
  // otherwise never be asked for again. Without share.deadlineMs the store's own is unknown here:
  // a publish interval then.
  #stale(pending, at, now) {
    return pending !== null && now - at > this.#staleMs();
  }

  #staleMs() {
    return this.#config.callOptions?.deadlineMs ?? this.#config.publishIntervalMs;
  }

  /** The shared view, for metrics(), /healthz and /metrics. */
  view() {
    return { ...this.#view };
  }

  /** The breaker changed state (its 'stateChange' event): a listener, so it never throws. */
  changed(event) {
    this.#safely(() => this.#changed(event));
  }

  #changed({ from, to, reason }) {
    const now = Math.floor(this.#clock.now());
    this.#deniedUntil = -Infinity;  // a new period asks afresh
    if (to === 'open') {
      this.#openedAt = now;
      if (OBSERVED.has(reason)) this.#trippedAt = now;
    } else if (to !== 'halfOpen') {
      this.#trippedAt = '';
    }
    if (from === 'halfOpen' && this.#leaseUntil !== -Infinity) {
      // This instance ran the trials: the others adopt what its core decided.
      if (reason !== 'sharedTrials') {
        this.#end(to === 'closed' && reason === 'trialsPassed' ? 'passed'
          : to === 'open' && reason !== 'halfOpenTimeout' ? 'failed' : '', now);
      }
      this.#leaseUntil = -Infinity;
      this.#view.trialLeaseUntil = undefined;
    }
    this.#refresh();
  }

  /**
   * A half-open call asks whether it may be a trial: true at once while this instance holds the
   * lease, else a promise of the store's answer. The store failing: true (the local breaker's
   * own trial permits, unleased).
   */
  lease() {
    if (this.#held()) return true;
    const now = this.#coarse.now();
    if (now < this.#deniedUntil) return Promise.resolve(false);
    if (this.#stale(this.#leasing, this.#leasingAt, now)) this.#leasing = null;
    if (this.#leasing === null) {
      const leasing = this.#askLease().finally(() => {
        if (this.#leasing === leasing) this.#leasing = null;
      });
      this.#leasing = leasing;
      this.#leasingAt = now;
    }
    return this.#bounded(this.#leasing);
  }

  // A call joining the lease ask waits no longer than a stale ask holds others back; then, as when
  // the store fails, it is a local trial.
  #bounded(leasing) {
    return new Promise((resolve) => {
      const timer = this.#timers.setTimeout(() => {
        this.#view.fallbackTrials++;
        resolve(true);
      }, this.#staleMs());
      leasing.then((leased) => {
        this.#timers.clearTimeout(timer);
        resolve(leased);
      });
    });
  }

  /**
   * For tryAcquire, which cannot wait: true while the lease is held or the store is known down
   * (local trials); otherwise asks for the lease in the background and says false for now.
   */
  leaseNow() {
    if (this.#held() || this.#view.reachable === false) return true;
    this.#background(this.lease());
    return false;
  }

  // An impossible clock reading holds no lease (asking for one then refuses the trial).
  #held() {
    try {
      return this.#clock.now() < this.#leaseUntil;
    } catch {
      return false;
    }
  }

  dispose() {
    this.#disposed = true;
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #arm() {
    this.#active = false;
    const timer = this.#timers.setTimeout(() => this.#tick(), this.#config.publishIntervalMs);
    timer?.unref?.();  // Node: a breaker's timer never keeps a process alive
    this.#timer = timer;
  }

  #tick() {
    this.#timer = null;
    if (this.#disposed) return;
    if (this.#refreshing === null) this.#safely(() => this.#refresh());
    if (this.#active) this.#arm();
  }

  #refresh() {
    if (this.#refreshing !== null) {
      this.#dirty = true;
      return;
    }
    const now = Math.floor(this.#clock.now());
    this.#viewAt = now;
    this.#refreshingAt = now;
    const refreshing = this.#call(reportScript, this.#config.keys,
      (id) => [id, this.#trippedAt, now, this.#config.windowMs, this.#config.quorum])
      .then((reply) => { if (reply !== undefined) this.#safely(() => this.#adoptView(reply)); })
      .finally(() => {
        if (this.#refreshing !== refreshing) return;
        this.#refreshing = null;
        if (this.#dirty && !this.#disposed) {
          this.#dirty = false;
          this.#safely(() => this.#refresh());
        }
      });
    this.#refreshing = refreshing;
    this.#background(refreshing);
  }

  #adoptView([count, result, at]) {
    const view = this.#view;
    const before = view.openReports;
    view.openReports = Number(count);
    view.viewAt = this.#viewAt;
    if (this.#disposed) return;
    const state = this.#breaker.state();
    if (state === 'closed' && view.openReports >= this.#config.quorum) {
      this.#breaker.set(SET.TRIP);
    } else if (state === 'halfOpen') {
      this.#adoptTrials(result, Number(at));
    }
    if (view.openReports !== before) this.#breaker.emit(this.view());
  }

  // A trial result from this instance's current period (decided after it opened).
  #adoptTrials(result, at) {
    if (result === '' || at <= this.#openedAt || this.#held()) return;
    this.#breaker.set(result === 'passed' ? SET.TRIALS_PASSED : SET.TRIALS_FAILED);
  }

  // Never rejects: a clock turned invalid refuses the trial (false), as the core would.
  async #askLease() {
    const { keys, leaseMs, windowMs } = this.#config;
    let now;
    try {
      now = Math.floor(this.#clock.now());
    } catch (error) {
      this.#view.lastError = error?.code ?? 'ERROR';
      return false;
    }
    const reply = await this.#call(trialScript, [keys[1]],
      (id) => ['lease', id, now, this.#openedAt, leaseMs, leaseMs + windowMs]);
    if (reply === undefined) {
      this.#view.fallbackTrials++;
      return true;
    }
    const [granted, result, at] = reply;
    if (Number(granted) === 1) {
      this.#leaseUntil = now + leaseMs;
      this.#view.trialLeaseUntil = this.#leaseUntil;
      return true;
    }
    // Held elsewhere: a flood of half-open calls costs a round trip per publish interval, not
    // one each; the verdict comes with the view meanwhile.
    if (Number(granted) === 0) this.#deniedUntil = now + this.#config.publishIntervalMs;
    if (Number(granted) === 2 && !this.#disposed) {
      this.#safely(() => {
        if (this.#breaker.state() === 'halfOpen') this.#adoptTrials(result, Number(at));
      });
    }
    return false;
  }

  #end(result, now) {
    const { keys, leaseMs, windowMs } = this.#config;
    this.#background(this.#call(trialScript, [keys[1]], (id) => ['end', id, now, result, leaseMs, leaseMs + windowMs]));
  }

  // One store call: resolves with the reply, or undefined when the store failed (counted, and
  // the view marked unreachable); never rejects.
  async #call(script, keys, args) {
    const view = this.#view;
    view.storeCalls++;
    try {
      const id = this.#id ??= this.#config.instanceId ?? randomId();
      view.instanceId = id;
      // A user's store may keep no deadline: one that never answers would leave the view
      // reachable, and a half-open circuit waiting on its trial lease for good.
      const store = this.#config.store;
      const reply = await withinDeadline(store, () => store.evalScript(script, keys, args(id), this.#config.callOptions),
        this.#staleMs(), this.#timers);
      // Both scripts answer [number, string, number]; anything else (a store that ran something
      // else) is a failure, never read: a NaN time would pass as a verdict of this period.
      if (!Array.isArray(reply) || reply.length !== 3 || typeof reply[1] !== 'string' ||
          !Number.isFinite(replyNumber(reply[0])) || !Number.isFinite(replyNumber(reply[2]))) {
        throw storeFailed(`a reply of another shape: ${describe(reply)}`);
      }
      this.#reach(true);
      return reply;
    } catch (error) {
      view.storeFailures++;
      view.lastError = error?.code ?? 'STORE_ERROR';
      this.#reach(false);
      return undefined;
    }
  }

  #reach(reachable) {
    if (this.#view.reachable === reachable) return;
    this.#view.reachable = reachable;
    if (!this.#disposed) this.#safely(() => this.#breaker.emit(this.view()));
  }

  // A background promise: handed to waitUntil (edge runtimes end a request's work otherwise).
  #background(promise) {
    const waitUntil = this.#config.waitUntil ?? this.#callWaitUntil;
    if (waitUntil !== undefined) this.#safely(() => waitUntil(promise));
  }

  // Work in a timer or a store's answer: what it throws (a clock turned invalid, a breaker
  // disposed meanwhile) is counted, never thrown into a timer or left as a rejection.
  #safely(fn) {
    try {
      fn();
    } catch (error) {
      this.#view.lastError = error?.code ?? 'ERROR';
    }
  }
}
