/**
 * The interactive root-cause graph of an incident, in SVG. Written here rather than with a graph
 * library: a canvas renderer (cytoscape and the like) draws nodes no keyboard or screen reader can
 * reach, while here every node is a real link (`#/incidents/ID?node=NODE`), in the tab order,
 * with a label; traces are small enough that a layered layout (graph-layout.ts) does the job; and
 * it costs a few kilobytes instead of a few hundred. Pan by dragging or with the arrow keys, zoom
 * with the wheel, the buttons or +/−, 0 to fit.
 */
import {
  type KeyboardEvent,
  type PointerEvent,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import type { TraceEdge, TraceNode } from "../api";
import { layoutGraph } from "./graph-layout";

const NODE_W = 168;
const NODE_H = 44;
const GAP_X = 64;
const GAP_Y = 14;
const VIEW_H = 420;
/** Fitting never zooms out below this: past it labels are unreadable, so a long trace opens at its start, to pan. */
const MIN_FIT = 0.7;

/** A colour per node type, grouped by family (who/what was asked, tools, where it ran, what it is built from). */
export const NODE_COLOURS: Readonly<Record<string, string>> = {
  identity: "#7c3aed",
  request: "#2563eb",
  signal: "#dc2626",
  model: "#0891b2",
  upstream: "#0e7490",
  "tool-call": "#d97706",
  "mcp-server": "#b45309",
  workload: "#16a34a",
  container: "#15803d",
  process: "#be123c",
  connection: "#9f1239",
  file: "#a16207",
  alert: "#b91c1c",
  image: "#4f46e5",
  component: "#475569",
  vulnerability: "#991b1b",
};
const colourOf = (type: string) => NODE_COLOURS[type] ?? "#64748b";

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

interface View {
  x: number;
  y: number;
  k: number;
}

export function TraceGraph({
  nodes,
  edges,
  selected,
  nodeHref,
}: {
  nodes: readonly TraceNode[];
  edges: readonly TraceEdge[];
  selected: string | null;
  nodeHref: (id: string) => string;
}) {
  const layout = useMemo(
    () =>
      layoutGraph(
        nodes.map((n) => n.id),
        edges,
        { nodeWidth: NODE_W, nodeHeight: NODE_H, gapX: GAP_X, gapY: GAP_Y },
      ),
    [nodes, edges],
  );
  const byId = useMemo(() => new Map(nodes.map((n) => [n.id, n])), [nodes]);
  const box = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const [width, setWidth] = useState(800);
  const [view, setView] = useState<View>({ x: 0, y: 0, k: 1 });

  const fit = useCallback(() => {
    const margin = 20;
    const whole = Math.min(1, (width - 2 * margin) / layout.width, (VIEW_H - 2 * margin) / layout.height);
    const k = Math.max(whole, MIN_FIT);
    const w = layout.width * k;
    const h = layout.height * k;
    setView({
      k,
      x: w <= width - 2 * margin ? (width - w) / 2 : margin,
      y: h <= VIEW_H - 2 * margin ? (VIEW_H - h) / 2 : margin,
    });
  }, [width, layout]);

  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    setWidth(element.clientWidth || 800);
    const observer = new ResizeObserver(() => setWidth(element.clientWidth || 800));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  useEffect(fit, [fit]);

  const zoomAt = useCallback((factor: number, cx: number, cy: number) => {
    setView((v) => {
      const k = Math.min(4, Math.max(0.1, v.k * factor));
      const f = k / v.k;
      return { k, x: cx - (cx - v.x) * f, y: cy - (cy - v.y) * f };
    });
  }, []);

  // The wheel listener must be non-passive to keep the page from scrolling while zooming.
  useEffect(() => {
    const element = svg.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = element.getBoundingClientRect();
      zoomAt(event.deltaY < 0 ? 1.15 : 1 / 1.15, event.clientX - rect.left, event.clientY - rect.top);
    };
    element.addEventListener("wheel", onWheel, { passive: false });
    return () => element.removeEventListener("wheel", onWheel);
  }, [zoomAt]);

  const drag = useRef<{ id: number; x: number; y: number } | null>(null);
  const onPointerDown = (event: PointerEvent<SVGSVGElement>) => {
    if ((event.target as Element).closest("a")) return;
    drag.current = { id: event.pointerId, x: event.clientX, y: event.clientY };
    event.currentTarget.setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (!d || d.id !== event.pointerId) return;
    const dx = event.clientX - d.x;
    const dy = event.clientY - d.y;
    drag.current = { ...d, x: event.clientX, y: event.clientY };
    setView((v) => ({ ...v, x: v.x + dx, y: v.y + dy }));
  };
  const endDrag = () => {
    drag.current = null;
  };
  const onKeyDown = (event: KeyboardEvent<SVGSVGElement>) => {
    const pan: Record<string, [number, number]> = {
      ArrowLeft: [60, 0],
      ArrowRight: [-60, 0],
      ArrowUp: [0, 60],
      ArrowDown: [0, -60],
    };
    const move = pan[event.key];
    if (move && event.target === event.currentTarget) {
      event.preventDefault();
      setView((v) => ({ ...v, x: v.x + move[0], y: v.y + move[1] }));
    } else if (event.key === "+" || event.key === "=") zoomAt(1.25, width / 2, VIEW_H / 2);
    else if (event.key === "-" || event.key === "_") zoomAt(0.8, width / 2, VIEW_H / 2);
    else if (event.key === "0") fit();
  };

  const types = [...new Set(nodes.map((n) => n.type))];
  return (
    <div className="graph" ref={box}>
      <div className="graph-toolbar">
        <button type="button" onClick={() => zoomAt(1.25, width / 2, VIEW_H / 2)} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => zoomAt(0.8, width / 2, VIEW_H / 2)} aria-label="Zoom out">
          −
        </button>
        <button type="button" onClick={fit}>
          Fit
        </button>
        <span className="graph-count">
          {nodes.length} nodes, {edges.length} edges · drag or use the arrow keys to pan
        </span>
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: an SVG canvas cannot be a fieldset; the group role names it for assistive tech. */}
      <svg
        ref={svg}
        className="graph-canvas"
        width="100%"
        height={VIEW_H}
        role="group"
        aria-label="Root-cause graph: Tab moves through the nodes; arrow keys pan, + and − zoom, 0 fits"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the canvas takes focus so the keyboard can pan and zoom it.
        tabIndex={0}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
        onKeyDown={onKeyDown}
      >
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
            <path d="M0,0 L10,5 L0,10 z" className="graph-arrow" />
          </marker>
        </defs>
        <g transform={`translate(${view.x},${view.y}) scale(${view.k})`}>
          {edges.map((e) => {
            const a = layout.positions.get(e.from);
            const b = layout.positions.get(e.to);
            if (!a || !b) return null;
            const x1 = a.x + NODE_W;
            const y1 = a.y + NODE_H / 2;
            const x2 = b.x;
            const y2 = b.y + NODE_H / 2;
            const bend = Math.max(40, Math.abs(x2 - x1) / 2);
            const path =
              x2 > x1
                ? `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`
                : `M${x1},${y1} C${x1 + 80},${y1 - 90} ${x2 - 80},${y2 - 90} ${x2},${y2}`;
            return (
              <g key={`${e.from}>${e.to}>${e.label}`} className="graph-edge" data-edge={`${e.from} ${e.to}`}>
                <path d={path} markerEnd="url(#arrow)" />
                <text x={(x1 + x2) / 2} y={(y1 + y2) / 2 - 4} textAnchor="middle">
                  {e.label}
                </text>
              </g>
            );
          })}
          {layout.order.map((id) => {
            const node = byId.get(id);
            const at = layout.positions.get(id);
            if (!node || !at) return null;
            const colour = colourOf(node.type);
            const isSelected = selected === id;
            return (
              <a
                key={id}
                href={nodeHref(id)}
                className={`graph-node${node.inIncident ? " in-incident" : ""}${isSelected ? " selected" : ""}`}
                data-node-id={id}
                data-node-type={node.type}
                aria-label={`${node.type}: ${node.label}${node.inIncident ? " (part of the incident)" : ""}`}
                aria-current={isSelected ? "true" : undefined}
              >
                <g transform={`translate(${at.x},${at.y})`}>
                  <rect className="graph-node-box" width={NODE_W} height={NODE_H} rx={7} stroke={colour} />
                  <rect className="graph-node-band" width={6} height={NODE_H} rx={3} fill={colour} />
                  <text x={14} y={19} className="graph-node-label">
                    {clip(node.label, 24)}
                  </text>
                  <text x={14} y={36} className="graph-node-type" fill={colour}>
                    {node.type}
                    {node.inIncident ? " · incident" : ""}
                  </text>
                  <title>{`${node.type}: ${node.label}`}</title>
                </g>
              </a>
            );
          })}
        </g>
      </svg>
      <ul className="graph-legend" aria-label="Node types">
        {types.map((t) => (
          <li key={t}>
            <svg width="12" height="12" aria-hidden="true">
              <rect width="12" height="12" rx="3" fill={colourOf(t)} />
            </svg>
            {t}
          </li>
        ))}
        <li>
          <svg width="12" height="12" aria-hidden="true">
            <rect x="1" y="1" width="10" height="10" rx="3" className="legend-incident" />
          </svg>
          part of the incident (thick border)
        </li>
      </ul>
    </div>
  );
}
