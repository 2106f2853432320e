// The page's side of the layout worker (layout-worker.js). Loaded with the page and started at once, so
// the worker has loaded by the time the first answer to draw arrives.

/* global LAYOUT_WORKER */
let worker;
let nextJob = 0;
const jobs = new Map();

export function layoutWorker() {
  if (!worker) {
    worker = new Worker(new URL(LAYOUT_WORKER, import.meta.url), { type: 'module', name: 'layout' });
    worker.onmessage = (e) => {
      const job = jobs.get(e.data.id);
      if (!job) return;
      if (e.data.final) jobs.delete(e.data.id);
      if (e.data.error) job.reject(new Error(e.data.error));
      else if (!job.answered) {
        job.answered = true;
        job.resolve(e.data);
      } else job.refined?.(e.data);
    };
    // A worker that cannot start or load fails every layout asked of it, rather than leaving them waiting.
    worker.onerror = (e) => {
      const error = new Error(`layout worker: ${e.message || 'failed to load'}`);
      for (const job of jobs.values()) job.reject(error);
      jobs.clear();
      worker = undefined;
      e.preventDefault();
    };
  }
  return worker;
}

/**
 * Positions for nodes [{id}] and edges [{source, target}] of w×h boxes, computed off the main thread:
 * resolves with the first ({positions, layout, final}); a big graph's better layout follows through refined().
 */
export function layout(nodes, edges, { direction, root, width, height }, refined) {
  const id = ++nextJob;
  return new Promise((resolve, reject) => {
    jobs.set(id, { resolve, reject, refined });
    layoutWorker().postMessage({
      id,
      direction,
      root,
      width,
      height,
      nodes: nodes.map((n) => n.id),
      edges: edges.map((e) => [e.source, e.target]),
    });
  });
}
