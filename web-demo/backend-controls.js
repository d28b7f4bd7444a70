// The backend's health, as the viewer sets it: added latency, error rate and the outage switch,
// sent to the demo backend's admin endpoint.
export function createBackendControls(el, backendUrl) {
  async function send(update) {
    const res = await fetch(`${backendUrl}/admin/state`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(update),
    });
    const state = await res.json();
    if (!res.ok) throw new Error(state.detail);
    el.latencyValue.textContent = `${state.latencyMs} ms`;
    el.errorRateValue.textContent = `${Math.round(state.errorRate * 100)} %`;
    el.outage.checked = state.outage;
    el.panel.classList.toggle('down', state.outage);
    el.outageLabel.textContent = state.outage ? 'backend DOWN' : 'backend up';
    return state;
  }
  el.latency.addEventListener('input', () => send({ latencyMs: Number(el.latency.value) }));
  el.errorRate.addEventListener('input', () => send({ errorRate: Number(el.errorRate.value) / 100 }));
  el.outage.addEventListener('change', () => send({ outage: el.outage.checked }));
  return {
    /** Sets controls (as the sliders would) and resolves with the backend's state. */
    async set(update) {
      if (update.latencyMs !== undefined) el.latency.value = update.latencyMs;
      if (update.errorRate !== undefined) el.errorRate.value = update.errorRate * 100;
      return send(update);
    },
    sync: () => send({}),
  };
}
