/** Loading, error and "not available" states every page shows the same way. */
import type { ReactNode } from "react";
import type { ApiFailure } from "../api";

export function Loading({ what }: { what: string }) {
  return (
    <p className="state" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

export function ErrorNote({ error, what, onRetry }: { error: ApiFailure; what: string; onRetry?: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <p>
        Could not load {what}: {error.message}
        {error.status ? ` (HTTP ${error.status})` : ""}.
      </p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state state-empty">{children}</p>;
}

export function NotAvailable({ what, endpoint }: { what: string; endpoint: string }) {
  return (
    <div className="state state-na" role="status">
      <p>
        <strong>{what} is not available</strong> from this server: it does not answer <code>{endpoint}</code> yet.
      </p>
    </div>
  );
}
