/**
 * Positions of a pipeline graph's steps and edges, top to bottom, computed by dagre. No DOM: node sizes are fixed
 * and the views shorten long names.
 */
import dagre from '@dagrejs/dagre';

import type { EdgeKind, IPipelineGraph } from './pipelineDefinition';

/** Size of a step's box. */
export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 58;

/** A positioned step (x, y: its top-left corner). */
export interface ILaidOutNode {
  /** Step name. */
  name: string;
  /** Left. */
  x: number;
  /** Top. */
  y: number;
  /** Width. */
  width: number;
  /** Height. */
  height: number;
}

/** A routed edge. */
export interface ILaidOutEdge {
  /** From step. */
  from: string;
  /** To step. */
  to: string;
  /** Why. */
  kind: EdgeKind;
  /** The polyline, from the source's border to the target's border. */
  points: Array<{ x: number; y: number }>;
}

/** A laid-out graph and the size it needs. */
export interface IPipelineLayout {
  /** The steps. */
  nodes: ILaidOutNode[];
  /** The edges. */
  edges: ILaidOutEdge[];
  /** Width of the drawing. */
  width: number;
  /** Height of the drawing. */
  height: number;
}

/** Lay a pipeline graph out top to bottom. */
export function layoutPipeline(graph: IPipelineGraph): IPipelineLayout {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({
    rankdir: 'TB',
    nodesep: 32,
    ranksep: 44,
    marginx: 12,
    marginy: 12
  });
  g.setDefaultEdgeLabel(() => ({}));
  for (const step of graph.steps) {
    g.setNode(step.name, { width: NODE_WIDTH, height: NODE_HEIGHT });
  }
  for (const edge of graph.edges) {
    g.setEdge(edge.from, edge.to, {});
  }
  dagre.layout(g);
  const nodes = graph.steps.map(step => {
    const n = g.node(step.name) as { x: number; y: number };
    return {
      name: step.name,
      x: n.x - NODE_WIDTH / 2,
      y: n.y - NODE_HEIGHT / 2,
      width: NODE_WIDTH,
      height: NODE_HEIGHT
    };
  });
  const edges = graph.edges.map(edge => {
    const e = g.edge(edge.from, edge.to) as {
      points?: Array<{ x: number; y: number }>;
    };
    return { ...edge, points: e.points ?? [] };
  });
  const size = g.graph() as { width?: number; height?: number };
  return {
    nodes,
    edges,
    width: Math.max(size.width ?? 0, NODE_WIDTH + 24),
    height: Math.max(size.height ?? 0, NODE_HEIGHT + 24)
  };
}
