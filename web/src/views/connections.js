// The connections view: what the object uses and what uses it, edges named by kind, depth and direction
// chosen by the user; kept current by the namespace's compositions watch.
import { getJson, objectPath } from '../api.js';
import { appendInChunks, h, readyDot } from '../dom.js';
import { lazyGraph } from '../lazy-graph.js';
import { follow } from '../live.js';
import { connectionsGraph, displayName, refOf } from '../model.js';
import { objectHash } from '../routes.js';
import { arrowKeys, errorText, objectFrame, showDetails, showNotice } from './common.js';

export function connectionsView(main, ref, params) {
  const frame = objectFrame(main, ref, 'connections');
  const depth = Math.max(1, Math.min(10, Number(params.get('depth') ?? 1) || 1));
  const direction = ['both', 'in', 'out'].includes(params.get('direction')) ? params.get('direction') : 'both';
  const nodes = new Map();
  let doc;
  let renders = 0;
  let disposed = false;

  const choose = (name, value, options) => h('label', {}, `${name} `, h('select', {
    id: `choose-${name.toLowerCase()}`,
    onchange: (e) => {
      const next = new URLSearchParams({ depth: String(depth), direction });
      next.set(name.toLowerCase(), e.target.value);
      location.hash = `${objectHash('connections', ref)}?${next}`;
    },
  }, options.map(([v, text]) => h('option', { value: v, selected: String(v) === String(value) }, text))));
  frame.controls.replaceChildren(
    choose('Depth', depth, [1, 2, 3, 4, 5].map((d) => [d, String(d)])),
    choose('Direction', direction, [['both', 'both ways'], ['out', 'what it uses'], ['in', 'what uses it']]),
  );

  const graph = lazyGraph(frame.graph, { direction: 'LR', onOpen: (d) => select(d.id) });
  showDetails(frame.details, null);
  arrowKeys(frame.list);

  function select(id) {
    const n = nodes.get(id);
    if (n) showDetails(frame.details, n);
    graph.select(id);
  }

  function nodeLink(id) {
    const n = nodes.get(id);
    if (!n) return id;
    // Following an edge opens the other object's connections, at the same depth and direction.
    return h('a', { href: `${objectHash('connections', { ...refOf(n), kind: n.kind })}?depth=${depth}&direction=${direction}`, class: n.missing ? 'missing' : '', dataset: { node: id } },
      readyDot(n.status?.ready), ` ${displayName(n)}${n.missing ? ' (does not exist)' : ''}`);
  }

  async function render(fit) {
    const model = connectionsGraph(doc);
    nodes.clear();
    for (const n of doc.nodes) nodes.set(n.id, n);
    const outgoing = doc.edges.filter((e) => e.from === doc.root);
    const incoming = doc.edges.filter((e) => e.to === doc.root);
    const further = doc.edges.filter((e) => e.from !== doc.root && e.to !== doc.root);
    const rendering = ++renders;
    const edgeList = (title, edges, show) => {
      if (edges.length === 0) return [];
      const ul = h('ul', { class: 'edges' });
      appendInChunks(ul, edges, (e) => h('li', {}, show(e)), () => rendering === renders && !disposed);
      return [h('h2', {}, `${title} (${edges.length})`), ul];
    };
    const notes = [];
    if (doc.hiddenNodes > 0) notes.push(h('p', { class: 'muted' }, `${doc.hiddenNodes} connected objects you may not read are left out.`));
    if (doc.truncated) notes.push(h('p', { class: 'muted' }, 'Cut at the server\'s size limit: choose a smaller depth.'));
    frame.list.replaceChildren(
      ...notes,
      ...edgeList('Uses', outgoing, (e) => [h('span', { class: 'edge-kind' }, e.kind), ' ', nodeLink(e.to)]),
      ...edgeList('Used by', incoming, (e) => [nodeLink(e.from), ' ', h('span', { class: 'edge-kind' }, e.kind)]),
      ...edgeList('Further', further, (e) => [nodeLink(e.from), ' ', h('span', { class: 'edge-kind' }, e.kind), ' ', nodeLink(e.to)]),
      ...(doc.edges.length === 0 ? [h('p', { class: 'muted' }, 'No connections.')] : []),
    );
    performance.mark('list-built');
    await graph.draw(model, { fit });
    select(doc.root);
  }

  async function load(fit) {
    doc = await getJson(objectPath(ref, 'connections'), { depth, direction });
    performance.mark('data-loaded');
    const root = doc.nodes.find((n) => n.id === doc.root);
    if (root) frame.title.firstChild.textContent = `${root.kind} `;
    await render(fit);
  }

  // Connections change with any object around this one: the namespace's (or the cluster-scoped)
  // compositions watch says when anything there changed; a burst of changes is one reload.
  let stop = () => {};
  let reloading;
  const reload = () => {
    if (reloading) return;
    reloading = setTimeout(() => { reloading = undefined; load(false).catch((e) => showNotice(frame.notice, errorText(e))); }, 150);
  };
  const scope = ref.namespace ? `namespaces/${encodeURIComponent(ref.namespace)}/compositions` : 'clustercompositions';
  const ready = load(true).then(async () => {
    performance.mark('connections-drawn');
    const list = await getJson(scope, { limit: 1 }).catch(() => null);
    if (!list) return; // no right to watch here: the view stays as loaded
    stop = follow(scope, { resourceVersion: list.metadata?.resourceVersion }, reload, reload);
  }, (error) => {
    showNotice(frame.notice, errorText(error));
    frame.graph.dataset.state = 'error';
  });

  return { ready, dispose: () => { disposed = true; stop(); clearTimeout(reloading); graph.destroy(); } };
}
