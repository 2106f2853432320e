// The history view: the object's versions and the changes of its tree and neighbours on a time line;
// a change opens its diff. Reloads when the object's tree changes.
import { getJson, getText, objectPath } from '../api.js';
import { h } from '../dom.js';
import { follow } from '../live.js';
import { kindName } from '../kinds.js';
import { refOf } from '../model.js';
import { objectHash } from '../routes.js';
import { arrowKeys, errorText, objectFrame, showNotice } from './common.js';

const spans = [['1h', 'last hour'], ['24h', 'last day'], ['168h', 'last week'], ['720h', 'last 30 days']];

function changeLabel(c) {
  if (c.change === 'Gap') return `No history recorded: ${c.message ?? ''}`;
  const who = c.user ?? (c.managers?.length ? c.managers.join(', ') : '');
  const what = c.changedPaths?.length ? c.changedPaths.slice(0, 4).join(', ') + (c.changedPaths.length > 4 ? ` and ${c.changedPaths.length - 4} more` : '') : '';
  return [c.change, what && `— ${what}`, who && `by ${who}`, c.observedLate ? '(seen at a re-list)' : ''].filter(Boolean).join(' ');
}

/** Unified diff text as lines coloured by their first character. */
function diffBlock(text) {
  return h('pre', { class: 'diff', tabindex: '0', 'aria-label': 'Diff' }, text.split('\n').map((line) => {
    const cls = line.startsWith('+') && !line.startsWith('+++') ? 'add' : line.startsWith('-') && !line.startsWith('---') ? 'del' : line.startsWith('@@') ? 'hunk' : '';
    return h('span', { class: cls }, `${line}\n`);
  }));
}

function timeline(items, onPick) {
  const times = items.map((c) => Date.parse(c.time)).filter((t) => !Number.isNaN(t));
  if (times.length === 0) return null;
  const min = Math.min(...times);
  const max = Math.max(...times);
  const span = Math.max(1, max - min);
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'timeline');
  svg.setAttribute('viewBox', '0 0 1000 40');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('aria-hidden', 'true');
  const axis = document.createElementNS(svg.namespaceURI, 'line');
  for (const [k, v] of Object.entries({ x1: 10, x2: 990, y1: 20, y2: 20, class: 'axis' })) axis.setAttribute(k, v);
  svg.append(axis);
  items.forEach((c, i) => {
    const t = Date.parse(c.time);
    if (Number.isNaN(t)) return;
    const dot = document.createElementNS(svg.namespaceURI, 'circle');
    const x = 10 + (980 * (t - min)) / span;
    for (const [k, v] of Object.entries({ cx: x, cy: 20, r: 7, class: `change ${c.change}` })) dot.setAttribute(k, v);
    const title = document.createElementNS(svg.namespaceURI, 'title');
    title.textContent = `${c.time} ${c.resource ? kindName({ resource: c.resource, kind: c.objectKind }) : ''} ${c.name ?? ''} ${c.change}`;
    dot.append(title);
    dot.addEventListener('click', () => onPick(i));
    svg.append(dot);
  });
  return h('div', { class: 'timeline-box' }, svg, h('div', { class: 'timeline-ends' }, h('span', {}, new Date(min).toISOString()), h('span', {}, new Date(max).toISOString())));
}

export function historyView(main, ref, params) {
  const frame = objectFrame(main, ref, 'history');
  const since = spans.some(([v]) => v === params.get('since')) ? params.get('since') : '720h';
  frame.controls.replaceChildren(h('label', {}, 'Changes in the ', h('select', {
    id: 'choose-since',
    onchange: (e) => { location.hash = `${objectHash('history', ref)}?since=${e.target.value}`; },
  }, spans.map(([v, text]) => h('option', { value: v, selected: v === since }, text)))));
  frame.graph.classList.add('history');
  frame.graph.setAttribute('role', 'region');
  frame.graph.setAttribute('aria-label', 'Diff of the chosen change');
  frame.graph.replaceChildren(h('p', { class: 'muted' }, 'Choose a change to see its diff.'));
  frame.details.replaceChildren();
  arrowKeys(frame.list);
  let chosen;

  async function showDiff(c) {
    chosen = `${c.resource ?? ''}/${c.namespace ?? ''}/${c.name ?? ''}#${c.number}`;
    for (const b of frame.list.querySelectorAll('button[aria-pressed]')) b.setAttribute('aria-pressed', String(b.dataset.key === chosen));
    const target = c.resource ? refOf({ resource: c.resource, apiGroup: c.apiGroup, namespace: c.namespace, name: c.name }) : ref;
    const heading = h('h2', {}, `${c.resource ? `${kindName({ resource: c.resource, kind: c.objectKind })}/${c.name}` : `${kindName(ref)}/${ref.name}`} #${c.number} — ${c.change} at ${c.time}`);
    if (c.change === 'Gap') {
      frame.graph.replaceChildren(heading, h('p', {}, c.message ?? 'No history was recorded here.'));
      return;
    }
    if (c.number <= 1) {
      frame.graph.replaceChildren(heading, h('p', {}, 'Created: the first version, with nothing before it to compare.'));
      return;
    }
    frame.graph.replaceChildren(heading, h('p', { class: 'muted' }, 'Loading the diff…'));
    try {
      const text = await getText(objectPath(target, 'diff'), { start: c.number - 1, end: c.number, format: 'text', uid: c.uid });
      frame.graph.replaceChildren(heading, text.trim().length ? diffBlock(text) : h('p', {}, 'No difference in what is recorded.'));
    } catch (error) {
      frame.graph.replaceChildren(heading, h('p', { class: 'error' }, errorText(error)));
    }
  }

  function changeList(title, items, withObject) {
    if (items.length === 0) return [h('h2', {}, title), h('p', { class: 'muted' }, 'None recorded.')];
    const ordered = [...items].sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
    return [
      h('h2', {}, `${title} (${items.length})`),
      timeline(ordered, (i) => showDiff(ordered[i])),
      h('ol', { class: 'changes', reversed: true }, ordered.map((c) => {
        const key = `${c.resource ?? ''}/${c.namespace ?? ''}/${c.name ?? ''}#${c.number}`;
        return h('li', { class: `change-${c.change}` },
          h('button', { type: 'button', 'aria-pressed': String(key === chosen), dataset: { key }, onclick: () => showDiff(c) },
            h('time', { datetime: c.time }, c.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z')), ' ',
            withObject && c.resource ? h('strong', {}, `${kindName({ resource: c.resource, kind: c.objectKind })}/${c.name} `) : '',
            c.number ? `#${c.number} ` : '', changeLabel(c)));
      })),
    ];
  }

  let lastShown = '';
  async function load() {
    const [versions, changes] = await Promise.all([
      getJson(objectPath(ref, 'versions')),
      getJson(objectPath(ref, 'changes'), { since }),
    ]);
    // The same answer again (the re-ask after a change, a watch's first event) leaves the list as it is:
    // rebuilding it would move what the user is about to click.
    const shown = JSON.stringify([versions.items, changes.items]);
    if (shown === lastShown) return;
    lastShown = shown;
    if (versions.object?.kind) frame.title.firstChild.textContent = `${versions.object.kind} `;
    const mine = versions.items.map((v) => ({ ...v, uid: versions.object.uid }));
    const around = changes.items.filter((c) => c.via !== 'self');
    frame.list.replaceChildren(...changeList('Versions of this object', mine, false), ...changeList('Changes in its tree and around it', around, true));
  }

  let stop = () => {};
  let reloading;
  const reload = () => {
    clearTimeout(reloading);
    // History is written a moment after the change is seen: ask once more a little later.
    reloading = setTimeout(() => load().then(() => { reloading = setTimeout(() => load().catch(() => {}), 1500); }).catch((e) => showNotice(frame.notice, errorText(e))), 300);
  };
  // Discovery lists `changes` only when the server records history.
  const ready = getJson('').then((discovery) => {
    if (!discovery.resources?.some((r) => r.name === 'changes')) {
      showNotice(frame.notice, 'This server does not record history: start it with --history-db (see the README\'s History).');
      frame.list.replaceChildren();
      return;
    }
    return load().then(() => {
      stop = follow(objectPath(ref, 'compositions'), {}, reload, reload);
    });
  }).catch((error) => showNotice(frame.notice, errorText(error)));
  return { ready, dispose: () => { stop(); clearTimeout(reloading); } };
}
