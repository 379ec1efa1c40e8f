/** Incident changes as alerts: one key per incident, so the dispatcher folds a flood of updates into one. */
import type { Alert } from "./alerts/index.js";
import type { IncidentChange } from "./incidents.js";

export function incidentAlert(change: IncidentChange): Alert {
  const { incident } = change;
  const verb = change.change === "opened" ? "opened" : change.change === "reopened" ? "reopened" : "grew";
  return {
    key: incident.id,
    severity: incident.severity,
    title: `${incident.severity.toUpperCase()} incident ${verb}: ${incident.title}`,
    summary:
      `${incident.id} (rule ${incident.ruleId ?? "?"}), ${incident.summary.count} event(s)` +
      `${incident.summary.groupedBy.length ? ` for ${incident.summary.groupedBy.join(", ")}` : ""}. ` +
      `Trace: palisade incident trace ${incident.id}`,
    time: incident.updatedAt,
    incidentId: incident.id,
    ...(incident.ruleId ? { rule: incident.ruleId } : {}),
    fields: {
      status: incident.status,
      events: incident.summary.count,
      change: change.change,
      ...(incident.summary.groupedBy.length ? { groupedBy: incident.summary.groupedBy.join(",") } : {}),
    },
  };
}
