/**
 * Layered (Sugiyama-style) layout of a root-cause trace, left to right: cycles broken by a
 * depth-first search, layers by longest path (a source is pulled next to what it points at),
 * order within a layer by a few barycentre sweeps to cut crossings. Traces are tens of nodes
 * (one incident's events and what surrounds them), for which this is instant and stable: the
 * same trace always draws the same picture.
 */
export interface LayoutOptions {
  nodeWidth: number;
  nodeHeight: number;
  gapX: number;
  gapY: number;
}

export interface Layout {
  positions: Map<string, { x: number; y: number; layer: number }>;
  /** Node ids in drawing (and tab) order: by layer, then top to bottom. */
  order: string[];
  width: number;
  height: number;
}

export function layoutGraph(
  nodeIds: readonly string[],
  edges: readonly { from: string; to: string }[],
  options: LayoutOptions,
): Layout {
  const ids = new Set(nodeIds);
  const out = new Map<string, string[]>(nodeIds.map((id) => [id, []]));
  for (const e of edges) if (ids.has(e.from) && ids.has(e.to) && e.from !== e.to) out.get(e.from)?.push(e.to);

  // Break cycles: an edge back to a node still on the DFS stack is left out of the layering.
  const forward = new Map<string, string[]>(nodeIds.map((id) => [id, []]));
  const state = new Map<string, 1 | 2>();
  const visit = (start: string) => {
    const stack: [string, number][] = [[start, 0]];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as [string, number];
      const [node, i] = top;
      const next = out.get(node)?.[i];
      if (next === undefined) {
        state.set(node, 2);
        stack.pop();
        continue;
      }
      top[1] = i + 1;
      const seen = state.get(next);
      if (seen === 1) continue;
      forward.get(node)?.push(next);
      if (seen === undefined) {
        state.set(next, 1);
        stack.push([next, 0]);
      }
    }
  };
  for (const id of nodeIds) if (!state.has(id)) visit(id);

  const preds = new Map<string, string[]>(nodeIds.map((id) => [id, []]));
  for (const [from, tos] of forward) for (const to of tos) preds.get(to)?.push(from);

  // Longest path from the sources, in topological order (Kahn).
  const layer = new Map<string, number>();
  const indegree = new Map(nodeIds.map((id) => [id, preds.get(id)?.length ?? 0]));
  const queue = nodeIds.filter((id) => indegree.get(id) === 0);
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q] as string;
    const l = layer.get(node) ?? 0;
    layer.set(node, l);
    for (const next of forward.get(node) ?? []) {
      layer.set(next, Math.max(layer.get(next) ?? 0, l + 1));
      const d = (indegree.get(next) ?? 1) - 1;
      indegree.set(next, d);
      if (d === 0) queue.push(next);
    }
  }
  // A source sits just before the first thing it points at, not always in the first column.
  for (const id of nodeIds) {
    const succ = forward.get(id) ?? [];
    if ((preds.get(id)?.length ?? 0) === 0 && succ.length > 0)
      layer.set(id, Math.max(0, Math.min(...succ.map((s) => layer.get(s) ?? 1)) - 1));
  }

  const layers: string[][] = [];
  for (const id of nodeIds) {
    const l = layer.get(id) ?? 0;
    const column = layers[l] ?? [];
    column.push(id);
    layers[l] = column;
  }
  // Columns left empty by moving sources are dropped.
  const filled = Array.from({ length: layers.length }, (_, i) => layers[i] ?? []).filter((l) => l.length > 0);
  const index = new Map<string, number>();
  for (const column of filled) for (const [i, id] of column.entries()) index.set(id, i);
  const barycentre = (id: string, neighbours: readonly string[]) =>
    neighbours.length === 0
      ? (index.get(id) ?? 0)
      : neighbours.reduce((s, n) => s + (index.get(n) ?? 0), 0) / neighbours.length;
  for (let sweep = 0; sweep < 4; sweep++) {
    const down = sweep % 2 === 0;
    const range = down ? filled.keys() : [...filled.keys()].reverse();
    for (const l of range) {
      const current = filled[l] ?? [];
      const keyOf = new Map(
        current.map((id) => [id, barycentre(id, down ? (preds.get(id) ?? []) : (forward.get(id) ?? []))]),
      );
      current.sort((a, b) => (keyOf.get(a) ?? 0) - (keyOf.get(b) ?? 0));
      for (const [i, id] of current.entries()) index.set(id, i);
    }
  }

  const { nodeWidth, nodeHeight, gapX, gapY } = options;
  const tallest = Math.max(1, ...filled.map((l) => l.length));
  const height = tallest * nodeHeight + (tallest - 1) * gapY;
  const positions = new Map<string, { x: number; y: number; layer: number }>();
  const order: string[] = [];
  filled.forEach((ids, l) => {
    const h = ids.length * nodeHeight + (ids.length - 1) * gapY;
    const top = (height - h) / 2;
    ids.forEach((id, i) => {
      positions.set(id, { x: l * (nodeWidth + gapX), y: top + i * (nodeHeight + gapY), layer: l });
      order.push(id);
    });
  });
  const width = Math.max(1, filled.length) * nodeWidth + Math.max(0, filled.length - 1) * gapX;
  return { positions, order, width, height };
}
