// The JSON check panel: every keystroke is checked by the wasm module, with the error's place.
import { init, version, Json } from 'edgeguard';

const input = document.getElementById('json-input');
const result = document.getElementById('json-result');
const status = document.getElementById('status');

function show() {
  const r = Json.check(input.value);
  result.className = `result ${r.valid ? 'ok' : 'bad'}`;
  result.textContent = r.valid ? 'Well-formed JSON.'
    : `${r.error.code}: ${r.error.message}`;
}

await init();
status.textContent = `edgeguard ${version} loaded`;
status.classList.add('ok');
input.addEventListener('input', show);
show();
