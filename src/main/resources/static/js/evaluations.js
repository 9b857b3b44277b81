// The evaluations view: start one, follow it live (server-sent events), its chart, table and
// CSV; and the list of past evaluations.
import { api } from './api.js';
import { catalogueFor } from './attack.js';
import { $, h, num, percent, say } from './dom.js';
import { clearError, showError } from './errors.js';
import { fillModelSelect, onModels } from './models-state.js';
import { follow } from './sse.js';

const TERMINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
/** Budgets offered first, by method: the usual L∞ steps for digits-sized models. */
const DEFAULT_EPS = '0.05, 0.1, 0.2';

export function initEvaluations() {
  const form = $('#evaluation-form');
  const modelSelect = $('#evaluation-model');
  const error = $('#evaluation-error');
  const status = $('#evaluation-status');
  let rows = [];
  let following = null;
  let loadedDatasets = false;

  async function loadAttacks() {
    try {
      const catalogue = await catalogueFor(modelSelect.value);
      rows = catalogue.methods.map((method, i) => attackRow(method, i));
      $('#evaluation-attacks').replaceChildren(...rows.map((r) => r.element));
    } catch (e) {
      showError(error, e, form);
    }
  }

  async function loadDatasets() {
    try {
      const list = await api('/api/v1/datasets');
      const select = $('#evaluation-dataset');
      select.replaceChildren(...list.datasets.map((d) => h('option', { value: d.name, text: `${d.name} (${d.images} images)` })));
      loadedDatasets = true;
      if (!list.datasets.length) {
        showError(error, { title: 'No data sets', detail: 'advlab has no data set yet: put one under advlab.datasets.dir or upload one (see docs/evaluations.md).' });
      }
    } catch (e) {
      showError(error, e, form);
    }
  }

  onModels((list) => {
    fillModelSelect(modelSelect, list);
    loadAttacks();
  });
  modelSelect.addEventListener('change', loadAttacks);
  $('#evaluation-refresh').addEventListener('click', loadList);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError(error, form);
    let body;
    try {
      body = requestBody();
    } catch (problem) {
      showError(error, problem, form);
      return;
    }
    const start = $('#evaluation-start');
    start.disabled = true;
    try {
      const created = await api('/api/v1/evaluations', { method: 'POST', body, admin: true });
      say(status, `Started evaluation ${created.id}.`);
      open(created.id);
      loadList();
    } catch (e) {
      say(status, '');
      showError(error, e, form);
    } finally {
      start.disabled = false;
    }
  });

  function requestBody() {
    const attacks = rows.filter((r) => r.enabled.checked).map((r) => r.read());
    if (!attacks.length) throw { title: 'No attack chosen', detail: 'Check at least one attack.', field: 'attacks' };
    const body = { model: modelSelect.value || undefined, dataset: $('#evaluation-dataset').value, attacks };
    for (const key of ['limit', 'seed']) {
      const input = $(`#evaluation-${key}`);
      if (input.validity.badInput) throw { title: 'Not a number', detail: `'${key}' must be a whole number.`, field: key };
      if (input.value !== '') body[key] = Number(input.value);
    }
    return body;
  }

  /** Shows evaluation `id` and follows its events until it ends. */
  async function open(id, focus = false) {
    if (following) following.abort();
    following = new AbortController();
    const signal = following.signal;
    $('#evaluation-detail').hidden = false;
    $('#evaluation-detail-title').textContent = `Evaluation ${id}`;
    if (focus) $('#evaluation-detail-title').focus();
    $('#evaluation-csv').href = `/api/v1/evaluations/${id}/results.csv`;
    $('#evaluation-csv').download = `evaluation-${id}.csv`;
    $('#evaluation-cancel').onclick = () => cancel(id);
    let view = null;
    const show = (v) => {
      view = v;
      renderDetail(v);
    };
    try {
      show(await api(`/api/v1/evaluations/${id}`));
      while (!signal.aborted && !TERMINAL.includes(view.state)) {
        try {
          await follow(`/api/v1/evaluations/${id}/events`, show, signal);
        } catch (e) {
          if (signal.aborted) return;
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
        if (!signal.aborted && !TERMINAL.includes(view.state)) show(await api(`/api/v1/evaluations/${id}`));
      }
      if (!signal.aborted) loadList();
    } catch (e) {
      if (!signal.aborted) showError($('#evaluation-failure'), e);
    }
  }

  async function cancel(id) {
    try {
      await api(`/api/v1/evaluations/${id}`, { method: 'DELETE', admin: true });
    } catch (e) {
      showError($('#evaluation-failure'), e);
    }
  }

  async function loadList() {
    try {
      const page = await api('/api/v1/evaluations?page=0&size=20');
      $('#evaluation-list tbody').replaceChildren(...page.items.map((item) => h('tr', {},
        h('td', { text: new Date(item.createdAt).toLocaleString() }),
        h('td', { text: item.model }),
        h('td', { text: item.dataset }),
        h('td', { text: item.images }),
        h('td', {}, h('span', { class: `state state-${item.state}`, text: item.state })),
        h('td', {}, h('button', { type: 'button', 'aria-label': `Show evaluation of ${item.createdAt}`, onclick: () => open(item.id, true) }, 'Show')))));
      if (!page.items.length) {
        $('#evaluation-list tbody').replaceChildren(h('tr', {}, h('td', { colspan: 6, text: 'None yet.' })));
      }
    } catch (e) {
      showError(error, e);
    }
  }

  return {
    show() {
      if (!loadedDatasets) loadDatasets();
      loadList();
    },
  };
}

/** One attack of the form: a checkbox and, for methods with a budget, its eps list. */
function attackRow(method, i) {
  const id = `evaluation-attack-${method.name}`;
  const hasEps = method.params.some((p) => p.name === 'eps');
  const enabled = h('input', { type: 'checkbox', id, 'data-field': `attacks[${i}]` });
  enabled.checked = method.name === 'fgsm' || method.name === 'pgd';
  const eps = hasEps ? h('input', { type: 'text', id: `${id}-eps`, value: DEFAULT_EPS, 'data-field': `attacks[${i}].eps`,
    inputmode: 'decimal', 'aria-label': `eps values of ${method.title}` }) : null;
  const element = h('div', { class: 'attack-row' },
    h('div', { class: 'check' }, enabled, h('label', { for: id, text: method.title })),
    eps || h('span', { class: 'help', text: 'no budget' }));
  const read = () => {
    const attack = { method: method.name };
    if (eps) {
      const values = eps.value.split(/[\s,;]+/).filter(Boolean);
      const numbers = values.map(Number);
      const bad = values.find((v, k) => Number.isNaN(numbers[k]));
      if (bad !== undefined) throw { title: 'Not a number', detail: `eps of ${method.title}: '${bad}' is not a number.`, field: `attacks[${i}].eps` };
      attack.eps = numbers;
    }
    return attack;
  };
  return { element, enabled, read };
}

function renderDetail(view) {
  const state = $('#evaluation-state');
  state.textContent = view.state;
  state.className = `state state-${view.state}`;
  const p = view.progress || {};
  $('#evaluation-what').textContent = `${view.model} on ${view.dataset}, ${view.images} images; `
    + `${p.imagesDone ?? 0} of ${p.imagesTotal ?? '?'} image attacks done`
    + (p.elapsedSeconds !== undefined ? `, ${num(p.elapsedSeconds, 3)} s` : '')
    + (p.etaSeconds !== undefined && !TERMINAL.includes(view.state) ? `, about ${Math.ceil(p.etaSeconds)} s left` : '') + '.';
  const progress = $('#evaluation-progress');
  progress.max = Math.max(1, p.imagesTotal || 1);
  progress.value = p.imagesDone || 0;
  $('#evaluation-cancel').hidden = TERMINAL.includes(view.state);
  const failure = $('#evaluation-failure');
  failure.hidden = !view.error;
  if (view.error) failure.replaceChildren(h('p', {}, h('strong', { text: 'Failed' }), ` ${view.error}`));
  const chart = $('#evaluation-chart');
  const src = `/api/v1/evaluations/${view.id}/chart.svg?done=${p.imagesDone ?? 0}&state=${view.state}`;
  if (chart.getAttribute('src') !== src) chart.src = src;
  $('#evaluation-table tbody').replaceChildren(...(view.results || []).map((r) => h('tr', {},
    h('th', { scope: 'row', text: r.method }),
    h('td', { text: num(r.eps) }),
    h('td', { text: `${r.images}/${r.total}` }),
    h('td', { text: percent(r.cleanAccuracy) }),
    h('td', { text: percent(r.robustAccuracy) }),
    h('td', { text: percent(r.successRate) }),
    h('td', { text: percent(r.quantizedSuccessRate) }),
    h('td', { text: num(r.medianL2) }),
    h('td', { text: num(r.medianLinf) }),
    h('td', { text: num(r.seconds, 3) }))));
}
