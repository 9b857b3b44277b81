// Form fields built from the attack catalogue (GET /api/v1/attacks): type, default, range, help.
import { h, num } from './dom.js';

/** "0 to 1 (L2: up to 55.43)" for a parameter's bounds, or "". */
export function range(param) {
  const bounds = [];
  if (param.min !== undefined && param.max !== undefined) bounds.push(`${num(param.min)} to ${num(param.max)}`);
  else if (param.min !== undefined) bounds.push(`at least ${num(param.min)}`);
  else if (param.max !== undefined) bounds.push(`at most ${num(param.max)}`);
  if (param.maxL2 !== undefined) bounds.push(`L2: up to ${num(param.maxL2)}`);
  return bounds.join('; ');
}

/**
 * Renders `method`'s parameters into `container` with ids prefixed by `prefix`, each input named
 * by data-field="params.<name>" so that a problem's field finds it. Returns read(), which gives
 * the params object: every filled-in value with its type (an empty field takes the server default).
 */
export function renderParams(container, method, prefix, skip = []) {
  const fields = [];
  const rows = [];
  for (const param of method.params.filter((p) => !skip.includes(p.name))) {
    const id = `${prefix}-${param.name}`;
    const helpId = `${id}-help`;
    const bounds = range(param);
    const help = h('p', { id: helpId, class: 'help' }, param.description, bounds ? ` Range: ${bounds}.` : '',
      param.defaultValue === undefined ? ' Empty: automatic.' : '');
    let input;
    if (param.type === 'boolean') {
      input = h('input', { type: 'checkbox', id, 'data-field': `params.${param.name}`, 'aria-describedby': helpId });
      input.checked = param.defaultValue === true;
      rows.push(h('div', { class: 'param' }, h('div', { class: 'check' }, input, h('label', { for: id, text: param.name })), help));
    } else if (param.values) {
      input = h('select', { id, 'data-field': `params.${param.name}`, 'aria-describedby': helpId },
        param.values.map((v) => h('option', { value: v, selected: v === param.defaultValue, text: v })));
      rows.push(h('div', { class: 'param' }, h('label', { for: id, text: param.name }), input, help));
    } else {
      input = h('input', {
        type: 'number', id, 'data-field': `params.${param.name}`, 'aria-describedby': helpId,
        step: param.type === 'integer' ? '1' : 'any', min: param.min, max: param.max,
        inputmode: param.type === 'integer' ? 'numeric' : 'decimal', placeholder: param.defaultValue === undefined ? 'auto' : '',
      });
      if (param.defaultValue !== undefined) input.value = String(Number(Number(param.defaultValue).toPrecision(6)));
      rows.push(h('div', { class: 'param' }, h('label', { for: id, text: param.name }), input, help));
    }
    fields.push({ param, input });
  }
  container.replaceChildren(...(rows.length ? rows : [h('p', { class: 'help', text: 'No parameters.' })]));
  return () => readFields(fields);
}

/** Typed values of the filled-in fields; a field that is not a number throws a problem-shaped error. */
function readFields(fields) {
  const params = {};
  for (const { param, input } of fields) {
    if (param.type === 'boolean') params[param.name] = input.checked;
    else if (param.values) params[param.name] = input.value;
    else {
      if (input.validity && input.validity.badInput) {
        throw { title: 'Not a number', detail: `'${param.name}' must be a number.`, field: `params.${param.name}` };
      }
      if (input.value !== '') params[param.name] = Number(input.value);
    }
  }
  return params;
}
