// The dashboard: the real edgeguard module in this page, guarding calls to the demo backend,
// with the viewer in control of the traffic, the backend's health and the guard's settings.
// `window.demo` lets a test drive it step by step (run N requests, move the clock) instead of
// waiting on wall-clock time.
import * as edgeguard from 'edgeguard';
import { createDemoGuard } from './demo-guard.js';
import { OUTCOMES, FROM_CACHE, classify } from './outcomes.js';
import { Metrics } from './metrics.js';
import { createCharts } from './charts.js';
import { RequestLog } from './request-log.js';
import { LOG_FORMAT } from './access-log.js';
import { OutageWatch } from './outage.js';
import { createOutagePanel } from './outage-panel.js';
import { Traffic } from './traffic.js';
import { createBackendControls } from './backend-controls.js';
import { createSettings } from './settings.js';
import { createPlayground } from './playground.js';
import { createInstancesPanel } from './instances-panel.js';
import { ORDER_SCHEMA } from './order-schema.js';

const RENDER_MS = 500;
const $ = (id) => document.getElementById(id);

// The page's clock: wall time (or the instant a test froze it) plus whatever a test skipped
// ahead. Every part reads it.
let skippedMs = 0;
let frozenAt = null;
const clock = () => (frozenAt ?? Date.now()) + skippedMs;

await edgeguard.init();
const { backendUrl } = await (await fetch('/demo-config.json')).json();

const metrics = new Metrics();
const log = new RequestLog($('access-log'));
$('log-format').textContent = `log_format: ${LOG_FORMAT}`;
const outage = new OutageWatch();
const outagePanel = createOutagePanel({ panel: $('outage-panel'), title: $('outage-title'), list: $('outage-statements') });
const charts = createCharts({
  rate: $('chart-rate'), latency: $('chart-latency'), hitRatio: $('chart-hit-ratio'), breaker: $('chart-breaker'),
});
let guard;
const settings = createSettings([...document.querySelectorAll('form[data-section]')],
  (section, values) => guard.configure(section, values));
guard = createDemoGuard(edgeguard, settings.initial, {
  backendUrl, clock, schema: ORDER_SCHEMA,
  onBreaker: (state) => metrics.breaker(state, clock()),
});

function summarize(problem) {
  if (problem.errors?.length) {
    return problem.errors.map((e) => `${e.instancePath || '(root)'} ${e.message}`).join('; ');
  }
  return problem.detail ?? problem.title;
}

async function send({ method, path, body }) {
  const start = performance.now();
  const counter = { attempts: 0 };
  let res;
  let bytes;
  let problem = {};
  try {
    res = await guard.fetch(path, { method, body, headers: body ? { 'content-type': 'application/json' } : {} }, counter);
    const content = await res.arrayBuffer();
    bytes = content.byteLength;
    if (res.headers.get('content-type')?.includes('problem+json')) problem = JSON.parse(new TextDecoder().decode(content));
  } catch (error) {
    problem = { detail: String(error) };
  }
  const latencyMs = performance.now() - start;
  const outcome = classify(res, problem);
  const atMs = clock();
  metrics.record(outcome, latencyMs, method === 'GET', atMs);
  outage.record(outcome, method === 'GET');
  log.add({
    atMs, method, path, status: res?.status, bytes, latencyMs, outcome, attempts: counter.attempts,
    cacheStatus: res?.headers.get('cache-status'),
    rateLimited: res?.headers.has('ratelimit') ? outcome === 'rate-limited' : undefined,
    detail: problem.type || problem.detail ? summarize(problem)
      : FROM_CACHE.has(outcome) ? `a copy ${res.headers.get('age') ?? '?'} s old` : undefined,
  });
  return outcome;
}

const traffic = new Traffic(send);
const backend = createBackendControls({
  panel: $('backend-panel'), latency: $('latency'), latencyValue: $('latency-value'),
  errorRate: $('error-rate'), errorRateValue: $('error-rate-value'),
  outage: $('outage'), outageLabel: $('outage-label'), served: $('backend-served'),
}, backendUrl, (state) => outage.reading(clock(), state.served.requests, state.outage));

const counters = Object.fromEntries(OUTCOMES.map((o) => {
  const tile = document.createElement('div');
  tile.className = 'counter';
  tile.style.setProperty('--color', o.color);
  const value = document.createElement('strong');
  value.id = `count-${o.id}`;
  value.textContent = '0';
  const label = document.createElement('span');
  label.textContent = o.label;
  tile.append(value, label);
  $('counters').append(tile);
  return [o.id, value];
}));

const BREAKER_TEXT = { closed: 'closed', open: 'OPEN', halfOpen: 'half-open', forcedOpen: 'forced open' };
function render() {
  const state = guard.breakerState;
  metrics.breaker(state, clock());
  charts.update(metrics.series());
  for (const o of OUTCOMES) counters[o.id].textContent = metrics.totals[o.id].toLocaleString('en');
  $('cached-route-errors').textContent = String(metrics.cachedRouteErrors);
  const pill = $('breaker-pill');
  pill.className = `pill ${state}`;
  pill.textContent = `breaker: ${BREAKER_TEXT[state] ?? state}`;
  log.flush();
  outagePanel.show(outage.summary());
  showHealth(guard.health());
  if ($('metrics-details').open) $('metrics-text').textContent = guard.metrics();
}

function showHealth(doc) {
  $('health').className = `health ${doc.status}`;
  $('health').textContent = `guard health: ${doc.status}`;
  $('health-checks').replaceChildren(...Object.entries(doc.checks).map(([name, [check]]) => {
    const li = document.createElement('li');
    li.className = check.status;
    li.textContent = `${name}: ${check.observedValue}${check.observedUnit ? ` ${check.observedUnit}` : ''}` +
      `${check.output ? ` (${check.output})` : ''}`;
    return li;
  }));
}

// Controls
const rate = $('rate');
function setRate(value) {
  rate.value = value;
  traffic.setRate(Number(value));
  $('rate-value').textContent = String(traffic.rate);
}
rate.addEventListener('input', () => setRate(rate.value));
for (const [id, key] of [['post-share', 'postShare'], ['invalid-share', 'invalidShare']]) {
  $(id).addEventListener('input', () => {
    traffic.mix[key] = Number($(id).value) / 100;
    $(`${id}-value`).textContent = `${$(id).value} %`;
  });
}
const toggle = $('traffic-toggle');
function setRunning(on) {
  if (on) traffic.start();
  else traffic.stop();
  toggle.textContent = on ? 'Stop traffic' : 'Start traffic';
  toggle.classList.toggle('running', on);
}
toggle.addEventListener('click', () => setRunning(!traffic.running));
$('warm').addEventListener('click', () => traffic.warm());
$('metrics-details').addEventListener('toggle', render);

createPlayground({
  schema: $('schema-input'), payload: $('payload-input'), issues: $('playground-issues'),
  view: $('payload-view'), summary: $('playground-summary'), apply: $('schema-apply'),
}, {
  schema: ORDER_SCHEMA,
  payload: JSON.stringify({ sku: 'kettle-1', qty: 7, email: 'ana@example.com' }, null, 2),
  onApply: (schema) => guard.setSchema(schema),
});

const instances = createInstancesPanel({
  panel: $('instances-panel'), status: $('instances-status'), product: $('instances-product'),
  sendA: $('send-a'), sendB: $('send-b'), alternate: $('send-alternate'), remaining: $('instances-remaining'),
  storeSwitch: $('store-switch'), storeLabel: $('store-label'), stats: $('instances-stats'), log: $('instances-log'),
});

await backend.refresh();
await instances.ready;
setInterval(render, RENDER_MS);
window.addEventListener('resize', () => charts.resize());
render();

window.demo = {
  /** Requests per second of the traffic generator; start() / stop() its loop. */
  setRate,
  start: () => setRunning(true),
  stop: () => setRunning(false),
  get running() {
    return traffic.running;
  },
  /** Runs `n` requests one after another (`kind`: see Traffic.next; default the mix) and redraws. */
  async run(n, kind) {
    await traffic.run(n, kind);
    await backend.refresh();
    render();
    return this.snapshot();
  },
  /** GETs every product once (the Warm button). */
  async warm() {
    await traffic.warm();
    render();
    return this.snapshot();
  },
  /** Stops the page's clock, so that however slowly a test runs, only advance() moves time. */
  freeze() {
    frozenAt ??= Date.now();
  },
  /** Moves the page's clock forward: TTLs, windows and the breaker's open time elapse at once. */
  advance(ms) {
    skippedMs += ms;
    render();
  },
  backend: (update) => backend.set(update),
  /** The two-instance panel: send(name, id) through instance 'a' or 'b', setStore(down), refresh(). */
  instances: { send: instances.send, setStore: instances.setStore, refresh: instances.refresh },
  settings: (section, update) => settings.set(section, update),
  render,
  /** The charts' data, as drawn. */
  series: () => metrics.series(),
  snapshot: () => ({
    totals: { ...metrics.totals },
    cachedRouteErrors: metrics.cachedRouteErrors,
    breaker: guard.breakerState,
    transitions: metrics.transitions.map((t) => ({ ...t })),
    bands: metrics.series().bands,
    inFlight: traffic.inFlight,
  }),
};
document.body.dataset.ready = 'true';
