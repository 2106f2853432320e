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
 * Asks the worker to lay out nodes [{id}] and edges [{source, target}] of w×h boxes. `first` resolves
 * with the first answer ({positions, layout, final}); when it is not final, dagre's better layout follows
 * and goes to the handler given to onRefined — at once if it came before the handler did.
 */
export function requestLayout(nodes, edges, { direction, root, width, height }) {
  const id = ++nextJob;
  let handler;
  let early;
  const first = new Promise((resolve, reject) => {
    jobs.set(id, { resolve, reject, refined: (better) => (handler ? handler(better) : (early = better)) });
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
  first.catch(() => {}); // whoever awaits `first` reports a failure; this branch only keeps it from going unhandled
  return {
    first,
    onRefined(h) {
      handler = h;
      if (early) h(early);
      early = undefined;
    },
  };
}
