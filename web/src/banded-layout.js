// A layered layout for graphs too big or too wide for dagre. Hand-written because the maintained layered
// layouts are super-linear on wide ranks (measured here: dagre 10 s for one node with 1,000 neighbours
// and 54 s with 2,000; ELK's layered 71 s for 10,000), while a namespace's neighbourhood is exactly that
// shape. This one is O(n log n): ranks from the root along the edges (what an object uses after it, what
// uses it before it), each rank ordered by where its neighbours in the rank before it sit, and a rank
// wider than a screen folded into a block of rows.

/**
 * @param {string[]} nodes  ids; nodes[0] is the root
 * @param {[string, string][]} edges  [source, target]
 * @returns {Record<string, {x: number, y: number}>}
 */
export function bandedLayout(nodes, edges, { direction, width, height, root }) {
  const index = new Map(nodes.map((id, i) => [id, i]));
  const out = nodes.map(() => []);
  const inn = nodes.map(() => []);
  for (const [s, t] of edges) {
    const a = index.get(s);
    const b = index.get(t);
    if (a === undefined || b === undefined || a === b) continue;
    out[a].push(b);
    inn[b].push(a);
  }

  // Ranks: breadth-first from the root, +1 along an edge, -1 against it; unreached nodes after the rest.
  const rank = new Array(nodes.length).fill(undefined);
  const start = index.get(root) ?? 0;
  rank[start] = 0;
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head];
    for (const w of out[v]) if (rank[w] === undefined) { rank[w] = rank[v] + 1; queue.push(w); }
    for (const w of inn[v]) if (rank[w] === undefined) { rank[w] = rank[v] - 1; queue.push(w); }
  }
  let maxRank = 0;
  for (const r of rank) if (r !== undefined && r > maxRank) maxRank = r;
  for (let i = 0; i < rank.length; i++) if (rank[i] === undefined) rank[i] = maxRank + 1;

  const byRank = new Map();
  for (let i = 0; i < nodes.length; i++) {
    if (!byRank.has(rank[i])) byRank.set(rank[i], []);
    byRank.get(rank[i]).push(i);
  }

  // Order each rank by the mean place of its neighbours one rank nearer the root, going outwards.
  const place = new Float64Array(nodes.length);
  const ranks = [...byRank.keys()].sort((a, b) => Math.abs(a) - Math.abs(b) || a - b);
  for (const r of ranks) {
    const members = byRank.get(r);
    const nearer = r > 0 ? r - 1 : r + 1;
    const key = new Float64Array(nodes.length);
    for (const v of members) {
      let sum = 0;
      let count = 0;
      for (const w of out[v].concat(inn[v])) if (rank[w] === nearer) { sum += place[w]; count++; }
      key[v] = count > 0 ? sum / count : Number.MAX_SAFE_INTEGER;
    }
    members.sort((a, b) => key[a] - key[b] || (nodes[a] < nodes[b] ? -1 : 1));
    members.forEach((v, i) => { place[v] = i / Math.max(1, members.length - 1); });
  }

  // Each rank a band: one row, or rows of `columns` when it is wide, centred on the axis.
  const gapAcross = 16;
  const gapAlong = 48;
  const horizontal = direction === 'LR';
  const across = horizontal ? height : width; // the node's extent along a row
  const along = horizontal ? width : height;
  const positions = {};
  let offset = 0;
  const ordered = [...byRank.keys()].sort((a, b) => a - b);
  for (const r of ordered) {
    const members = byRank.get(r);
    // A folded rank is about as wide as tall on a landscape pane: boxes are 4× wider than tall.
    const columns = members.length <= 16 ? members.length : Math.ceil(Math.sqrt(members.length * (horizontal ? 2.4 : 0.5)));
    const rows = Math.ceil(members.length / columns);
    members.forEach((v, i) => {
      const col = i % columns;
      const row = Math.floor(i / columns);
      const a = (col - (columns - 1) / 2) * (across + gapAcross);
      const b = offset + row * (along + gapAlong / 2);
      positions[nodes[v]] = horizontal ? { x: b, y: a } : { x: a, y: b };
    });
    offset += rows * (along + gapAlong / 2) + gapAlong;
  }
  return positions;
}
