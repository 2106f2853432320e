// The drawing code (Cytoscape.js: most of the page's bytes) is loaded beside a view's first request
// instead of before it, so the answer and the code arrive together and the first paint comes sooner;
// the layout is asked of the worker at once, while that code may still be loading.
import { requestLayout } from './layout-client.js';
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
      const root = model.nodes.find((n) => (n.classes ?? '').split(' ').includes('root'))?.id;
      const layout = requestLayout(model.nodes, model.edges, { direction: options.direction ?? 'TB', root, width: NODE_WIDTH, height: NODE_HEIGHT });
      const v = await ready;
      return v && !destroyed ? v.draw(model, layout, drawOptions) : false;
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
