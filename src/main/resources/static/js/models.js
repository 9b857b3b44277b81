// The models view: every model's versions and their state, fine-tuning jobs, and setting the
// default version or model with the admin token.
import { adminToken, api } from './api.js';
import { $, h, say } from './dom.js';
import { clearError, showError } from './errors.js';
import { renderFineTunings } from './fine-tunings.js';
import { onModels, refreshModels } from './models-state.js';

export function initModels() {
  const token = $('#admin-token');
  const error = $('#models-error');
  const status = $('#models-status');
  token.value = adminToken.get();
  token.addEventListener('input', () => adminToken.set(token.value.trim()));
  $('#token-form').addEventListener('submit', (e) => e.preventDefault());

  async function change(path, body, done) {
    clearError(error);
    say(status, 'Saving…');
    try {
      await api(path, { method: 'PUT', body, admin: true });
      await refreshModels();
      say(status, done);
    } catch (e) {
      say(status, '');
      showError(error, e);
    }
  }

  function render(list) {
    $('#models-list').replaceChildren(...list.models.map((model) => {
      const isDefaultModel = model.name === list.defaultModel;
      const heading = h('h3', {}, model.name, isDefaultModel ? h('span', { class: 'badge', text: 'default model' }) : null);
      const makeDefaultModel = isDefaultModel ? null : h('button', { type: 'button',
        onclick: () => change('/api/v1/default-model', { model: model.name }, `${model.name} is now the default model.`) },
        `Make ${model.name} the default model`);
      const rows = model.versions.map((v) => {
        const isDefault = v.version === model.defaultVersion;
        return h('tr', { 'data-version': v.version },
          h('th', { scope: 'row' }, `v${v.version}`, isDefault ? h('span', { class: 'badge', text: 'default' }) : null),
          h('td', {}, h('span', { class: `state state-${v.state}`, text: v.state }), v.reason ? h('p', { class: 'help', text: v.reason }) : null),
          h('td', { text: v.device || '' }),
          h('td', { class: 'source', text: v.source || '' }),
          h('td', { text: v.parameterCount ? v.parameterCount.toLocaleString('en') : '–' }),
          h('td', { text: v.readySince ? new Date(v.readySince).toLocaleString() : '–' }),
          h('td', {}, isDefault ? '' : h('button', { type: 'button', disabled: v.state !== 'READY',
            'aria-label': `Make version ${v.version} the default of ${model.name}`,
            onclick: () => change(`/api/v1/models/${encodeURIComponent(model.name)}/default-version`, { version: v.version },
              `${model.name}:${v.version} is now the default version.`) }, 'Make default')));
      });
      return h('article', { class: 'card model', 'data-model': model.name }, heading, makeDefaultModel,
        h('div', { class: 'table-wrap' }, h('table', {},
          h('caption', { class: 'sr-only', text: `Versions of ${model.name}` }),
          h('thead', {}, h('tr', {}, ['Version', 'State', 'Device', 'Source', 'Parameters', 'Ready since', 'Action']
            .map((t) => h('th', { scope: 'col', text: t })))),
          h('tbody', {}, rows))));
    }));
    loadFineTunings(list);
  }

  async function loadFineTunings(list) {
    const section = $('#fine-tunings');
    try {
      section.hidden = !(await renderFineTunings($('#fine-tunings-list'), list.models.map((m) => m.name)));
    } catch (e) {
      section.hidden = false;
      showError(error, e);
    }
  }

  onModels(render);
  return {
    show() {
      refreshModels().catch((e) => showError(error, e));
    },
  };
}
