// The composition view: the object's ownership tree as a graph, owners above it, live from the
// compositions watch.
import { getJson, objectPath } from '../api.js';
import { h, readyDot } from '../dom.js';
import { lazyGraph } from '../lazy-graph.js';
import { follow } from '../live.js';
import { compositionGraph, readyText, refOf } from '../model.js';
import { objectHash } from '../routes.js';
import { arrowKeys, errorText, objectFrame, showDetails, showNotice } from './common.js';

export function compositionView(main, ref) {
  const frame = objectFrame(main, ref, 'composition');
  const expanded = new Set();
  const objects = new Map();
  let doc;
  let selected;
  let drawn = false;
  let drawnRoot = '';

  const graph = lazyGraph(frame.graph, { onOpen: (d) => open(d.id) });
  showDetails(frame.details, null);
  arrowKeys(frame.list);

  function open(id) {
    if (id.includes('/group/')) {
      toggle(id);
      return;
    }
    select(id);
  }

  function select(id) {
    selected = id;
    const o = objects.get(id);
    if (o) showDetails(frame.details, o);
    graph.select(id);
  }

  function toggle(groupId) {
    if (expanded.has(groupId)) expanded.delete(groupId);
    else expanded.add(groupId);
    render(true).then(() => { // the picture changed shape: frame it again
      document.querySelector(`[data-group="${CSS.escape(groupId)}"]`)?.focus();
    });
  }

  function listItem(item) {
    if (item.kind === 'group') {
      const button = h('button', { type: 'button', class: 'group', 'aria-expanded': String(item.expanded), dataset: { group: item.id }, onclick: () => toggle(item.id) },
        item.expanded ? `Collapse the ${item.label}` : `Show ${item.label}${item.ok !== undefined ? ` (${item.ok} ready${item.bad ? `, ${item.bad} not ready` : ''})` : ''}`);
      return h('li', { role: 'treeitem', 'aria-expanded': String(item.expanded) }, button);
    }
    if (item.kind !== 'object') return h('li', { role: 'treeitem', class: item.kind }, item.label);
    const o = item.object;
    objects.set(item.id, o);
    // Another object's link opens its composition; the root's would reload this one, so it selects it.
    const link = h('a', { href: objectHash('composition', refOf(o)), dataset: { uid: item.id },
      onclick: item.id === doc.root.uid ? (e) => { e.preventDefault(); select(item.id); } : undefined },
      readyDot(o.status?.ready), ` ${o.kind}/${o.name}`);
    const status = h('span', { class: 'status' }, readyText(o.status));
    const li = h('li', { role: 'treeitem', 'aria-expanded': item.children.length > 0 ? 'true' : false }, link, ' ', status, item.repeated ? h('span', { class: 'muted' }, ' (shown above)') : null);
    if (item.children.length > 0 && !item.repeated) li.append(h('ul', { role: 'group' }, item.children.map(listItem)));
    return li;
  }

  async function render(fit = true) {
    const focused = frame.list.contains(document.activeElement) ? document.activeElement.dataset.uid : undefined;
    const model = compositionGraph(doc, expanded);
    objects.clear();
    const ancestors = model.ancestors.length > 0
      ? [h('h2', {}, 'Owned by'), h('ul', { class: 'tree ancestors' }, model.ancestors.map(listItem))]
      : [];
    frame.list.replaceChildren(...ancestors, h('h2', {}, 'Tree'), h('ul', { role: 'tree', class: 'tree', 'aria-label': `Composition of ${ref.name}` }, listItem(model.tree)));
    // A live update rebuilds the list: keep the keyboard where it was.
    if (focused) frame.list.querySelector(`[data-uid="${CSS.escape(focused)}"]`)?.focus({ preventScroll: true });
    performance.mark('list-built');
    // The details of what is selected follow its changes.
    if (selected && objects.has(selected)) showDetails(frame.details, objects.get(selected));
    const ok = await graph.draw(model, { fit: fit || !drawn });
    drawn = true;
    if (ok && selected && objects.has(selected)) graph.select(selected);
    return ok;
  }

  async function load() {
    const fresh = await getJson(objectPath(ref, 'compositions'));
    performance.mark('data-loaded');
    doc = fresh;
    drawnRoot = JSON.stringify(doc.root);
    frame.title.firstChild.textContent = `${doc.root.kind} `;
    await render(!drawn);
    if (!selected) select(doc.root.uid);
    performance.mark('composition-drawn');
  }

  let stop = () => {};
  const ready = load().then(() => {
    stop = follow(objectPath(ref, 'compositions'), {}, (event) => {
      if (event.type === 'DELETED') {
        showNotice(frame.notice, 'This object was deleted: what is drawn is its last known state.');
        return;
      }
      showNotice(frame.notice, '');
      // The watch opens with the tree as it is now, which is what was just drawn.
      const root = JSON.stringify(event.object.root);
      if (root === drawnRoot) return;
      drawnRoot = root;
      doc = { ...doc, root: event.object.root };
      render(false);
    }, () => load());
  }, (error) => {
    showNotice(frame.notice, errorText(error));
    frame.graph.dataset.state = 'error';
  });

  return { ready, dispose: () => { stop(); graph.destroy(); } };
}
