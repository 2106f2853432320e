// The finder: a combobox over the server's search endpoint. Type, arrows to choose, Enter to open the
// composition; "/" anywhere puts the cursor here.
import { getJson } from './api.js';
import { h, readyDot } from './dom.js';
import { refOf } from './model.js';
import { objectHash } from './routes.js';

export function setupSearch() {
  const input = document.getElementById('search');
  const results = document.getElementById('results');
  let items = [];
  let active = -1;
  let timer;
  let asked = 0;

  function close() {
    results.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function activate(i) {
    active = i;
    [...results.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    if (i >= 0 && results.children[i]) {
      input.setAttribute('aria-activedescendant', results.children[i].id);
      results.children[i].scrollIntoView({ block: 'nearest' });
    }
  }

  function open(item) {
    close();
    input.value = '';
    location.hash = objectHash('composition', refOf(item));
  }

  function show(found, message) {
    items = found;
    results.replaceChildren(...(message ? [h('li', { class: 'message', role: 'option', 'aria-disabled': 'true', id: 'result-none' }, message)] : []),
      ...found.map((item, i) => h('li', {
        role: 'option', id: `result-${i}`, 'aria-selected': 'false', class: 'result', dataset: { uid: item.uid },
        onmousedown: (e) => { e.preventDefault(); open(item); },
      }, readyDot(item.status?.ready), ' ', h('span', { class: 'kind' }, item.kind), ' ',
      item.namespace ? h('span', { class: 'ns' }, `${item.namespace}/`) : '', h('span', { class: 'name' }, item.name))));
    results.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    performance.mark('search-shown');
    activate(found.length > 0 ? 0 : -1);
  }

  async function ask(q) {
    const mine = ++asked;
    try {
      const answer = await getJson('search', { q, limit: 20 });
      if (mine !== asked) return;
      show(answer.items, answer.items.length === 0 ? `Nothing you may read matches “${q}”.` : '');
    } catch (error) {
      if (mine === asked) show([], error.message);
    }
  }

  input.addEventListener('input', () => {
    performance.mark('search-typed');
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) {
      close();
      return;
    }
    timer = setTimeout(() => ask(q), 120);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && items.length) { activate((active + 1) % items.length); e.preventDefault(); }
    else if (e.key === 'ArrowUp' && items.length) { activate((active - 1 + items.length) % items.length); e.preventDefault(); }
    else if (e.key === 'Enter' && active >= 0 && items[active]) { open(items[active]); e.preventDefault(); }
    else if (e.key === 'Escape') close();
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
  window.addEventListener('hashchange', close);
  document.addEventListener('keydown', (e) => {
    if (e.key === '/' && document.activeElement !== input && !/^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement?.tagName ?? '')) {
      input.focus();
      e.preventDefault();
    }
  });
}
