// The drawing code (Cytoscape.js: most of the page's bytes) is loaded beside a view's first request
// instead of before it, so the answer and the code arrive together and the first paint comes sooner;
// the layout is asked of the worker at once, while that code may still be loading.
import { layout } from './layout-client.js';
import { NODE_HEIGHT, NODE_WIDTH } from './sizes.js';

export function lazyGraph(container, options) {
  let view;
  let destroyed = false;
  const ready = import('./graph.js').then(({ GraphView }) => {
    if (!destroyed) view = new GraphView(container, options);
    return view;
  });
  return {
    async draw(model, drawOptions) {
      const hooks = {};
      const root = model.nodes.find((n) => (n.classes ?? '').split(' ').includes('root'))?.id;
      const pending = layout(model.nodes, model.edges, { direction: options.direction ?? 'TB', root, width: NODE_WIDTH, height: NODE_HEIGHT },
        (better) => (hooks.refined ? hooks.refined(better) : (hooks.early = better)));
      pending.catch(() => {}); // draw() reports a failed layout; this copy must not be an unhandled rejection
      const v = await ready;
      return v && !destroyed ? v.draw(model, { ...drawOptions, pending, hooks }) : false;
    },
    select(id) {
      view?.select(id);
    },
    destroy() {
      destroyed = true;
      view?.destroy();
    },
  };
}
