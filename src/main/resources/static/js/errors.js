// Errors in words: the problem's title and detail, and the form field it names.
import { h } from './dom.js';

/**
 * Shows `error` in the alert `box`; where the problem names a `field` that an input of `form`
 * carries as data-field, marks that input invalid and offers to jump to it.
 */
export function showError(box, error, form) {
  clearError(box, form);
  const parts = [h('strong', { text: error.title || 'Something went wrong' })];
  if (error.detail && error.detail !== error.title) parts.push(' ', h('span', { class: 'detail', text: error.detail }));
  if (error.retryAfter) parts.push(' ', h('span', { text: `Try again in ${error.retryAfter} s.` }));
  box.replaceChildren(h('p', {}, parts));
  const input = error.field && form ? findField(form, error.field) : null;
  if (error.field) {
    const where = h('p', { class: 'field' }, 'Field: ', h('code', { text: error.field }));
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-errormessage', box.id);
      where.append(' ', h('button', { type: 'button', onclick: () => input.focus() }, 'Go to the field'));
    }
    box.append(where);
  }
  box.hidden = false;
}

export function clearError(box, form) {
  box.hidden = true;
  box.replaceChildren();
  if (form) {
    for (const input of form.querySelectorAll('[aria-invalid]')) {
      input.removeAttribute('aria-invalid');
      input.removeAttribute('aria-errormessage');
    }
  }
}

/** The input for a problem's field: exact (params.eps), else its first segment (defence.x -> defence). */
function findField(form, field) {
  const exact = form.querySelector(`[data-field="${CSS.escape(field)}"]`);
  if (exact) return exact;
  const head = field.split(/[.[]/)[0];
  return form.querySelector(`[data-field="${CSS.escape(head)}"]`);
}
