// Turns the server's answers into what the page draws: graph nodes and edges, and the same content as
// an accessible list. Pure functions: no DOM, no fetch.

/** Siblings of one kind beyond this many are drawn as one expandable group (a ReplicaSet's 500 Pods are one box). */
export const COLLAPSE_AT = 12;

export function groupOf(apiVersion) {
  const slash = (apiVersion ?? '').indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** How the API names an object's resource: Kind.group, which the server resolves as kubectl does. */
export function refOf(o) {
  // Kind.group when the kind is known, so one object has one link whichever answer named it.
  const group = o.apiVersion !== undefined ? groupOf(o.apiVersion) : (o.apiGroup ?? '');
  const resource = o.kind && o.apiVersion !== undefined ? (group ? `${o.kind}.${group}` : o.kind) : (group ? `${o.resource}.${group}` : o.resource);
  return { resource, namespace: o.namespace || '', name: o.name, kind: o.kind };
}

export function displayName(o) {
  return o.namespace ? `${o.kind}/${o.namespace}/${o.name}` : `${o.kind}/${o.name}`;
}

export function readyText(status) {
  if (!status || !status.ready || status.ready === '-') return 'no readiness';
  const why = [status.reason, status.message].filter(Boolean).join(': ');
  return why ? `Ready ${status.ready} — ${why}` : `Ready ${status.ready}`;
}

function objectNode(o, classes) {
  const ready = o.status?.ready && o.status.ready !== '-' ? o.status.ready : 'none';
  return {
    id: o.uid ?? displayName(o),
    label: `${o.kind}\n${o.name}`,
    line: `${o.kind} ${o.name}`,
    ready,
    classes,
    tip: `${displayName(o)}\n${readyText(o.status)}`,
    object: o,
  };
}

function pluralOf(kind, count) {
  if (count === 1) return kind;
  if (/(s|x|ch|sh)$/.test(kind)) return `${kind}es`;
  if (/[^aeiou]y$/.test(kind)) return `${kind.slice(0, -1)}ies`;
  return `${kind}s`;
}

function summarise(children) {
  let ok = 0;
  let bad = 0;
  for (const c of children) {
    if (c.status?.ready === 'True') ok++;
    else if (c.status?.ready === 'False') bad++;
  }
  const ready = bad > 0 ? 'False' : ok === children.length ? 'True' : ok + bad === 0 ? 'none' : 'Unknown';
  return { ok, bad, ready };
}

/**
 * A Composition as {nodes, edges, list}: the tree under the root, its ancestors above it, missing owners
 * and hidden or cut children drawn as their own kinds of node, and large same-kind fan-outs collapsed
 * into one group unless `expanded` holds the group's id.
 */
export function compositionGraph(doc, expanded) {
  const nodes = [];
  const edges = [];
  const seen = new Map();
  const addEdge = (source, target, classes) => edges.push({ id: `${source}>${target}`, source, target, classes });

  function add(node) {
    if (seen.has(node.id)) return false;
    seen.set(node.id, node);
    nodes.push(node);
    return true;
  }

  function walk(o, classes) {
    const node = objectNode(o, classes);
    const item = { id: node.id, kind: 'object', object: o, children: [] };
    if (!add(node)) {
      item.repeated = true; // owned by two parents: drawn once, with two edges
      return item;
    }
    const byKind = new Map();
    for (const child of o.children ?? []) {
      const k = `${child.apiVersion}|${child.kind}`;
      if (!byKind.has(k)) byKind.set(k, []);
      byKind.get(k).push(child);
    }
    for (const [k, children] of byKind) {
      const groupId = `${node.id}/group/${k}`;
      if (children.length > COLLAPSE_AT && !expanded.has(groupId)) {
        const { ok, bad, ready } = summarise(children);
        const kind = children[0].kind;
        const label = `${children.length} ${pluralOf(kind, children.length)}`;
        add({ id: groupId, label: `${label}\n${ok} ready${bad ? `, ${bad} not` : ''}`, ready, classes: 'group',
          tip: `${label} of ${o.kind}/${o.name}: ${ok} ready, ${bad} not ready\nClick to show them` });
        addEdge(node.id, groupId);
        item.children.push({ id: groupId, kind: 'group', label, count: children.length, ok, bad, ready, expanded: false });
        continue;
      }
      if (children.length > COLLAPSE_AT) item.children.push({ id: groupId, kind: 'group', label: `${children.length} ${pluralOf(children[0].kind, children.length)}`, count: children.length, expanded: true });
      for (const child of children) {
        const childItem = walk(child, '');
        addEdge(node.id, childItem.id);
        item.children.push(childItem);
      }
    }
    if (o.hiddenChildren > 0) {
      const id = `${node.id}/hidden`;
      add({ id, label: `+${o.hiddenChildren} hidden`, ready: 'none', classes: 'hidden', tip: `${o.hiddenChildren} children you may not read` });
      addEdge(node.id, id, 'hidden');
      item.children.push({ id, kind: 'hidden', label: `${o.hiddenChildren} hidden (you may not read them)` });
    }
    if (o.truncated) {
      const id = `${node.id}/more`;
      add({ id, label: '…', ready: 'none', classes: 'truncated', tip: 'The tree was cut here (depth or size limit)' });
      addEdge(node.id, id);
      item.children.push({ id, kind: 'truncated', label: 'more below (cut by the depth or size limit)' });
    }
    return item;
  }

  const root = doc.root;
  const tree = walk(root, 'root');

  const ancestors = [];
  function above(childId, list) {
    for (const a of list ?? []) {
      const node = objectNode(a, 'ancestor');
      if (add(node)) ancestors.push({ id: node.id, kind: 'object', object: a, children: [] });
      addEdge(node.id, childId);
      above(node.id, a.ancestors);
      if (a.hiddenAncestors > 0) hiddenAbove(node.id, a.hiddenAncestors);
    }
  }
  function hiddenAbove(childId, count) {
    const id = `${childId}/hidden-owners`;
    add({ id, label: `+${count} hidden owner${count > 1 ? 's' : ''}`, ready: 'none', classes: 'hidden', tip: 'Owners you may not read' });
    addEdge(id, childId, 'hidden');
    ancestors.push({ id, kind: 'hidden', label: `${count} owner(s) you may not read` });
  }
  above(tree.id, doc.ancestors);
  if (doc.hiddenAncestors > 0) hiddenAbove(tree.id, doc.hiddenAncestors);
  for (const owner of root.danglingOwners ?? []) {
    const id = `missing/${owner.uid ?? owner.name}`;
    add({ id, label: `${owner.kind}\n${owner.name}`, ready: 'none', classes: 'missing', tip: `${owner.kind}/${owner.name} is named as an owner but does not exist` });
    addEdge(id, tree.id, 'missing');
    ancestors.push({ id, kind: 'missing', label: `${owner.kind}/${owner.name} (owner that does not exist)` });
  }
  return { nodes, edges, tree, ancestors };
}

/** A Connections answer as {nodes, edges}, edges labelled with their kind (mounts, selects, …). */
export function connectionsGraph(doc) {
  const nodes = doc.nodes.map((n) => {
    const node = objectNode({ ...n, uid: n.id }, n.id === doc.root ? 'root' : n.missing ? 'missing' : '');
    if (n.missing) node.tip = `${n.id} is referenced but does not exist`;
    return node;
  });
  const ids = new Set(nodes.map((n) => n.id));
  const edges = doc.edges
    .filter((e) => ids.has(e.from) && ids.has(e.to))
    .map((e, i) => ({ id: `e${i}`, source: e.from, target: e.to, label: e.kind, classes: '' }));
  const missing = new Set(doc.nodes.filter((n) => n.missing).map((n) => n.id));
  for (const e of edges) if (missing.has(e.target)) e.classes = 'missing';
  return { nodes, edges };
}
