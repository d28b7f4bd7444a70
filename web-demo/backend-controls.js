// The backend's health, as the viewer sets it: added latency, error rate and the outage switch,
// sent to the demo backend's admin endpoint. Also shows how many calls reached the backend, so
// the viewer sees the open breaker sparing it; `onState(state)` hears every state read.
const POLL_MS = 1000;

export function createBackendControls(el, backendUrl, onState = () => {}) {
  // A poll sent before a change may answer after it: only the newest request's answer is shown.
  let sent = 0;
  let shown = 0;

  function show(state) {
    el.latencyValue.textContent = `${state.latencyMs} ms`;
    el.errorRateValue.textContent = `${Math.round(state.errorRate * 100)} %`;
    el.outage.checked = state.outage;
    el.panel.classList.toggle('down', state.outage);
    el.outageLabel.textContent = state.outage ? 'backend DOWN' : 'backend up';
    const { requests, dropped, errors } = state.served;
    el.served.textContent = `${requests.toLocaleString('en')} calls reached the backend` +
      ` (${dropped.toLocaleString('en')} dropped, ${errors.toLocaleString('en')} failed)`;
    return state;
  }

  async function call(init) {
    const mine = ++sent;
    const res = await fetch(`${backendUrl}/admin/state`, init);
    const state = await res.json();
    if (!res.ok) throw new Error(state.detail);
    if (mine < shown) return state;
    shown = mine;
    onState(state);
    return show(state);
  }

  const send = (update) => call({
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(update),
  });
  el.latency.addEventListener('input', () => send({ latencyMs: Number(el.latency.value) }));
  el.errorRate.addEventListener('input', () => send({ errorRate: Number(el.errorRate.value) / 100 }));
  el.outage.addEventListener('change', () => send({ outage: el.outage.checked }));
  setInterval(() => call().catch(() => {
    el.served.textContent = 'the backend\'s admin endpoint does not answer';
  }), POLL_MS);
  return {
    /** Sets controls (as the sliders would) and resolves with the backend's state. */
    async set(update) {
      if (update.latencyMs !== undefined) el.latency.value = update.latencyMs;
      if (update.errorRate !== undefined) el.errorRate.value = update.errorRate * 100;
      if (update.outage !== undefined) el.outage.checked = update.outage;
      return send(update);
    },
    refresh: () => call(),
  };
}
