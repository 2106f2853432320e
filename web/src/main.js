// The web view's entry: the finder, and one view at a time chosen by the URL's fragment.
import { h } from './dom.js';
import { layoutWorker } from './layout-client.js';
import { loadKinds } from './kinds.js';
import { parse } from './routes.js';
import { setupSearch } from './search.js';
import { compositionView } from './views/composition.js';
import { connectionsView } from './views/connections.js';
import { danglingView } from './views/dangling.js';
import { historyView } from './views/history.js';
import { applicationView, homeView } from './views/applications.js';

let current = { dispose: () => {} };

function route() {
  current.dispose();
  const main = document.getElementById('main');
  const { view, ref, app, params } = parse(location.hash);
  document.body.dataset.view = view;
  switch (view) {
    case 'composition': current = compositionView(main, ref, params); break;
    case 'connections': current = connectionsView(main, ref, params); break;
    case 'history': current = historyView(main, ref, params); break;
    case 'dangling': current = danglingView(main, params); break;
    case 'home': current = homeView(main); break;
    case 'application': current = applicationView(main, app.namespace, app.name, app.tab); break;
    default:
      main.replaceChildren(h('section', { class: 'page' }, h('h1', { id: 'title' }, 'No such page'), h('p', {}, h('a', { href: '#/' }, 'Start again'))));
      current = { ready: Promise.resolve(), dispose: () => {} };
  }
  const title = document.getElementById('title');
  document.title = title ? `${title.textContent} — KubeDiscovery` : 'KubeDiscovery';
  current.ready?.finally(() => { document.body.dataset.ready = location.hash; });
}

// Started with the page, so that it has loaded before the first graph needs it.
layoutWorker();
setupSearch();
window.addEventListener('hashchange', route);
// The kinds first, so the first page already names its kind as every later one does.
loadKinds().finally(route);
