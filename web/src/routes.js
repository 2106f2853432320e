// Where the page is, kept in the URL's fragment (#/composition/Deployment.apps/shop/cart), so every view
// has a link and the server serves one page. "-" stands for no namespace: no namespace is named so.
// The API's own path form opens the same views: #/namespaces/shop/deployments/frontend (its composition),
// #/nodes/node-1, and with a subresource #/namespaces/shop/deploy/frontend/connections (or /changes,
// /versions: its history).
export const views = ['composition', 'connections', 'history'];

const subresources = { compositions: 'composition', composition: 'composition', connections: 'connections', history: 'history', versions: 'history', changes: 'history' };

/** An application's page: #/application/{ns}/{name}[/connections|/history]. */
export function appHash(tab, ns, name) {
  const base = `#/application/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`;
  return tab === 'members' ? base : `${base}/${tab}`;
}

export function objectHash(view, ref) {
  const parts = [view, ref.resource, ref.namespace || '-', ref.name].map(encodeURIComponent);
  return `#/${parts.join('/')}`;
}

/** The views of an object named in the API's path form, or null when the parts are not one. */
function apiPath(parts) {
  let view = 'composition';
  let rest = parts;
  const last = parts[parts.length - 1];
  // namespaces/{ns}/{resource}/{name}[/{sub}], or {resource}/{name}[/{sub}] for a cluster-scoped one.
  const namespaced = parts[0] === 'namespaces' && parts.length >= 4;
  const bare = namespaced ? 4 : 2;
  if (parts.length === bare + 1) {
    if (!(last in subresources)) return null;
    view = subresources[last];
    rest = parts.slice(0, bare);
  } else if (parts.length !== bare) {
    return null;
  }
  return namespaced
    ? { view, ref: { resource: rest[2], namespace: rest[1], name: rest[3] } }
    : { view, ref: { resource: rest[0], namespace: '', name: rest[1] } };
}

export function parse(hash) {
  const path = (hash || '').replace(/^#\/?/, '');
  const [route, query] = path.split('?');
  const parts = route.split('/').filter((p) => p.length > 0).map(decodeURIComponent);
  const params = new URLSearchParams(query ?? '');
  if (parts.length === 0) return { view: 'home', params };
  if (parts.length === 1 && parts[0] === 'dangling') return { view: 'dangling', params };
  if (parts[0] === 'application' && (parts.length === 3 || (parts.length === 4 && ['connections', 'history'].includes(parts[3])))) {
    return { view: 'application', app: { namespace: parts[1], name: parts[2], tab: parts[3] ?? 'members' }, params };
  }
  // The API's path form of an application: #/namespaces/store/appinstances/helm.checkout
  if (parts[0] === 'namespaces' && parts[2] === 'appinstances' && parts.length === 4) {
    return { view: 'application', app: { namespace: parts[1], name: parts[3], tab: 'members' }, params };
  }
  if (views.includes(parts[0]) && parts.length === 4) {
    const [view, resource, ns, name] = parts;
    return { view, ref: { resource, namespace: ns === '-' ? '' : ns, name }, params };
  }
  const api = apiPath(parts);
  return api ? { ...api, params } : { view: 'unknown', params };
}
