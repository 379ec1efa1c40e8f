/** An incident trace as text: an indented table for terminals, Mermaid and Graphviz DOT for docs and tickets. */
import type { IncidentTrace, TraceNode } from "./trace.js";

const iso = (t: number | undefined) => (t === undefined ? "" : new Date(t).toISOString());

/** The trace as indented lines: each node under the one that led to it, the timeline after. */
export function traceTable(trace: IncidentTrace): string {
  const { incident } = trace;
  const lines = [
    `${incident.id}  ${incident.severity.toUpperCase()}  ${incident.status}  ${incident.title}`,
    `rule ${incident.ruleId ?? "?"}, ${incident.summary.count} event(s), opened ${iso(incident.openedAt)}${incident.owner ? `, owner ${incident.owner}` : ""}`,
    "",
    "trace:",
  ];
  const byId = new Map(trace.nodes.map((n) => [n.id, n]));
  const children = new Map<string, { to: string; label: string }[]>();
  const hasParent = new Set<string>();
  for (const e of trace.edges) {
    if (!byId.has(e.from) || !byId.has(e.to)) continue;
    children.set(e.from, [...(children.get(e.from) ?? []), { to: e.to, label: e.label }]);
    hasParent.add(e.to);
  }
  const seen = new Set<string>();
  const walk = (id: string, depth: number, via: string | undefined) => {
    const node = byId.get(id) as TraceNode;
    const mark = node.inIncident ? "*" : " ";
    lines.push(
      `${"  ".repeat(depth + 1)}${mark} ${via ? `${via} → ` : ""}${node.type} ${node.label}${seen.has(id) ? " (above)" : ""}`,
    );
    if (seen.has(id)) return;
    seen.add(id);
    const prompt = node.detail?.prompt;
    if (typeof prompt === "string")
      lines.push(`${"  ".repeat(depth + 3)}prompt (redacted): ${JSON.stringify(prompt.slice(0, 200))}`);
    for (const child of children.get(id) ?? []) walk(child.to, depth + 1, child.label);
  };
  const roots = trace.nodes.filter((n) => !hasParent.has(n.id));
  for (const root of roots) walk(root.id, 0, undefined);
  lines.push("", "(* part of the incident)", "", "timeline:");
  for (const entry of trace.timeline) lines.push(`  ${iso(entry.time)}  ${entry.text}`);
  return `${lines.join("\n")}\n`;
}

const mermaidId = (i: number) => `n${i}`;
const mermaidText = (s: string) => s.replace(/["<>#&]/g, (c) => `#${c.charCodeAt(0)};`).replace(/\n/g, " ");

/** A Mermaid flowchart (renders in GitHub, GitLab and most wikis). */
export function traceMermaid(trace: IncidentTrace): string {
  const index = new Map(trace.nodes.map((n, i) => [n.id, i]));
  const lines = ["flowchart LR"];
  for (const [i, n] of trace.nodes.entries())
    lines.push(`  ${mermaidId(i)}["${mermaidText(`${n.type}: ${n.label}`)}"]${n.inIncident ? ":::incident" : ""}`);
  for (const e of trace.edges) {
    const from = index.get(e.from);
    const to = index.get(e.to);
    if (from !== undefined && to !== undefined)
      lines.push(`  ${mermaidId(from)} -->|${mermaidText(e.label)}| ${mermaidId(to)}`);
  }
  lines.push("  classDef incident stroke:#c00,stroke-width:2px");
  return `${lines.join("\n")}\n`;
}

const dotText = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

/** Graphviz DOT (`dot -Tsvg`). */
export function traceDot(trace: IncidentTrace): string {
  const lines = [`digraph ${dotText(trace.incident.id)} {`, "  rankdir=LR;", "  node [shape=box, fontname=Helvetica];"];
  for (const n of trace.nodes)
    lines.push(
      `  ${dotText(n.id)} [label=${dotText(`${n.type}: ${n.label}`)}${n.inIncident ? ", color=red, penwidth=2" : ""}];`,
    );
  for (const e of trace.edges) lines.push(`  ${dotText(e.from)} -> ${dotText(e.to)} [label=${dotText(e.label)}];`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
