// Small DOM helpers shared by the views.

/** An element with attributes (on* keys become listeners) and children (strings become text). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'text') el.textContent = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/** 0.9981 -> "99.8%". */
export const percent = (p) => (p === undefined || p === null ? '–' : `${(p * 100).toFixed(1)}%`);

/** A figure with at most `digits` significant digits, or a dash. */
export const num = (x, digits = 4) => (x === undefined || x === null ? '–' : String(Number(x.toPrecision(digits))));

/** Sets the text of a role=status element. */
export function say(el, text) {
  el.textContent = text;
}
