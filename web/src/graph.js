// The drawing: Cytoscape.js renders on a canvas; dagre lays the graph out in a Web Worker, so a large
// graph never blocks the page (search, the list and the keyboard keep working while it is laid out).
import cytoscape from 'cytoscape';

const NODE_WIDTH = 190;
const NODE_HEIGHT = 44;

/* global LAYOUT_WORKER */
let worker;
let nextJob = 0;
const jobs = new Map();

function layoutWorker() {
  if (!worker) {
    worker = new Worker(new URL(LAYOUT_WORKER, import.meta.url), { type: 'module', name: 'layout' });
    worker.onmessage = (e) => {
      const job = jobs.get(e.data.id);
      if (!job) return;
      jobs.delete(e.data.id);
      if (e.data.error) job.reject(new Error(e.data.error));
      else job.resolve(e.data.positions);
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

/** Positions for nodes [{id}] and edges [{source, target}], computed off the main thread. */
export function layout(nodes, edges, direction) {
  const id = ++nextJob;
  return new Promise((resolve, reject) => {
    jobs.set(id, { resolve, reject });
    layoutWorker().postMessage({
      id,
      direction,
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      nodes: nodes.map((n) => n.id),
      edges: edges.map((e) => [e.source, e.target]),
    });
  });
}

function palette() {
  const css = getComputedStyle(document.documentElement);
  const v = (name) => css.getPropertyValue(name).trim();
  return {
    text: v('--text'), muted: v('--muted'), surface: v('--surface'), line: v('--line'),
    ok: v('--ok'), bad: v('--bad'), unknown: v('--unknown'), none: v('--none'), accent: v('--accent'),
  };
}

function stylesheet(p) {
  return [
    {
      selector: 'node',
      style: {
        shape: 'round-rectangle', width: NODE_WIDTH, height: NODE_HEIGHT,
        'background-color': p.none, 'border-width': 1, 'border-color': p.line,
        label: 'data(label)', 'text-wrap': 'ellipsis', 'text-max-width': NODE_WIDTH - 12,
        'text-valign': 'center', 'text-halign': 'center', 'font-size': 11, color: '#111',
        'font-family': 'system-ui, sans-serif',
      },
    },
    { selector: 'node[label]', style: { 'text-wrap': 'wrap' } },
    { selector: 'node[ready = "True"]', style: { 'background-color': p.ok } },
    { selector: 'node[ready = "False"]', style: { 'background-color': p.bad } },
    { selector: 'node[ready = "Unknown"]', style: { 'background-color': p.unknown } },
    { selector: 'node.root', style: { 'border-width': 3, 'border-color': p.accent } },
    { selector: 'node.ancestor', style: { opacity: 0.85 } },
    { selector: 'node.missing', style: { 'background-color': p.surface, 'border-style': 'dashed', 'border-color': p.bad, 'border-width': 2, color: p.text } },
    { selector: 'node.hidden', style: { 'background-color': p.surface, 'border-style': 'dashed', 'border-color': p.muted, color: p.muted, shape: 'round-tag' } },
    { selector: 'node.truncated', style: { 'background-color': p.surface, 'border-style': 'dotted', color: p.muted } },
    { selector: 'node.group', style: { shape: 'barrel', 'border-width': 2, 'border-style': 'double', 'border-color': p.text } },
    { selector: 'node:selected', style: { 'overlay-color': p.accent, 'overlay-opacity': 0.25, 'overlay-padding': 6 } },
    {
      selector: 'edge',
      style: {
        width: 1.5, 'line-color': p.line, 'target-arrow-color': p.line, 'target-arrow-shape': 'triangle',
        'curve-style': 'bezier', 'arrow-scale': 0.8,
      },
    },
    {
      selector: 'edge[label]',
      style: {
        label: 'data(label)', 'font-size': 10, color: p.muted, 'text-background-color': p.surface,
        'text-background-opacity': 1, 'text-background-padding': 2, 'text-rotation': 'autorotate',
      },
    },
    { selector: 'edge.missing', style: { 'line-style': 'dashed', 'line-color': p.bad, 'target-arrow-color': p.bad } },
    { selector: 'edge.hidden', style: { 'line-style': 'dashed' } },
  ];
}

/**
 * A graph view in a container: draw() replaces what it shows (keeping positions of nodes it had, so a
 * live update does not make the picture jump); onOpen(node) on a tap or Enter; onHover for the tooltip.
 */
export class GraphView {
  constructor(container, { onOpen, direction = 'TB' }) {
    this.container = container;
    this.direction = direction;
    this.generation = 0;
    const large = { textureOnViewport: true, hideEdgesOnViewport: true, pixelRatio: 1 };
    this.cy = cytoscape({
      container,
      style: stylesheet(palette()),
      minZoom: 0.02,
      maxZoom: 3,
      boxSelectionEnabled: false,
      ...large,
    });
    this.tooltip = document.createElement('div');
    this.tooltip.className = 'tooltip';
    this.tooltip.setAttribute('role', 'tooltip');
    this.tooltip.hidden = true;
    container.append(this.tooltip);
    this.cy.on('tap', 'node', (e) => onOpen?.(e.target.data()));
    this.cy.on('mouseover', 'node', (e) => this.showTip(e.target));
    this.cy.on('mouseout', 'node', () => { this.tooltip.hidden = true; });
    this.cy.on('viewport', () => { this.tooltip.hidden = true; });
    this.themeWatch = matchMedia('(prefers-color-scheme: dark)');
    this.onTheme = () => this.cy.style(stylesheet(palette()));
    this.themeWatch.addEventListener('change', this.onTheme);
  }

  showTip(node) {
    const d = node.data();
    if (!d.tip) return;
    this.tooltip.textContent = d.tip;
    const p = node.renderedPosition();
    this.tooltip.style.left = `${Math.round(p.x + 12)}px`;
    this.tooltip.style.top = `${Math.round(p.y + NODE_HEIGHT / 2)}px`;
    this.tooltip.hidden = false;
  }

  /** Shows {nodes, edges}; resolves once drawn. Marks the container with how many nodes it shows. */
  async draw({ nodes, edges }, { fit = true } = {}) {
    const generation = ++this.generation;
    this.container.dataset.state = 'layout';
    let positions;
    try {
      positions = await layout(nodes, edges, this.direction);
    } catch (error) {
      // The list beside the graph still holds everything; say why there is no picture.
      if (generation === this.generation) {
        this.container.dataset.state = 'error';
        this.tooltip.textContent = `Could not lay the graph out: ${error.message}`;
        this.tooltip.hidden = false;
      }
      return false;
    }
    if (generation !== this.generation) return false; // a newer picture was asked for meanwhile
    const cy = this.cy;
    cy.batch(() => {
      cy.elements().remove();
      cy.add(nodes.map((n) => ({ group: 'nodes', data: n, classes: n.classes ?? '', position: positions[n.id] ?? { x: 0, y: 0 } })));
      cy.add(edges.map((e) => ({ group: 'edges', data: e, classes: e.classes ?? '' })));
    });
    if (fit) {
      const root = cy.nodes('.root');
      if (nodes.length > 60 && root.nonempty()) cy.zoom(0.8), cy.center(root);
      else {
        cy.fit(undefined, 30);
        // A small tree is drawn at its natural size, not blown up to fill the pane.
        if (cy.zoom() > 1) cy.zoom(1), cy.center();
      }
    }
    this.container.dataset.nodes = String(nodes.length);
    this.container.dataset.edges = String(edges.length);
    this.container.dataset.state = 'drawn';
    await new Promise((resolve) => requestAnimationFrame(() => resolve()));
    return true;
  }

  select(id) {
    this.cy.$(':selected').unselect();
    const n = this.cy.getElementById(id);
    if (n.nonempty()) {
      n.select();
      if (!n.renderedPosition() || !this.visible(n)) this.cy.center(n);
    }
  }

  visible(n) {
    const p = n.renderedPosition();
    return p.x >= 0 && p.y >= 0 && p.x <= this.container.clientWidth && p.y <= this.container.clientHeight;
  }

  destroy() {
    this.generation++;
    this.themeWatch.removeEventListener('change', this.onTheme);
    this.cy.destroy();
  }
}
