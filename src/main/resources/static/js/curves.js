// Line charts drawn as inline SVG: fine-tuning loss and accuracy per epoch.
const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * A chart of `series` ({name, color, points: [[x, y]...]}) over x; y from `yMin` to `yMax`
 * (default: the data's range). `title` is its accessible name, followed by the last values.
 */
export function lineChart({ title, series, yMin, yMax, width = 320, height = 180 }) {
  const all = series.flatMap((s) => s.points);
  const left = 44, right = 10, top = 36, bottom = 30;
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const x0 = Math.min(...xs, 1), x1 = Math.max(...xs, x0 + 1);
  const lo = yMin ?? Math.min(...ys, 0), hi = yMax ?? Math.max(...ys, lo + 1e-9);
  const sx = (x) => left + ((x - x0) / (x1 - x0)) * (width - left - right);
  const sy = (y) => height - bottom - ((y - lo) / (hi - lo || 1)) * (height - top - bottom);
  const last = series.filter((s) => s.points.length)
    .map((s) => `${s.name} ${Number(s.points.at(-1)[1].toPrecision(3))}`).join(', ');
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'curve',
    'aria-label': `${title}${last ? `; last epoch: ${last}` : ''}` });
  root.append(svg('text', { x: left, y: 14, class: 'curve-title' }, title));
  for (const y of [lo, (lo + hi) / 2, hi]) {
    root.append(svg('line', { x1: left, x2: width - right, y1: sy(y), y2: sy(y), class: 'grid' }));
    root.append(svg('text', { x: left - 4, y: sy(y) + 4, 'text-anchor': 'end' }, Number(y.toPrecision(2))));
  }
  const epochs = [...new Set(xs)].sort((a, b) => a - b);
  const ticks = epochs.length <= 10 ? epochs : [x0, x1];
  for (const x of ticks) root.append(svg('text', { x: sx(x), y: height - bottom + 13, 'text-anchor': 'middle' }, x));
  root.append(svg('text', { x: (left + width - right) / 2, y: height - 3, 'text-anchor': 'middle' }, 'epoch'));
  series.forEach((s, i) => {
    if (!s.points.length) return;
    const d = s.points.map((p, k) => `${k ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(' ');
    root.append(svg('path', { d, fill: 'none', stroke: s.color, 'stroke-width': 2 }));
    for (const p of s.points) root.append(svg('circle', { cx: sx(p[0]), cy: sy(p[1]), r: 2.5, fill: s.color }));
    root.append(svg('rect', { x: left + 70 * i, y: 21, width: 10, height: 3, fill: s.color }));
    root.append(svg('text', { x: left + 70 * i + 14, y: 26, fill: s.color }, s.name));
  });
  return root;
}
