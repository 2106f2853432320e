// The home page — what is deployed, by namespace, with health, revision and last change, and what is
// not ready with its cause — and one application's page: its members drawn as compositions are (large
// groups collapsed by kind), with tabs for its connections and history. All from appinstances.
import { getJson } from '../api.js';
import { h, readyDot, relativeAge } from '../dom.js';
import { lazyGraph } from '../lazy-graph.js';
import { compositionGraph, refOf } from '../model.js';
import { appHash, objectHash } from '../routes.js';
import { arrowKeys, errorText, showDetails, showNotice } from './common.js';

const appTabs = { members: 'Members', connections: 'Connections', history: 'History' };

function appPath(ns, name, sub) {
  return `namespaces/${encodeURIComponent(ns)}/appinstances/${encodeURIComponent(name)}${sub ? `/${sub}` : ''}`;
}

/** The first cause as one line: "Pod/cart-…: ImagePullBackOff: Back-off pulling image …". */
export function causeLine(status) {
  const c = status?.cause?.[0];
  if (!c) return '';
  const more = status.cause.length > 1 ? ` (+${status.cause.length - 1} more)` : '';
  return `${c.object}: ${c.reason}${c.message ? `: ${c.message}` : ''}${more}`;
}

// Other applications, by item name ("namespace/name" when elsewhere), as links to their pages.
function appLinks(ns, names) {
  if (names.length === 0) return '—';
  return names.flatMap((n, i) => {
    const [where, name] = n.includes('/') ? n.split('/') : [ns, n];
    return [i > 0 ? ', ' : null, h('a', { href: appHash('members', where, name) }, n)];
  });
}

function readyCount(s) {
  return `${s.readyMembers}/${s.membersWithStatus}`;
}

// Applications with no notion of readiness (ConfigMaps only) are grey: "-", not a warning.
function appReady(s) {
  return s.membersWithStatus === 0 && s.ready === 'Unknown' ? '-' : s.ready;
}

export function homeView(main) {
  const notReady = h('section', { class: 'not-ready', 'aria-labelledby': 'not-ready-title' }, h('p', { class: 'muted' }, 'Loading…'));
  const byNamespace = h('section', { class: 'apps', 'aria-labelledby': 'apps-title' });
  main.replaceChildren(h('section', { class: 'page home' },
    h('h1', { id: 'title' }, 'Applications'),
    h('p', { class: 'muted' }, 'What is deployed — by Helm, Argo CD, Flux, recommended labels or your platform\'s rules — as your permissions let you see it. Find any object with the box above.'),
    notReady, byNamespace));

  const ready = getJson('appinstances').then((list) => {
    const apps = list.items ?? [];
    const broken = apps.filter((a) => a.status.ready === 'False');
    notReady.replaceChildren(
      h('h2', { id: 'not-ready-title' }, broken.length === 0 ? 'Everything is ready' : `Not ready (${broken.length})`),
      broken.length === 0 ? h('p', { class: 'muted' }, apps.length === 0 ? 'No applications you may see.' : 'Every application you may see is ready.')
        : h('ul', { class: 'causes' }, broken.map((a) => h('li', {},
          readyDot('False'), ' ',
          h('a', { href: appHash('members', a.metadata.namespace, a.metadata.name) }, `${a.metadata.namespace}/${a.metadata.name}`),
          ' — ', h('span', { class: 'status' }, a.status.reason),
          a.status.cause ? h('div', { class: 'cause' }, causeLine(a.status)) : null))));

    const namespaces = [...new Set(apps.map((a) => a.metadata.namespace))];
    const row = (a) => h('tr', { dataset: { app: a.metadata.name } },
      h('td', {}, readyDot(appReady(a.status)), ' ', h('a', { href: appHash('members', a.metadata.namespace, a.metadata.name) }, a.metadata.name),
        a.spec.parent ? h('span', { class: 'muted' }, ` in ${a.spec.parent}`) : null),
      h('td', {}, a.spec.source),
      h('td', {}, readyCount(a.status)),
      h('td', {}, a.status.reason),
      h('td', { class: 'revision' }, a.status.revision ?? '—'),
      h('td', {}, String(a.status.objects)),
      h('td', {}, a.status.lastChange ? relativeAge(a.status.lastChange) : '—'));
    const head = h('thead', {}, h('tr', {}, ['Application', 'Source', 'Ready', 'Status', 'Revision', 'Objects', 'Last change'].map((c) => h('th', { scope: 'col' }, c))));
    byNamespace.replaceChildren(h('h2', { id: 'apps-title' }, 'By namespace'),
      ...namespaces.map((ns) => h('section', { class: 'namespace', dataset: { namespace: ns } },
        h('h3', {}, ns),
        h('table', {}, head.cloneNode(true), h('tbody', {}, apps.filter((a) => a.metadata.namespace === ns).map(row))))));
  }, (error) => {
    // May not list applications everywhere: say so, and keep the finder.
    notReady.replaceChildren(h('p', { class: 'error' }, error?.status === 403
      ? 'Your permissions do not let you list applications in every namespace. Find an object with the box above.'
      : errorText(error)));
  });
  return { ready, dispose: () => {} };
}

export function applicationView(main, ns, name, tab) {
  const title = h('h1', { id: 'title' }, 'Application ', h('span', { class: 'name' }, name));
  const where = h('p', { class: 'where' }, `namespace ${ns}`);
  const tabs = h('nav', { class: 'tabs', 'aria-label': 'Views of this application' },
    Object.entries(appTabs).map(([t, label]) => h('a', { href: appHash(t, ns, name), 'aria-current': t === tab ? 'page' : false, id: `tab-${t}` }, label)));
  const summary = h('div', { class: 'app-summary' });
  const notice = h('p', { class: 'notice', role: 'status', hidden: true });
  const body = h('div', { class: 'app-body' });
  main.replaceChildren(h('section', { class: 'object' }, h('header', { class: 'object-head' }, title, where, tabs), summary, notice, body));
  let graph;

  const ready = getJson(appPath(ns, name)).then(async (app) => {
    const s = app.status;
    summary.replaceChildren(h('dl', { class: 'facts' },
      [['Source', `${app.spec.source} (${app.spec.form})`], ['Ready', `${readyCount(s)} — ${s.reason}`], ['Revision', s.revision ?? '—'],
        ['Objects', String(s.objects)], ['Part of', appLinks(ns, app.spec.parent ? [app.spec.parent] : [])], ['Contains', appLinks(ns, s.children ?? [])]]
        .map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    s.cause ? h('p', { class: 'cause' }, h('strong', {}, 'Why it is not ready: '), causeLine(s)) : null);
    if (tab === 'connections') return connections(app);
    if (tab === 'history') return history();
    return members(app);
  }, (error) => {
    showNotice(notice, error?.status === 404 ? 'No such application — or you may read none of its objects.' : errorText(error));
  });

  async function members(app) {
    const split = h('div', { class: 'split' });
    const graphBox = h('div', { class: 'graph', id: 'graph', role: 'img', 'aria-label': 'Members graph; the list beside it holds the same' });
    const details = h('section', { class: 'details', id: 'details', 'aria-live': 'polite' });
    const list = h('section', { class: 'list', id: 'list' });
    split.append(graphBox, h('aside', { class: 'side' }, details, list));
    body.replaceChildren(split);
    showDetails(details, null);
    arrowKeys(list);
    // The application as the root of its members' trees, so fan-outs collapse by kind as in a composition.
    const members = (app.members ?? []).flatMap((g) => g.items);
    const doc = { root: { kind: 'Application', apiVersion: 'kubediscovery.io/v1', name, namespace: ns, uid: app.metadata.uid, status: { ready: appReady(app.status), reason: app.status.reason }, children: members }, ancestors: [] };
    const expanded = new Set();
    const objects = new Map(members.flatMap(function all(o) { return [[o.uid, o], ...(o.children ?? []).flatMap(all)]; }));
    graph = lazyGraph(graphBox, { onOpen: (d) => {
      if (d.id.includes('/group/')) { if (expanded.has(d.id)) expanded.delete(d.id); else expanded.add(d.id); draw(); return; }
      if (objects.has(d.id)) { showDetails(details, objects.get(d.id)); graph.select(d.id); }
    } });
    function draw() {
      const model = compositionGraph(doc, expanded);
      list.replaceChildren(h('h2', {}, 'Members'), h('ul', { class: 'tree', role: 'tree' }, members.map((o) => h('li', { role: 'treeitem' },
        h('a', { href: objectHash('composition', refOf(o)) }, readyDot(o.status?.ready), ` ${o.kind}/${o.name}`)))));
      return graph.draw(model, { fit: true });
    }
    await draw();
  }

  async function connections() {
    const c = await getJson(appPath(ns, name, 'connections'));
    const table = (edges, outsideKey) => edges.length === 0 ? h('p', { class: 'muted' }, 'None you may see.')
      : h('table', {}, h('thead', {}, h('tr', {}, ['From', 'Link', 'To', 'Application'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, edges.map((e) => h('tr', { class: e.missing ? 'missing' : '' },
          h('td', {}, e.from), h('td', {}, e.link), h('td', {}, e[outsideKey] === e.to && e.missing ? `${e.to} (missing)` : e.to), h('td', {}, e.application ?? '')))));
    body.replaceChildren(h('h2', {}, 'What it uses outside itself'), table(c.uses, 'to'), h('h2', {}, 'Who uses it'), table(c.usedBy, 'from'));
  }

  async function history() {
    try {
      const list = await getJson(appPath(ns, name, 'changes'), { since: '24h' });
      const items = list.items ?? [];
      body.replaceChildren(h('h2', {}, 'Changes in the last 24 hours'), items.length === 0 ? h('p', { class: 'muted' }, 'None.')
        : h('table', {}, h('thead', {}, h('tr', {}, ['Time', 'Object', 'Change', 'Who', 'Paths'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, items.map((v) => h('tr', {}, h('td', {}, v.time), h('td', {}, `${v.objectKind ?? v.resource}/${v.name}${v.via === 'departed' ? ' (left)' : ''}`),
            h('td', {}, v.change), h('td', {}, v.user ?? v.managers?.[0]?.manager ?? ''), h('td', {}, (v.changedPaths ?? []).join(', ')))))));
    } catch (error) {
      body.replaceChildren(h('p', { class: 'muted' }, error?.status === 404 ? 'This server records no history (start it with --history-db).' : errorText(error)));
    }
  }

  return { ready, dispose: () => graph?.destroy() };
}
