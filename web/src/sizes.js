// A node's box in the graph: the drawing and the layout worker must agree on it.
export const NODE_WIDTH = 190;
export const NODE_HEIGHT = 44;
