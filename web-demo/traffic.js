// The traffic generator: requests at a chosen rate with a mix of routes (product GETs, which are
// cached, and order POSTs, some of them invalid), drawn from a seeded generator so a run can be
// replayed. Its loop is one timer, stopped by stop(); requests in flight are capped.
import { PRODUCT_COUNT } from './products.js';
import { seededRandom } from './seeded-random.js';

const TICK_MS = 100;
const MAX_IN_FLIGHT = 64;
export const MAX_RATE = 200;

const INVALID_ORDERS = [
  { sku: 'kettle-1', qty: 0 },
  { sku: 'KETTLE', qty: 2, email: 'ana@example.com' },
  { qty: 3 },
  { sku: 'lamp-2', qty: 2, email: 'not-an-email', note: 'x'.repeat(300) },
];

export class Traffic {
  /** `send(request)` performs one request ({ method, path, body? }) and resolves when done. */
  constructor(send, { seed = 8 } = {}) {
    this.send = send;
    this.random = seededRandom(seed);
    this.rate = 10;
    this.mix = { postShare: 0.3, invalidShare: 0.25 };
    this.timer = undefined;
    this.inFlight = 0;
    this.skipped = 0;
    this.credit = 0;
  }

  get running() {
    return this.timer !== undefined;
  }

  setRate(rate) {
    this.rate = Math.max(0, Math.min(MAX_RATE, rate));
  }

  /** The next request of the mix; `kind` forces 'get', 'post', or a 'valid' / 'invalid' POST. */
  next(kind) {
    const post = kind === undefined ? this.random() < this.mix.postShare : kind !== 'get';
    if (!post) {
      // A skewed pick: a few popular products take most requests, as real catalogues do.
      const id = 1 + Math.floor(PRODUCT_COUNT * this.random() ** 2);
      return { method: 'GET', path: `/api/products/${id}` };
    }
    const invalid = kind === 'invalid' || (kind !== 'valid' && this.random() < this.mix.invalidShare);
    const order = invalid ? INVALID_ORDERS[Math.floor(this.random() * INVALID_ORDERS.length)]
      : { sku: `mug-${1 + Math.floor(this.random() * 9)}`, qty: 1 + Math.floor(this.random() * 5), email: 'ana@example.com' };
    return { method: 'POST', path: '/api/orders', body: JSON.stringify(order) };
  }

  start() {
    if (this.running) return;
    this.credit = 0;
    this.timer = setInterval(() => this.#tick(), TICK_MS);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  #tick() {
    this.credit = Math.min(this.credit + (this.rate * TICK_MS) / 1000, MAX_RATE);
    while (this.credit >= 1) {
      this.credit -= 1;
      if (this.inFlight >= MAX_IN_FLIGHT) {
        this.skipped++;
        continue;
      }
      this.inFlight++;
      this.send(this.next()).finally(() => this.inFlight--);
    }
  }

  /** GETs every product once, one after the other: the cache then holds the whole catalogue. */
  async warm() {
    for (let id = 1; id <= PRODUCT_COUNT; id++) await this.send({ method: 'GET', path: `/api/products/${id}` });
  }

  /** Runs `n` requests one after the other and resolves when the last is done. */
  async run(n, kind) {
    for (let i = 0; i < n; i++) await this.send(this.next(kind));
  }
}
