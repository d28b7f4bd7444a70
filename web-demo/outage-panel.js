// The outage panel: shown once the backend has been set down, it says in three sentences what
// the viewer should notice, with OutageWatch's live numbers. Each number carries its raw value
// in data-value (a rate nobody could measure yet: empty).
const count = (n) => n.toLocaleString('en');
const perSecond = (r) => (r === null ? '–' : r.toFixed(1));

function number(key, value, text) {
  const strong = document.createElement('strong');
  strong.dataset.stat = key;
  strong.dataset.value = value ?? '';
  strong.textContent = text;
  return strong;
}

// A sentence from strings and number() elements.
function sentence(className, ...parts) {
  const li = document.createElement('li');
  li.className = className;
  li.append(...parts);
  return li;
}

export function createOutagePanel({ panel, title, list }) {
  return {
    /** Draws OutageWatch.summary(); null keeps the panel hidden. */
    show(s) {
      panel.hidden = s === null;
      if (s === null) return;
      panel.classList.toggle('over', !s.down);
      const seconds = Math.round(s.seconds);
      title.textContent = s.down ? `The backend is down (for ${seconds} s). What to notice:`
        : `The backend was down for ${seconds} s. What happened while it was:`;
      const { before, during } = s.callsPerSecond;
      list.replaceChildren(
        sentence('served', 'Product pages keep being served: ',
          number('cached-served', s.cachedServed, count(s.cachedServed)), ' answers from the cache, ',
          number('cached-errors', s.cachedErrors, count(s.cachedErrors)), ' errors on the cached route' +
          (s.cachedErrors ? ' (products with no copy in the cache have nothing to fall back on).' : '.')),
        sentence('spared', 'The backend is spared: ',
          number('calls-during', during, perSecond(during)), ' calls/s reach it during the outage, against ',
          number('calls-before', before, perSecond(before)), ` calls/s before (${count(s.backendCalls)} calls in all, by the backend's own count).`),
        sentence('on-purpose', 'Failing on purpose: ',
          number('circuit-open', s.uncachedCircuitOpen, count(s.uncachedCircuitOpen)),
          ' order POSTs, which have no cached copy, answered 503 circuit-open at once, without calling the backend' +
          (s.uncachedErrors ? `; ${count(s.uncachedErrors)} failed before the breaker opened.` : '.')),
      );
    },
  };
}
