// Lays graphs out off the page's main thread (see graph.js). dagre's layered layout suits ownership
// trees and dependency graphs: owners above what they own, users to the left of what they use.
import dagre from '@dagrejs/dagre';

self.onmessage = (e) => {
  const { id, nodes, edges, direction, width, height } = e.data;
  try {
    const g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: direction, nodesep: 16, ranksep: 48, edgesep: 8 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const n of nodes) g.setNode(n, { width, height });
    let i = 0;
    for (const [s, t] of edges) if (s !== t && g.hasNode(s) && g.hasNode(t)) g.setEdge(s, t, {}, String(i++));
    dagre.layout(g);
    const positions = {};
    for (const n of nodes) {
      const p = g.node(n);
      positions[n] = { x: p.x, y: p.y };
    }
    self.postMessage({ id, positions });
  } catch (error) {
    self.postMessage({ id, error: String(error?.message ?? error) });
  }
};
