// The "Two instances, one store" panel: two guards in the demo's Node process (scripts/
// demo-instances.js) share one rate limit and one cache's shared tier in a redis-server. The
// viewer sends requests to A or B and sees where each answer came from (memory / shared /
// backend), the one remaining count both draw on, and, with the store switched off, both
// answering from memory while the shared tier's skips and timeouts rise.
import { PRODUCT_COUNT } from './products.js';

const POLL_MS = 1000;
const LOG_ROWS = 12;
const SHARED_STATS = ['hits', 'misses', 'writes', 'skips', 'timeouts', 'errors'];
const SOURCES = ['memory', 'shared', 'backend'];

async function call(path, body) {
  const res = await fetch(`/instances/${path}`, body === undefined ? {} : {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const answer = await res.json();
  if (!res.ok) throw new Error(answer.detail ?? answer.reason ?? `HTTP ${res.status}`);
  return answer;
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = String(text);
  if (className) td.className = className;
  return td;
}

export function createInstancesPanel(el) {
  let last = null;
  let next = 'a';
  const lastSource = {};
  let answered = 0;

  function showState(state) {
    last = state;
    const available = state.store !== 'unavailable';
    el.panel.classList.toggle('down', state.store === 'down');
    el.panel.classList.toggle('unavailable', !available);
    for (const button of [el.sendA, el.sendB, el.alternate, el.storeSwitch]) button.disabled = !available;
    el.storeSwitch.checked = state.store === 'down';
    el.storeLabel.textContent = { up: 'store up', down: 'store DOWN', unavailable: 'store unavailable' }[state.store];
    el.status.textContent = !available ? `The store is unavailable: ${state.reason}. The panel is off; the rest of the page works.`
      : state.store === 'down' ? 'The store is down: both instances keep answering from memory (the shared tier is skipped or times out), and the limit falls back to each instance\'s own share.'
        : `Both instances share the limit "${state.limit.name}" (${state.limit.limit} in ${state.limit.windowMs / 1000} s) and the shared tier in redis-server.`;
    if (!available) return;
    el.stats.replaceChildren(...[
      ['last answer from', (s, name) => lastSource[name] ?? '–'],
      ...SOURCES.map((source) => [`answers from ${source}`, (s) => s.counts[source]]),
      ...SHARED_STATS.map((stat) => [`shared tier ${stat}`, (s) => s.shared[stat]]),
      ['store breaker', (s) => s.storeBreaker],
    ].map(([label, read]) => {
      const tr = document.createElement('tr');
      const key = label.replaceAll(' ', '-');
      tr.append(cell(label), ...Object.entries(state.instances).map(([name, s]) => cell(read(s, name), `num i-${name} s-${key}`)));
      return tr;
    }));
  }

  function logAnswer(a) {
    const li = document.createElement('li');
    li.className = `src-${a.source ?? 'none'}`;
    const what = a.status === 200 ? `from ${a.source}${a.cache === 'stale' || a.cache === 'stale-if-error' ? ` (${a.cache})` : ''}`
      : `${a.status}: ${a.detail}`;
    li.textContent = `${a.instance.toUpperCase()} · product ${a.id} · ${what} · ${a.remaining ?? '?'} left`;
    el.log.prepend(li);
    while (el.log.children.length > LOG_ROWS) el.log.lastChild.remove();
    el.log.dataset.answers = String(++answered);
  }

  async function refresh() {
    showState(await call('state'));
    return last;
  }

  /** One request through instance `name` ('a' or 'b') for product `id`; resolves with its answer. */
  async function send(name, id = Number(el.product.value)) {
    const answer = await call(`${name}/products/${id}`, {});
    lastSource[name] = answer.source ?? String(answer.status);
    el.remaining.textContent = answer.remaining ?? '?';
    logAnswer(answer);
    await refresh();
    return answer;
  }

  async function setStore(down) {
    el.storeSwitch.checked = down;
    showState(await call('store', { down }));
    return last;
  }

  const report = (error) => { el.status.textContent = String(error.message ?? error); };
  el.product.max = String(PRODUCT_COUNT);
  el.sendA.addEventListener('click', () => send('a').catch(report));
  el.sendB.addEventListener('click', () => send('b').catch(report));
  el.alternate.addEventListener('click', () => {
    const name = next;
    next = name === 'a' ? 'b' : 'a';
    send(name).catch(report);
  });
  el.storeSwitch.addEventListener('change', () => setStore(el.storeSwitch.checked).catch(report));
  setInterval(() => refresh().catch(report), POLL_MS);
  return { send, setStore, refresh, state: () => last, ready: refresh().catch(report) };
}
