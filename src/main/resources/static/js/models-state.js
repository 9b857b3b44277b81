// The model list (GET /api/v1/models) shared by the views' model pickers.
import { api } from './api.js';
import { h } from './dom.js';

let current = null;
const listeners = [];

/** Fetches the model list again and tells every picker. */
export async function refreshModels() {
  current = await api('/api/v1/models');
  listeners.forEach((listener) => listener(current));
  return current;
}

export const models = () => current;

/** Calls `listener(list)` now (if loaded) and after each refresh. */
export function onModels(listener) {
  listeners.push(listener);
  if (current) listener(current);
}

/**
 * Fills `select` with every model (its default version) and every other version, as the API
 * names them ("digits", "digits:2"); versions that are not READY are listed but disabled. Keeps
 * the selection if it is still there, else picks the default model, else the first READY one.
 */
export function fillModelSelect(select, list) {
  const previous = select.value;
  const options = [];
  for (const model of list.models) {
    const byVersion = new Map(model.versions.map((v) => [v.version, v]));
    const def = byVersion.get(model.defaultVersion);
    const ready = def && def.state === 'READY';
    const notes = [`v${model.defaultVersion}`];
    if (model.name === list.defaultModel) notes.push('default model');
    if (!ready) notes.push(def ? def.state : 'no version');
    options.push(h('option', { value: model.name, disabled: !ready, text: `${model.name} (${notes.join(', ')})` }));
    for (const v of model.versions.filter((x) => x.version !== model.defaultVersion)) {
      const state = v.state === 'READY' ? '' : ` (${v.state})`;
      options.push(h('option', { value: `${model.name}:${v.version}`, disabled: v.state !== 'READY', text: `${model.name}:${v.version}${state}` }));
    }
  }
  select.replaceChildren(...options);
  const enabled = options.filter((o) => !o.disabled).map((o) => o.value);
  select.value = enabled.includes(previous) ? previous
    : enabled.includes(list.defaultModel) ? list.defaultModel : (enabled[0] ?? '');
}
