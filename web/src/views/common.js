// The frame every object view shares: title, tabs, the graph beside its accessible list, the details of
// what is selected.
import { h, readyDot, relativeAge } from '../dom.js';
import { displayName, readyText, refOf } from '../model.js';
import { kindName } from '../kinds.js';
import { objectHash, views } from '../routes.js';

const tabNames = { composition: 'Composition', connections: 'Connections', history: 'History' };

export function objectFrame(main, ref, current) {
  const title = h('h1', { id: 'title' }, `${kindName(ref)} `, h('span', { class: 'name' }, ref.name));
  const where = h('p', { class: 'where' }, ref.namespace ? `namespace ${ref.namespace}` : 'cluster-scoped');
  const tabs = h('nav', { class: 'tabs', 'aria-label': 'Views of this object' },
    views.map((v) => h('a', { href: objectHash(v, ref), 'aria-current': v === current ? 'page' : false, id: `tab-${v}` }, tabNames[v])));
  const controls = h('div', { class: 'controls' });
  const notice = h('p', { class: 'notice', role: 'status', hidden: true });
  const graph = h('div', { class: 'graph', id: 'graph', role: 'img', 'aria-label': `${tabNames[current]} graph; the list beside it holds the same` });
  const details = h('section', { class: 'details', id: 'details', 'aria-live': 'polite', 'aria-label': 'Selected object' });
  const list = h('section', { class: 'list', id: 'list' });
  const side = h('aside', { class: 'side' }, details, list);
  main.replaceChildren(h('section', { class: 'object' }, h('header', { class: 'object-head' }, title, where, tabs), controls, notice, h('div', { class: 'split' }, graph, side)));
  return { title, controls, notice, graph, details, list };
}

export function showNotice(notice, text) {
  notice.textContent = text ?? '';
  notice.hidden = !text;
}

/** The selected object's details, with links to its three views. */
export function showDetails(details, o) {
  if (!o) {
    details.replaceChildren(h('p', { class: 'muted' }, 'Select a node (click it, or use the list) to see it here.'));
    return;
  }
  const ref = refOf(o);
  const rows = [
    ['Kind', o.apiVersion ? `${o.kind} (${o.apiVersion})` : o.kind],
    ['Namespace', o.namespace ?? '—'],
    ['Name', o.name],
    ['Ready', readyText(o.status)],
  ];
  if (o.creationTimestamp) rows.push(['Created', `${o.creationTimestamp} (${relativeAge(o.creationTimestamp)})`]);
  details.replaceChildren(
    h('h2', {}, readyDot(o.status?.ready), ' ', displayName(o)),
    h('dl', {}, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    o.missing ? h('p', { class: 'muted' }, 'This object does not exist: something refers to it.') :
      h('p', { class: 'open-links' }, views.map((v) => h('a', { href: objectHash(v, { ...ref, kind: o.kind }) }, v[0].toUpperCase() + v.slice(1)))),
  );
}

/** Up and down arrows move between the list's links and buttons, as in a tree view. */
export function arrowKeys(container) {
  container.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    const items = [...container.querySelectorAll('a, button')];
    const at = items.indexOf(document.activeElement);
    if (at < 0) return;
    const next = e.key === 'Home' ? 0 : e.key === 'End' ? items.length - 1 : Math.max(0, Math.min(items.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)));
    items[next].focus();
    e.preventDefault();
  });
}

export function errorText(error) {
  if (error?.status === 404) return 'Not found — or you may not read it.';
  if (error?.status === 403) return `Forbidden: ${error.message}`;
  return error?.message ?? String(error);
}
