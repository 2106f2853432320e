// The drawing: Cytoscape.js renders on a canvas; dagre lays the graph out in a Web Worker, so a large
// graph never blocks the page (search, the list and the keyboard keep working while it is laid out).
import cytoscape from 'cytoscape';
import { NODE_HEIGHT, NODE_WIDTH } from './sizes.js';

/** Elements added per task when a graph is added in pieces: each piece is a task, and between them a frame (measured: 500 made a 10,000-node graph take twice as long to draw; 1,500 kept the finder waiting ~1 s). */
const ADD_CHUNK = 1000;
/** Below this many elements, one batch: frames drawn between batches would each cost a full render. */
const ONE_BATCH = 4500;

/** The zoom and pan that fit these node positions into a w×h pane, with a margin; never above 1. */
function frame(positions, w, h) {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of Object.values(positions)) {
    if (p.x < minX) minX = p.x;
    if (p.x > maxX) maxX = p.x;
    if (p.y < minY) minY = p.y;
    if (p.y > maxY) maxY = p.y;
  }
  if (minX === Infinity) return { zoom: 1, pan: { x: w / 2, y: h / 2 } };
  const width = maxX - minX + NODE_WIDTH + 60;
  const height = maxY - minY + NODE_HEIGHT + 60;
  const zoom = Math.min(1, w / width, h / height);
  return { zoom, pan: { x: w / 2 - zoom * (minX + maxX) / 2, y: h / 2 - zoom * (minY + maxY) / 2 } };
}

function palette() {
  const css = getComputedStyle(document.documentElement);
  const v = (name) => css.getPropertyValue(name).trim();
  return {
    text: v('--text'), muted: v('--muted'), surface: v('--surface'), line: v('--line'),
    ok: v('--ok'), bad: v('--bad'), unknown: v('--unknown'), none: v('--none'), accent: v('--accent'),
  };
}

/**
 * Past this many nodes a label is one line, unwrapped: Cytoscape measures a wrapped label line by line,
 * and that was most of the time a 1,000-node graph took to appear (measured: ~60× the cost of a plain one).
 */
const MANY_NODES = 300;
/** Past this many nodes and edges, edges are drawn the cheap way: straight, without labels or arrows. */
const LARGE = 1500;

/** A label drawn smaller than this many pixels cannot be read: min-zoomed-font-size skips drawing it. */
const MIN_FONT = 6;
const FONT = 11;

/** Whether labels are worth laying out at this zoom (a big graph's labels cost time even when not drawn). */
const readable = (zoom) => zoom * FONT >= MIN_FONT;

function stylesheet(p, large, manyNodes, labels = true) {
  return [
    {
      selector: 'node',
      style: {
        shape: 'round-rectangle', width: NODE_WIDTH, height: NODE_HEIGHT,
        'background-color': p.none, 'border-width': 1, 'border-color': p.line,
        label: 'data(label)', 'text-wrap': 'ellipsis', 'text-max-width': NODE_WIDTH - 12,
        'text-valign': 'center', 'text-halign': 'center', 'font-size': FONT, color: '#111',
        'font-family': 'system-ui, sans-serif',
        // Text too small to read is not drawn: a zoomed-out graph of thousands draws boxes only.
        'min-zoomed-font-size': 6,
      },
    },
    manyNodes
      ? { selector: 'node[line]', style: { label: labels ? 'data(line)' : '', 'text-wrap': 'none' } }
      : { selector: 'node[label]', style: { 'text-wrap': 'wrap' } },
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
    large ? {
      selector: 'edge',
      style: { width: 1, 'line-color': p.line, 'curve-style': 'haystack', 'haystack-radius': 0, opacity: 0.6 },
    } : {
      selector: 'edge',
      style: {
        width: 1.5, 'line-color': p.line, 'target-arrow-color': p.line, 'target-arrow-shape': 'triangle',
        'curve-style': 'bezier', 'arrow-scale': 0.8,
      },
    },
    {
      selector: large ? 'edge[label].labelled' : 'edge[label]',
      style: {
        label: 'data(label)', 'font-size': 10, color: p.muted, 'text-background-color': p.surface,
        'text-background-opacity': 1, 'text-background-padding': 2, 'text-rotation': 'autorotate',
        'min-zoomed-font-size': 6,
      },
    },
    { selector: 'edge.missing', style: { 'line-style': 'dashed', 'line-color': p.bad, 'target-arrow-color': p.bad } },
    { selector: 'edge.hidden', style: { 'line-style': 'dashed' } },
  ];
}

/**
 * A graph view in a container (made through lazy-graph.js): draw() replaces what it shows with a model
 * laid out by the worker; onOpen(node) on a tap; a tooltip on hover.
 */
export class GraphView {
  constructor(container, { onOpen }) {
    this.container = container;
    this.generation = 0;
    // Edges hidden while panning and zooming, one pixel per CSS pixel: what keeps thousands of nodes smooth.
    const rendering = { textureOnViewport: false, hideEdgesOnViewport: true, pixelRatio: 1 };
    this.cy = cytoscape({
      container,
      style: stylesheet(palette(), false, false),
      minZoom: 0.02,
      maxZoom: 3,
      boxSelectionEnabled: false,
      ...rendering,
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
    this.large = false;
    this.manyNodes = false;
    this.labels = true;
    this.restyle = () => this.cy.style(stylesheet(palette(), this.large, this.manyNodes, this.labels));
    this.onTheme = this.restyle;
    // A graph of hundreds gets its labels when one zooms in far enough to read them.
    this.cy.on('zoom', () => {
      if (!this.manyNodes || readable(this.cy.zoom()) === this.labels) return;
      this.labels = !this.labels;
      this.restyle();
    });
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

  /**
   * Shows {nodes, edges} where `layout` (layout-client.js requestLayout) puts them; resolves once drawn.
   * Marks the container with its state and how many nodes it shows.
   */
  async draw({ nodes, edges }, layout, { fit = true } = {}) {
    const generation = ++this.generation;
    this.container.dataset.state = 'layout';
    let first;
    try {
      first = await layout.first;
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
    const positions = first.positions;
    performance.mark('layout-done');
    const cy = this.cy;
    const large = nodes.length + edges.length > LARGE;
    const manyNodes = nodes.length > MANY_NODES;
    cy.batch(() => cy.elements().remove());
    // The viewport is set before the first element goes in: frames drawn between batches then show the
    // graph as it will be framed (a big one as boxes, without the cost of its labels).
    if (fit) cy.viewport(frame(positions, this.container.clientWidth, this.container.clientHeight));
    const labels = !manyNodes || readable(cy.zoom());
    if (large !== this.large || manyNodes !== this.manyNodes || labels !== this.labels) {
      this.large = large;
      this.manyNodes = manyNodes;
      this.labels = labels;
      this.restyle();
    }
    // Thousands of elements are added a few thousand at a time, each batch its own task, so the page
    // (the finder, the list, the keyboard) keeps answering while a big graph goes in.
    const elements = [
      ...nodes.map((n) => ({ group: 'nodes', data: n, classes: n.classes ?? '', position: positions[n.id] ?? { x: 0, y: 0 } })),
      ...edges.map((e) => ({ group: 'edges', data: e, classes: e.classes ?? '' })),
    ];
    const chunk = elements.length > ONE_BATCH ? ADD_CHUNK : elements.length;
    for (let i = 0; i < elements.length; i += chunk) {
      if (i > 0) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (generation !== this.generation) return false;
      }
      cy.batch(() => cy.add(elements.slice(i, i + chunk)));
    }
    performance.mark('graph-added');
    // Framed already, from the positions (frame()): the whole graph (a big one as boxes, labels coming
    // as one zooms in), a small one at its natural size. Not cy.fit(), which measures every element's
    // bounds on the spot — a third of a second for 2,000 elements.

    this.container.dataset.layout = first.layout;
    this.container.dataset.firstLayout = first.layout;
    this.container.dataset.nodes = String(nodes.length);
    this.container.dataset.edges = String(edges.length);
    this.container.dataset.state = 'drawn';
    // Only now, with every element in: a better layout that came while they went in is applied here.
    if (first.final) delete this.container.dataset.refining;
    else {
      this.container.dataset.refining = 'true';
      layout.onRefined((better) => this.refine(generation, better, fit));
    }
    await new Promise((resolve) => requestAnimationFrame(() => resolve()));
    return true;
  }

  /** The better layout of a big graph, once the worker has it: the nodes move there. */
  refine(generation, better, fit) {
    if (generation !== this.generation) return;
    this.cy.batch(() => {
      for (const [id, p] of Object.entries(better.positions)) this.cy.getElementById(id).position(p);
    });
    if (fit) this.cy.viewport(frame(better.positions, this.container.clientWidth, this.container.clientHeight));
    this.container.dataset.layout = better.layout;
    delete this.container.dataset.refining;
    performance.mark('layout-refined');
  }

  select(id) {
    this.cy.$(':selected').unselect();
    const n = this.cy.getElementById(id);
    if (n.nonempty()) {
      n.select();
      // Cytoscape's own extent, not the container's size: reading layout from the DOM would force the
      // page (and its long list) to be laid out again in the middle of a draw.
      const e = this.cy.extent();
      const p = n.position();
      if (p.x < e.x1 || p.x > e.x2 || p.y < e.y1 || p.y > e.y2) this.cy.center(n);
    }
  }

  destroy() {
    this.generation++;
    this.themeWatch.removeEventListener('change', this.onTheme);
    this.cy.destroy();
  }
}
