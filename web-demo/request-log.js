// The scrolling log of the last requests: what was asked, what the guard answered and why.
// It keeps the last `size` entries and redraws at most once per flush().
import { OUTCOMES } from './outcomes.js';

const LABELS = Object.fromEntries(OUTCOMES.map((o) => [o.id, o.label]));

function cell(tr, text, className) {
  const td = tr.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

export class RequestLog {
  constructor(tbody, size = 100) {
    this.tbody = tbody;
    this.size = size;
    this.entries = [];
    this.dirty = false;
  }

  add(entry) {
    this.entries.push(entry);
    if (this.entries.length > this.size) this.entries.splice(0, this.entries.length - this.size);
    this.dirty = true;
  }

  flush() {
    if (!this.dirty) return;
    this.dirty = false;
    const rows = document.createDocumentFragment();
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i];
      const tr = document.createElement('tr');
      tr.className = `o-${e.outcome}`;
      cell(tr, new Date(e.atMs).toISOString().slice(11, 23), 'mono');
      cell(tr, `${e.method} ${e.path}`, 'mono');
      cell(tr, String(e.status || '—'));
      cell(tr, LABELS[e.outcome], 'outcome');
      cell(tr, `${e.latencyMs.toFixed(1)} ms`, 'num');
      cell(tr, e.cacheStatus ?? '', 'mono small');
      cell(tr, e.rateLimit ?? '', 'mono small');
      cell(tr, e.detail ?? '', 'small');
      rows.append(tr);
    }
    this.tbody.replaceChildren(rows);
  }
}
