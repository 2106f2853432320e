// Where the page is, kept in the URL's fragment (#/composition/Deployment.apps/shop/cart), so every view
// has a link and the server serves one page. "-" stands for no namespace: no namespace is named so.
export const views = ['composition', 'connections', 'history'];

export function objectHash(view, ref) {
  const parts = [view, ref.resource, ref.namespace || '-', ref.name].map(encodeURIComponent);
  return `#/${parts.join('/')}`;
}

export function parse(hash) {
  const path = (hash || '').replace(/^#\/?/, '');
  const [route, query] = path.split('?');
  const parts = route.split('/').filter((p) => p.length > 0).map(decodeURIComponent);
  const params = new URLSearchParams(query ?? '');
  if (parts.length === 0) return { view: 'home', params };
  if (parts[0] === 'dangling') return { view: 'dangling', params };
  if (views.includes(parts[0]) && parts.length === 4) {
    const [view, resource, ns, name] = parts;
    return { view, ref: { resource, namespace: ns === '-' ? '' : ns, name }, params };
  }
  return { view: 'unknown', params };
}
