// Every call is relative to the page (…/v1/ui/ → …/v1/), so the view works wherever it is served:
// from the server itself, through kubectl proxy, or under any proxy's path prefix.
export const apiBase = new URL('../', document.baseURI);

export class ApiError extends Error {
  constructor(status, message, reason) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}

export function url(path, query) {
  const u = new URL(path, apiBase);
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') u.searchParams.set(k, String(v));
  }
  return u;
}

async function failure(response) {
  let message = `${response.status} ${response.statusText}`;
  let reason = '';
  try {
    const body = await response.json();
    if (body && body.kind === 'Status') {
      message = body.message || message;
      reason = body.reason || '';
    }
  } catch {
    // Not a Status: the status line says enough.
  }
  return new ApiError(response.status, message, reason);
}

export async function getJson(path, query, signal) {
  const response = await fetch(url(path, query), { headers: { Accept: 'application/json' }, signal, credentials: 'same-origin' });
  if (!response.ok) throw await failure(response);
  return response.json();
}

export async function getText(path, query, signal) {
  const response = await fetch(url(path, query), { headers: { Accept: 'text/plain, application/json' }, signal, credentials: 'same-origin' });
  if (!response.ok) throw await failure(response);
  return response.text();
}

/** The path of an object's subresource: namespaces/{ns}/{resource}/{name}/{sub}, or {resource}/{name}/{sub}. */
export function objectPath(ref, subresource) {
  const resource = encodeURIComponent(ref.resource);
  const name = encodeURIComponent(ref.name);
  const sub = subresource ? `/${subresource}` : '';
  return ref.namespace
    ? `namespaces/${encodeURIComponent(ref.namespace)}/${resource}/${name}${sub}`
    : `${resource}/${name}${sub}`;
}

/**
 * Reads a watch stream (one JSON WatchEvent per line) and calls onEvent for each, until the stream
 * ends or signal aborts. Resolves when it ends; rejects on an HTTP error or a broken connection.
 */
export async function watch(path, query, onEvent, signal, onOpen) {
  const response = await fetch(url(path, { ...query, watch: 'true' }), { headers: { Accept: 'application/json' }, signal, credentials: 'same-origin' });
  if (!response.ok) throw await failure(response);
  onOpen?.();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    pending += value;
    let newline;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line.length > 0) onEvent(JSON.parse(line));
    }
  }
}
