// The image to attack: a file (picked or dropped), a URL or a bundled sample, read in the
// browser into a data URI for the JSON API's imageBase64.
import { $ } from './dom.js';

/**
 * Wires the inputs; `onChange(image)` gets {imageBase64, name} or {url, name}.
 * Returns get() for the current choice (or null).
 */
export function initImageInput(onChange) {
  const file = $('#image-file');
  const url = $('#image-url');
  const zone = $('#drop-zone');
  const preview = $('#input-preview');
  const name = $('#input-name');
  let image = null;

  function choose(next, src) {
    image = next;
    preview.src = src;
    preview.hidden = false;
    name.textContent = `Chosen: ${next.name}`;
    onChange(image);
  }

  async function fromBlob(blob, label) {
    const dataUrl = await new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result);
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(blob);
    });
    url.value = '';
    choose({ imageBase64: dataUrl, name: label }, dataUrl);
  }

  file.addEventListener('change', () => file.files[0] && fromBlob(file.files[0], file.files[0].name));
  url.addEventListener('change', () => {
    if (!url.value.trim()) return;
    file.value = '';
    choose({ url: url.value.trim(), name: url.value.trim() }, url.value.trim());
  });
  for (const button of document.querySelectorAll('[data-sample]')) {
    button.addEventListener('click', async () => {
      const response = await fetch(button.dataset.sample);
      file.value = '';
      await fromBlob(await response.blob(), button.dataset.sample.split('/').pop());
    });
  }
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    const dropped = event.dataTransfer.files[0];
    if (dropped) {
      file.value = '';
      fromBlob(dropped, dropped.name);
    }
  });
  // A URL typed but not yet confirmed (Enter, leaving the field) is the latest choice too.
  return () => {
    const typed = url.value.trim();
    return typed && (!image || image.url !== typed) ? { url: typed, name: typed } : image;
  };
}
