/** Small labelled chips for severities, verdicts and incident statuses: colour plus the word, never colour alone. */
import type { IncidentStatus, Severity, Verdict } from "../api";

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span className={`badge sev-${severity}`}>{severity}</span>;
}

export function VerdictBadge({ verdict }: { verdict: Verdict | null }) {
  if (!verdict) return <span className="badge">—</span>;
  return <span className={`badge verdict-${verdict}`}>{verdict}</span>;
}

export function StatusBadge({ status }: { status: IncidentStatus }) {
  return <span className={`badge status-${status}`}>{status}</span>;
}

export function OnOff({ on }: { on: boolean }) {
  return <span className={`badge ${on ? "on" : "off"}`}>{on ? "on" : "off"}</span>;
}
