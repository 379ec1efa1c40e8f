/** Small labelled chips for severities, verdicts and incident statuses: colour plus the word, never colour alone. */
import type { ControlState, IncidentStatus, Severity, Verdict } from "../api";

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

/** A control's state under the policy: enforce (on), monitor (reports only) or off. */
export function ControlStateBadge({ state }: { state: ControlState }) {
  return <span className={`badge control-${state}`}>{state}</span>;
}
