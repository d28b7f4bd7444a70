// The validation playground: a schema editor and a payload editor, validated by the wasm
// Validator on every keystroke, with Ajv-shaped errors and warnings listed and the failing
// values highlighted in a view of the payload.
import { Validator } from 'edgeguard';
import { VALIDATOR_OPTIONS } from './order-schema.js';

const escapePointer = (key) => String(key).replaceAll('~', '~0').replaceAll('/', '~1');

function span(text, className, path) {
  const s = document.createElement('span');
  s.textContent = text;
  if (className) s.className = className;
  if (path !== undefined) s.dataset.path = path;
  return s;
}

// The value as indented JSON, each value in an element carrying its instance path.
function render(value, path, indent, out) {
  const pad = '  '.repeat(indent);
  const node = span('', 'v', path);
  if (Array.isArray(value) || (value !== null && typeof value === 'object')) {
    const array = Array.isArray(value);
    const entries = array ? value.map((v, i) => [i, v]) : Object.entries(value);
    node.append(array ? '[' : '{');
    entries.forEach(([key, v], i) => {
      node.append(`\n${pad}  `);
      if (!array) node.append(span(JSON.stringify(key), 'k'), ': ');
      render(v, `${path}/${escapePointer(key)}`, indent + 1, node);
      if (i < entries.length - 1) node.append(',');
    });
    node.append(entries.length ? `\n${pad}${array ? ']' : '}'}` : (array ? ']' : '}'));
  } else {
    node.textContent = JSON.stringify(value);
  }
  out.append(node);
}

function issueItem(issue, kind) {
  const li = document.createElement('li');
  li.className = kind;
  li.append(span(issue.instancePath || '(root)', 'path'), ' ', span(issue.message, 'msg'),
    ' ', span(`${issue.keyword} at ${issue.schemaPath}`, 'where'));
  return li;
}

/**
 * Wires the editors in `el` ({ schema, payload, issues, view, summary, apply }); `onApply(schema)`
 * is called with the parsed schema when the user applies it to the orders route.
 */
export function createPlayground(el, { schema, payload, onApply }) {
  let validator;
  let schemaValue;
  el.schema.value = JSON.stringify(schema, null, 2);
  el.payload.value = payload;

  function compile() {
    validator?.dispose();
    validator = undefined;
    try {
      schemaValue = JSON.parse(el.schema.value);
      validator = new Validator(schemaValue, VALIDATOR_OPTIONS);
      el.schema.classList.remove('bad');
      return null;
    } catch (error) {
      el.schema.classList.add('bad');
      return error.code ? `${error.code}: ${error.message}` : `schema is not JSON: ${error.message}`;
    }
  }

  function check(schemaProblem = compile()) {
    el.issues.replaceChildren();
    el.view.replaceChildren();
    el.apply.disabled = schemaProblem !== null;
    if (schemaProblem) {
      el.summary.className = 'summary bad';
      el.summary.textContent = schemaProblem;
      el.view.textContent = el.payload.value;
      return;
    }
    const result = validator.validate(el.payload.value);
    const malformed = result.errors.find((e) => e.keyword === 'json');
    if (malformed) {
      const text = el.payload.value;
      // The offset counts UTF-8 bytes; the view needs UTF-16 units.
      const bytes = new TextEncoder().encode(text).subarray(0, malformed.params.offset ?? 0);
      const at = new TextDecoder().decode(bytes).length;
      el.view.append(text.slice(0, at), span(text.slice(at, at + 1) || ' ', 'mark-error'), text.slice(at + 1));
    } else {
      render(JSON.parse(el.payload.value), '', 0, el.view);
      const mark = (issue, className) => {
        const target = el.view.querySelector(`[data-path="${CSS.escape(issue.instancePath)}"]`);
        target?.classList.add(className);
      };
      result.warnings.forEach((w) => mark(w, 'mark-warning'));
      result.errors.forEach((e) => mark(e, 'mark-error'));
    }
    result.errors.forEach((e) => el.issues.append(issueItem(e, 'error')));
    result.warnings.forEach((w) => el.issues.append(issueItem(w, 'warning')));
    const n = (k, what) => `${k} ${what}${k === 1 ? '' : 's'}`;
    el.summary.className = `summary ${result.valid ? (result.warnings.length ? 'warn' : 'ok') : 'bad'}`;
    el.summary.textContent = result.valid
      ? `valid${result.warnings.length ? `, ${n(result.warnings.length, 'warning')}` : ''}`
      : `invalid: ${n(result.errors.length, 'error')}${result.warnings.length ? `, ${n(result.warnings.length, 'warning')}` : ''}`;
  }

  el.schema.addEventListener('input', () => check());
  el.payload.addEventListener('input', () => check(validator ? null : compile()));
  el.apply.addEventListener('click', () => onApply(schemaValue));
  check();
}
