/**
 * The two charts the dashboard needs, hand-written: a stacked bar series over time (requests,
 * blocked in red) in SVG, and a horizontal bar list in HTML. A chart library would add more to
 * the bundle than the rest of the dashboard for two fixed shapes; these render from the API's
 * pre-bucketed aggregates and label every bar for screen readers (<title>, aria-label). Widths are
 * set through React's style property (the CSSOM), which the CSP's `style-src 'self'` allows.
 */
import { formatCount, formatShortTime, formatTime } from "../format";

export interface SeriesPoint {
  time: number;
  requests: number;
  blocked: number;
}

/** Every bucket from `from` to `to`, zero where the API had none (it returns only non-empty buckets). */
export function fillBuckets(points: readonly SeriesPoint[], from: number, to: number, bucketMs: number): SeriesPoint[] {
  const byTime = new Map(points.map((p) => [p.time, p]));
  const out: SeriesPoint[] = [];
  for (let t = Math.floor(from / bucketMs) * bucketMs; t < to; t += bucketMs)
    out.push(byTime.get(t) ?? { time: t, requests: 0, blocked: 0 });
  return out;
}

/** A round axis maximum at or above `n` (1, 2, 5 × 10^k). */
function niceMax(n: number): number {
  if (n <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  return ([1, 2, 5, 10].find((m) => m * p >= n) ?? 10) * p;
}

const W = 760;
const H = 200;
const PAD = { left: 44, right: 8, top: 10, bottom: 24 };

export function RequestsChart({
  points,
  from,
  to,
  bucketMs,
  label,
}: {
  points: readonly SeriesPoint[];
  from: number;
  to: number;
  bucketMs: number;
  label: string;
}) {
  const buckets = fillBuckets(points, from, to, bucketMs);
  const total = buckets.reduce((s, b) => s + b.requests, 0);
  const blocked = buckets.reduce((s, b) => s + b.blocked, 0);
  const peak = buckets.reduce(
    (best, b) => (b.requests > best.requests ? b : best),
    buckets[0] ?? { time: from, requests: 0, blocked: 0 },
  );
  const max = niceMax(peak.requests);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / Math.max(buckets.length, 1);
  const barW = Math.max(step * 0.8, 1);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const ticks = Math.min(6, buckets.length);
  const tickEvery = Math.max(1, Math.round(buckets.length / Math.max(ticks, 1)));
  const summary = `${label}: ${formatCount(total)} requests, ${formatCount(blocked)} blocked; peak ${formatCount(peak.requests)} at ${formatTime(peak.time)}`;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} data-chart="requests">
        {[0, 0.5, 1].map((f) => (
          <g key={f} className="chart-grid">
            <line x1={PAD.left} x2={W - PAD.right} y1={y(max * f)} y2={y(max * f)} />
            <text x={PAD.left - 6} y={y(max * f) + 4} textAnchor="end">
              {formatCount(max * f)}
            </text>
          </g>
        ))}
        {buckets.map((b, i) => {
          const x = PAD.left + i * step + (step - barW) / 2;
          const allowed = b.requests - b.blocked;
          return (
            <g key={b.time} data-bucket={b.time}>
              <title>{`${formatTime(b.time)}: ${formatCount(b.requests)} requests, ${formatCount(b.blocked)} blocked`}</title>
              {allowed > 0 && (
                <rect
                  className="bar-allowed"
                  x={x}
                  width={barW}
                  y={y(b.requests)}
                  height={y(b.blocked) - y(b.requests)}
                />
              )}
              {b.blocked > 0 && (
                <rect className="bar-blocked" x={x} width={barW} y={y(b.blocked)} height={y(0) - y(b.blocked)} />
              )}
            </g>
          );
        })}
        {buckets.map((b, i) =>
          i % tickEvery === 0 ? (
            <text
              key={`t${b.time}`}
              className="chart-axis"
              x={PAD.left + i * step + step / 2}
              y={H - 6}
              textAnchor="middle"
            >
              {formatShortTime(b.time, to - from)}
            </text>
          ) : null,
        )}
      </svg>
      <figcaption>
        <span className="key key-allowed" /> passed <span className="key key-blocked" /> blocked · {formatCount(total)}{" "}
        requests in {buckets.length} buckets of {Math.round(bucketMs / 60_000)} min
      </figcaption>
    </figure>
  );
}

export interface BarItem {
  label: string;
  value: number;
  href?: string;
  className?: string;
}

/** Labelled horizontal bars, longest first as given; each label can be a link (a filter). */
export function BarList({
  items,
  label,
  format = formatCount,
}: {
  items: readonly BarItem[];
  label: string;
  format?: (n: number) => string;
}) {
  const max = Math.max(1, ...items.map((i) => i.value));
  return (
    <ul className="barlist" aria-label={label}>
      {items.map((item) => (
        <li key={item.label} data-bar={item.label}>
          <span className="barlist-label">{item.href ? <a href={item.href}>{item.label}</a> : item.label}</span>
          <span className="barlist-track" aria-hidden="true">
            <span
              className={`barlist-fill ${item.className ?? ""}`}
              style={{ width: `${(item.value / max) * 100}%` }}
            />
          </span>
          <span className="barlist-value">{format(item.value)}</span>
        </li>
      ))}
    </ul>
  );
}
