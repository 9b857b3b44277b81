// Fine-tuning jobs of a model (GET /api/v1/fine-tunings?model=NAME) with their loss and accuracy
// curves; the section stays hidden where the server has no such endpoint.
import { api, isAbsent } from './api.js';
import { h, percent } from './dom.js';
import { lineChart } from './curves.js';
import { follow } from './sse.js';

const TERMINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
const followed = new Map();

/** The jobs of a list answer, whatever its wrapper: an array, {items}, {fineTunings}... */
function jobsOf(answer) {
  if (Array.isArray(answer)) return answer;
  return Object.values(answer || {}).find(Array.isArray) || [];
}

/**
 * Renders the jobs of every model into `list`; returns false when the endpoint is absent (404),
 * so that the caller hides the section. Other errors are thrown.
 */
export async function renderFineTunings(list, modelNames) {
  const blocks = [];
  for (const name of modelNames) {
    let jobs;
    try {
      jobs = jobsOf(await api(`/api/v1/fine-tunings?model=${encodeURIComponent(name)}`));
    } catch (e) {
      if (isAbsent(e)) return false;
      throw e;
    }
    for (const job of jobs) {
      const block = h('article', { class: 'card job', 'data-job': job.id });
      blocks.push(block);
      const detailed = job.epochs ? job : await api(`/api/v1/fine-tunings/${encodeURIComponent(job.id)}`);
      renderJob(block, detailed, name);
      if (!TERMINAL.includes(detailed.state)) watch(block, detailed.id, name);
    }
  }
  list.replaceChildren(...(blocks.length ? blocks : [h('p', { class: 'help', text: 'No fine-tuning jobs yet.' })]));
  return true;
}

/** Follows a running job's events, fetching the job again on each (whatever the event carries). */
function watch(block, id, name) {
  followed.get(id)?.abort();
  const controller = new AbortController();
  followed.set(id, controller);
  let pending = false;
  follow(`/api/v1/fine-tunings/${encodeURIComponent(id)}/events`, async () => {
    if (pending) return;
    pending = true;
    try {
      const job = await api(`/api/v1/fine-tunings/${encodeURIComponent(id)}`);
      renderJob(block, job, name);
      if (TERMINAL.includes(job.state)) controller.abort();
    } finally {
      pending = false;
    }
  }, controller.signal).catch(() => {});
}

/**
 * A job's progress as a fraction: the fine-tuning's {epoch (1-based), epochs, batch, batches}, a
 * number (0..1, or a percentage), or {xDone, xTotal}; else null.
 */
function fraction(progress) {
  if (typeof progress === 'number') return progress <= 1 ? progress : progress / 100;
  if (progress && typeof progress === 'object' && progress.epochs > 0) {
    const inEpoch = progress.batches > 0 ? progress.batch / progress.batches : 0;
    return Math.min(1, Math.max(0, (Math.max(progress.epoch, 1) - 1 + inEpoch) / progress.epochs));
  }
  if (progress && typeof progress === 'object') {
    const done = Object.keys(progress).find((k) => k.endsWith('Done'));
    const total = done && progress[done.replace(/Done$/, 'Total')];
    if (total) return progress[done] / total;
  }
  return null;
}

function renderJob(block, job, name) {
  const epochs = job.epochs || [];
  const progress = fraction(job.progress);
  const children = [
    h('h4', {}, `${name}: job ${job.id} `, h('span', { class: `state state-${job.state}`, text: job.state })),
  ];
  if (progress !== null) {
    children.push(h('label', { for: `job-${job.id}-progress`, text: `Progress ${percent(progress)}` }),
      h('progress', { id: `job-${job.id}-progress`, max: 1, value: progress }));
  }
  if (job.result && job.result.model) {
    children.push(h('p', {}, 'Result: ', h('strong', { text: `${job.result.model}:${job.result.version}` })));
  }
  if (epochs.length) {
    const at = (key) => epochs.filter((e) => typeof e[key] === 'number').map((e) => [e.epoch, e[key]]);
    children.push(h('div', { class: 'curves' },
      lineChart({ title: 'Loss', series: [{ name: 'loss', color: '#b5402a', points: at('loss') }] }),
      lineChart({ title: 'Accuracy', yMin: 0, yMax: 1, series: [
        { name: 'clean', color: '#1f6fb2', points: at('cleanAccuracy') },
        { name: 'robust', color: '#2e8540', points: at('robustAccuracy') }] })));
  }
  block.replaceChildren(...children);
}
