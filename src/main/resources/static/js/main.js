// The lab's entry: shows one view per URL hash (#attack, #evaluations, #models) and starts them.
import { $, $$ } from './dom.js';
import { showError } from './errors.js';
import { refreshModels } from './models-state.js';
import { initAttack } from './attack.js';
import { initEvaluations } from './evaluations.js';
import { initModels } from './models.js';

const views = { attack: initAttack, evaluations: initEvaluations, models: initModels };
const shown = {};

function route() {
  const name = (location.hash || '#attack').slice(1).split('/')[0];
  const view = name in views ? name : 'attack';
  for (const section of $$('[data-view]')) section.hidden = section.dataset.view !== view;
  for (const link of $$('[data-view-link]')) {
    if (link.dataset.viewLink === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (shown[view]) shown[view].show?.();
  return view;
}

async function start() {
  window.addEventListener('hashchange', () => {
    route();
    $('#main').focus({ preventScroll: true });
  });
  const first = route();
  try {
    await refreshModels();
  } catch (error) {
    showError($('#page-error'), error);
  }
  for (const [name, init] of Object.entries(views)) shown[name] = init();
  shown[first].show?.();
  document.body.dataset.ready = 'true';
}

start();
