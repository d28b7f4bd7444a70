// The scrolling access log of the last requests (access-log.js's lines), newest at the bottom
// as `tail -f` shows a log. It redraws at most once per flush(), and follows new lines only
// while the viewer has not scrolled up to read older ones.
import { AccessLog } from './access-log.js';

export class RequestLog {
  constructor(list, size = 100) {
    this.list = list;
    this.log = new AccessLog(size);
    this.dirty = false;
  }

  add(record) {
    this.log.add(record);
    this.dirty = true;
  }

  flush() {
    if (!this.dirty) return;
    this.dirty = false;
    const box = this.list.parentElement;
    const following = box.scrollTop + box.clientHeight >= box.scrollHeight - 4;
    this.list.replaceChildren(...this.log.lines().map(({ text, outcome }) => {
      const li = document.createElement('li');
      li.className = `o-${outcome}`;
      li.textContent = text;
      return li;
    }));
    if (following) box.scrollTop = box.scrollHeight;
  }
}
