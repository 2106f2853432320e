// Builds elements from data with textContent only: nothing from the cluster is ever parsed as HTML.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function readyDot(ready) {
  const value = ready && ready !== '-' ? ready : 'none';
  return h('span', { class: `dot ready-${value}`, 'aria-hidden': 'true' });
}

export function relativeAge(time) {
  const t = Date.parse(time);
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.round((Date.now() - t) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

/**
 * Appends make(item) for every item: the first `first` at once, the rest a chunk per task, so a list of
 * thousands never holds the page up. Stops if `stillWanted()` turns false (the view was left).
 */
export async function appendInChunks(parent, items, make, stillWanted = () => true, first = 300, chunk = 1000) {
  parent.append(...items.slice(0, first).map(make));
  for (let i = first; i < items.length; i += chunk) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (!stillWanted()) return;
    parent.append(...items.slice(i, i + chunk).map(make));
  }
}
