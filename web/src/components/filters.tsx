/**
 * A filter bar whose state is the address: submitting it (Enter in a field, the Apply button, or
 * changing a select) navigates to the page with the new query, dropping the cursor. Fields are
 * uncontrolled and re-read their values when the address changes from elsewhere (Back, a link);
 * a change the form made itself keeps the form, and the keyboard focus in it.
 */
import { type ChangeEvent, type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { href, navigate } from "../router";

export function FilterBar({
  path,
  query,
  keep = [],
  label,
  children,
}: {
  path: string;
  query: URLSearchParams;
  /** Query keys that are not fields of this form but survive a change of filter. */
  keep?: readonly string[];
  label: string;
  children: ReactNode;
}) {
  const [version, setVersion] = useState(0);
  const applied = useRef<string | null>(null);
  const current = query.toString();
  useEffect(() => {
    if (current !== applied.current) setVersion((v) => v + 1);
  }, [current]);
  const apply = (form: HTMLFormElement) => {
    const next: Record<string, string> = {};
    for (const k of keep) {
      const v = query.get(k);
      if (v) next[k] = v;
    }
    for (const [k, v] of new FormData(form)) if (typeof v === "string" && v.trim()) next[k] = v.trim();
    const target = href(path, next);
    applied.current = target.includes("?") ? target.slice(target.indexOf("?") + 1) : "";
    navigate(target);
  };
  return (
    <form
      key={version}
      className="filters"
      aria-label={label}
      onSubmit={(e: FormEvent<HTMLFormElement>) => {
        e.preventDefault();
        apply(e.currentTarget);
      }}
      onChange={(e: ChangeEvent<HTMLFormElement>) => {
        if (e.target instanceof HTMLSelectElement) apply(e.currentTarget);
      }}
    >
      {children}
      <button type="submit">Apply</button>
      {[...query.keys()].some((k) => k !== "cursor" && !keep.includes(k)) && (
        <a className="clear" href={href(path, Object.fromEntries(keep.map((k) => [k, query.get(k)])))}>
          Clear
        </a>
      )}
    </form>
  );
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child (an input or select) the label wraps.
    <label className="field">
      <span>{label}</span>
      {children}
    </label>
  );
}
