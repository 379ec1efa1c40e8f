/** Cursor paging: "Next page" carries the API's nextCursor in the address, "First page" drops it; Back goes back a page. */
import { href } from "../router";

export function Pager({
  path,
  query,
  nextCursor,
  shown,
}: {
  path: string;
  query: URLSearchParams;
  nextCursor: string | null;
  shown: number;
}) {
  const base = Object.fromEntries(query);
  const onLater = query.has("cursor");
  if (!nextCursor && !onLater) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <span>
        {shown} shown{onLater ? " (a later page)" : ""}
      </span>
      {onLater && <a href={href(path, { ...base, cursor: undefined })}>First page</a>}
      {nextCursor && (
        <a href={href(path, { ...base, cursor: nextCursor })} rel="next">
          Next page →
        </a>
      )}
    </nav>
  );
}
