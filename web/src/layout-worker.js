// Lays graphs out off the page's main thread (see graph.js), so a big graph never blocks the page.
// dagre's layered layout (owners above what they own, users left of what they use) where it is quick;
// past that, the banded layout (banded-layout.js says why).
import dagre from '@dagrejs/dagre';
import { bandedLayout } from './banded-layout.js';

/** Below this many nodes dagre answers at once (a 300-node tree in well under 0.2 s). */
const DAGRE_AT_ONCE = 300;
/** Past these dagre takes seconds to minutes (a 1,111-node tree 0.5–0.9 s; one node with 1,000 neighbours 10 s), or draws one row wider than any screen (a ReplicaSet with 40 Pods). */
const DAGRE_MAX_NODES = 2000;
const DAGRE_MAX_DEGREE = 30;

function dagreLayout(nodes, edges, { direction, width, height }) {
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
  return positions;
}

function maxDegree(nodes, edges) {
  const degree = new Map();
  let max = 0;
  for (const [s, t] of edges) {
    for (const v of [s, t]) {
      const d = (degree.get(v) ?? 0) + 1;
      degree.set(v, d);
      if (d > max) max = d;
    }
  }
  return max;
}

// A big graph is answered twice: the banded layout at once, for a first picture in milliseconds, then
// dagre's where it can finish in a second or so — the page moves the nodes when it arrives.
self.onmessage = (e) => {
  const { id, nodes, edges, root } = e.data;
  try {
    const degree = maxDegree(nodes, edges);
    const dagreFits = nodes.length <= DAGRE_MAX_NODES && degree <= DAGRE_MAX_DEGREE;
    if (nodes.length <= DAGRE_AT_ONCE && dagreFits) {
      self.postMessage({ id, positions: dagreLayout(nodes, edges, e.data), layout: 'dagre', final: true });
      return;
    }
    self.postMessage({ id, positions: bandedLayout(nodes, edges, { ...e.data, root: root ?? nodes[0] }), layout: 'banded', final: !dagreFits });
    if (dagreFits) self.postMessage({ id, positions: dagreLayout(nodes, edges, e.data), layout: 'dagre', final: true });
  } catch (error) {
    self.postMessage({ id, error: String(error?.message ?? error), final: true });
  }
};
