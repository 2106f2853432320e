// The dangling report: every reference to an object that does not exist, grouped as the server groups
// them, each linked to the referring object's connections.
import { getJson } from '../api.js';
import { h } from '../dom.js';
import { displayName, refOf } from '../model.js';
import { objectHash } from '../routes.js';
import { errorText } from './common.js';

export function danglingView(main, params) {
  const ns = params.get('namespace') ?? '';
  const body = h('div', { class: 'report' }, h('p', { class: 'muted' }, 'Loading…'));
  main.replaceChildren(h('section', { class: 'page' },
    h('h1', { id: 'title' }, 'Dangling references'),
    h('p', {}, 'References to objects that do not exist: owners, volumes, env sources, Services, roles… (only what you may read).'),
    body));
  const ready = getJson(ns ? `namespaces/${encodeURIComponent(ns)}/dangling` : 'dangling').then((report) => {
    if (report.total === 0) {
      body.replaceChildren(h('p', {}, 'None: every reference names an object that exists.'));
      return;
    }
    body.replaceChildren(
      h('p', {}, `${report.total} dangling reference${report.total === 1 ? '' : 's'}.`),
      ...report.groups.map((g) => h('section', { class: 'dangling-group' },
        h('h2', {}, `${g.kind} → missing ${g.target.kind}${g.target.group ? `.${g.target.group}` : ''} (${g.count})`),
        h('table', {},
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Object'), h('th', { scope: 'col' }, 'Refers to (missing)'))),
          h('tbody', {}, g.items.map((item) => h('tr', {},
            h('td', {}, h('a', { href: objectHash('connections', refOf(item.object)) }, displayName(item.object))),
            h('td', { class: 'missing' }, displayName(item.target)))))))));
  }, (error) => body.replaceChildren(h('p', { class: 'error' }, errorText(error))));
  return { ready, dispose: () => {} };
}
