// The attack view: model, image, method from the catalogue, optional defence; then the
// original, the perturbation and the adversarial image side by side.
import { api } from './api.js';
import { $, h, say } from './dom.js';
import { clearError, showError } from './errors.js';
import { initImageInput } from './image-input.js';
import { fillModelSelect, onModels } from './models-state.js';
import { renderParams } from './params.js';
import { renderBars, renderNorms } from './predictions.js';

const catalogues = new Map();

/** The catalogue for a model (its class count and input size bound the parameters), cached. */
export async function catalogueFor(model) {
  if (!catalogues.has(model)) {
    const query = model ? `?model=${encodeURIComponent(model)}` : '';
    catalogues.set(model, api(`/api/v1/attacks${query}`).catch((e) => {
      catalogues.delete(model);
      throw e;
    }));
  }
  return catalogues.get(model);
}

export function initAttack() {
  const form = $('#attack-form');
  const modelSelect = $('#attack-model');
  const methodSelect = $('#attack-method');
  const error = $('#attack-error');
  const status = $('#attack-status');
  const getImage = initImageInput(() => clearError(error, form));
  let methods = [];
  let readParams = () => ({});

  function showMethod() {
    const method = methods.find((m) => m.name === methodSelect.value);
    if (!method) return;
    $('#method-help').textContent = `${method.description}${method.whiteBox ? ' White-box: uses the model\'s gradients.' : ''}`;
    readParams = renderParams($('#attack-params'), method, 'attack-param');
    const target = $('#attack-target');
    $('#target-row').hidden = method.targeted === 'never';
    target.required = method.targeted === 'required';
    const label = method.params.find((p) => p.name === 'label');
    if (label && label.max !== undefined) target.max = label.max;
    $('#target-help').textContent = method.targeted === 'required'
      ? 'Class index the attack aims for (required).'
      : 'Class index the attack aims for; empty: untargeted.';
  }

  async function loadCatalogue() {
    try {
      const catalogue = await catalogueFor(modelSelect.value);
      const previous = methodSelect.value || 'pgd';
      methods = catalogue.methods;
      methodSelect.replaceChildren(...methods.map((m) => h('option', { value: m.name, text: `${m.title} (${m.name})` })));
      methodSelect.value = methods.some((m) => m.name === previous) ? previous : methods[0].name;
      showMethod();
    } catch (e) {
      showError(error, e, form);
    }
  }

  onModels((list) => {
    fillModelSelect(modelSelect, list);
    loadCatalogue();
  });
  modelSelect.addEventListener('change', loadCatalogue);
  methodSelect.addEventListener('change', showMethod);
  $('#defence-on').addEventListener('change', (e) => {
    $('#defence-params').hidden = !e.target.checked;
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError(error, form);
    const image = getImage();
    if (!image) {
      showError(error, { title: 'No image yet', detail: 'Choose a file, drop one, give a URL or pick a sample.' });
      return;
    }
    let body;
    try {
      body = requestBody(image, readParams());
    } catch (problem) {
      showError(error, problem, form);
      return;
    }
    const run = $('#attack-run');
    run.disabled = true;
    $('#attack-result').hidden = true;
    say(status, `Running ${body.method} on ${body.model || 'the default model'}…`);
    try {
      const result = await api('/api/v1/attacks', { method: 'POST', body });
      renderResult(result, image);
      say(status, `Done in ${Math.round(result.timingsMs?.total ?? 0)} ms.`);
    } catch (e) {
      say(status, '');
      showError(error, e, form);
    } finally {
      run.disabled = false;
    }
  });

  function requestBody(image, params) {
    const body = { model: modelSelect.value || undefined, method: methodSelect.value, params };
    if (image.imageBase64) body.imageBase64 = image.imageBase64;
    else body.url = image.url;
    const target = $('#attack-target');
    if (!$('#target-row').hidden && target.value !== '') body.target = Number(target.value);
    if (!$('#target-row').hidden && target.validity.badInput) {
      throw { title: 'Not a number', detail: 'The target class must be a whole number.', field: 'target' };
    }
    if ($('#defence-on').checked) {
      body.defence = { type: 'randomization', flip: $('#defence-flip').checked };
      if ($('#defence-draws').value !== '') body.defence.draws = Number($('#defence-draws').value);
      if ($('#defence-seed').value !== '') body.defence.seed = Number($('#defence-seed').value);
      if ($('#defence-pad').value !== '') body.defence.padSize = Number($('#defence-pad').value);
    }
    return body;
  }

  return {};
}

/** The three images, their predictions, the norms and what they mean. */
function renderResult(result, image) {
  const section = $('#attack-result');
  const original = result.original.predictions;
  const adversarial = result.adversarial.predictions;
  const figOriginal = $('#fig-original');
  $('img', figOriginal).src = image.imageBase64 || image.url;
  $('.top1', figOriginal).textContent = top(original);
  renderBars($('.bars', figOriginal), original);
  const originalLink = $('.download', figOriginal);
  originalLink.href = image.imageBase64 || image.url;
  originalLink.download = image.name || 'original';

  const figPerturbation = $('#fig-perturbation');
  $('img', figPerturbation).src = png(result.perturbationImage);
  renderNorms($('.norms', figPerturbation), result.perturbation);
  $('.download', figPerturbation).href = png(result.perturbationImage);

  const figAdversarial = $('#fig-adversarial');
  $('img', figAdversarial).src = png(result.adversarialImage);
  $('.top1', figAdversarial).textContent = top(adversarial);
  renderBars($('.bars', figAdversarial), adversarial);
  $('.download', figAdversarial).href = png(result.adversarialImage);

  $('#attack-summary').replaceChildren(...summary(result, original, adversarial));
  section.hidden = false;
  section.scrollIntoView({ block: 'nearest' });
}

const png = (base64) => `data:image/png;base64,${base64}`;
const top = (predictions) => (predictions.length ? `${predictions[0].label} (${(predictions[0].probability * 100).toFixed(1)}%)` : '–');

function summary(result, original, adversarial) {
  const from = original[0]?.label;
  const to = adversarial[0]?.label;
  const parts = [];
  const verdict = result.success ? 'Success' : 'No success';
  const change = from === to ? `the model still says ${to}` : `the model now says ${to} instead of ${from}`;
  parts.push(h('strong', { id: 'attack-verdict', 'data-success': String(result.success), text: `${verdict}: ${change}` }));
  if (result.target !== undefined && result.target !== null) parts.push(` (target class ${result.target})`);
  parts.push('. ');
  parts.push(h('span', { id: 'attack-quantized', 'data-quantized-success': String(result.quantizedSuccess),
    text: result.quantizedSuccess ? 'The 8-bit PNG still fools it (quantizedSuccess).'
      : 'The 8-bit PNG does not fool it (quantizedSuccess false).' }));
  parts.push(` ${result.method}, ${result.iterations} iteration${result.iterations === 1 ? '' : 's'}`);
  if (result.completed === false) parts.push(', stopped at the deadline (best result so far)');
  if (result.defence) parts.push(`, judged through ${result.defence.type} (${result.defence.draws} draws)`);
  parts.push(`, model ${result.model.id}.`);
  return parts;
}
