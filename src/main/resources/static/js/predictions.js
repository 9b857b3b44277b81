// Top-5 bars and perturbation norms.
import { h, num, percent } from './dom.js';

/** Fills the list `ol` with one bar per prediction (label, probability). */
export function renderBars(ol, predictions) {
  ol.replaceChildren(...predictions.slice(0, 5).map((p) => h('li', {},
    h('span', { class: 'bar-label', text: p.label }),
    h('span', { class: 'bar', 'aria-hidden': 'true' }, h('span', { style: `width:${Math.max(0.5, p.probability * 100)}%` })),
    h('span', { class: 'bar-value', text: percent(p.probability) }))));
}

const NORMS = [
  ['l0', 'L0 (values changed)', (x) => String(x)],
  ['l2', 'L2', num],
  ['linf', 'L∞', num],
  ['rho', 'ρ (L2 relative to the image)', num],
];

/** Fills the description list `dl` with the perturbation's norms. */
export function renderNorms(dl, perturbation) {
  dl.replaceChildren(...NORMS.filter(([key]) => perturbation[key] !== undefined)
    .flatMap(([key, name, format]) => [h('dt', { text: name }), h('dd', { 'data-norm': key, text: format(perturbation[key]) })]));
}
