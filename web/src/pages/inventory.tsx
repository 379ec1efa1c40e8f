/** Inventory: every AI asset found (models, SDKs, MCP and inference servers, images, workloads...), searchable, each with its findings and where it runs. */
import { type AssetDetail, apiPath, INVENTORY_TYPES, type InventoryItem, type Page } from "../api";
import type { PageProps } from "../app";
import { Field, FilterBar } from "../components/filters";
import { FindingsTable } from "../components/findings-table";
import { Facts, PageHeader, Panel } from "../components/layout";
import { Pager } from "../components/pager";
import { Empty, ErrorNote, Loading } from "../components/states";
import { formatAgo, formatCount, formatTime } from "../format";
import { href } from "../router";
import { useApi } from "../use-api";

const PAGE_SIZE = 50;
export const typeOf = (a: { kind: string; subkind: string | null }) =>
  a.kind === "component" ? (a.subkind ?? "component") : a.kind;

export function InventoryPage({ location }: PageProps) {
  const id = location.path[1];
  return id ? <AssetView id={id} /> : <InventoryList query={location.query} />;
}

function InventoryList({ query }: { query: URLSearchParams }) {
  const list = useApi<Page<InventoryItem>>(
    apiPath("inventory", {
      q: query.get("q"),
      type: query.get("type"),
      cursor: query.get("cursor"),
      limit: PAGE_SIZE,
    }),
    { keepPrevious: true },
  );
  return (
    <div className="page">
      <PageHeader title="Inventory" />
      <FilterBar path="inventory" query={query} label="Filter the inventory">
        <Field label="Search">
          <input name="q" type="search" defaultValue={query.get("q") ?? ""} placeholder="name, purl or digest" />
        </Field>
        <Field label="Type">
          <select name="type" defaultValue={query.get("type") ?? ""}>
            <option value="">all types</option>
            {INVENTORY_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </Field>
      </FilterBar>
      {list.error ? (
        <ErrorNote error={list.error} what="the inventory" onRetry={list.reload} />
      ) : !list.data ? (
        <Loading what="the inventory" />
      ) : list.data.items.length === 0 ? (
        <Empty>No assets match.</Empty>
      ) : (
        <>
          <table className="table" data-table="inventory" aria-busy={list.loading}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Version</th>
                <th scope="col" className="num">
                  Findings
                </th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((a) => (
                <tr key={a.id} data-asset={a.id}>
                  <td>
                    <a href={href(["inventory", a.id])}>{a.name}</a>
                    {a.purl && <div className="muted small mono">{a.purl}</div>}
                  </td>
                  <td>{typeOf(a)}</td>
                  <td className="mono">{a.version ?? "—"}</td>
                  <td className="num">{a.findings > 0 ? <strong>{formatCount(a.findings)}</strong> : "0"}</td>
                  <td>{formatAgo(a.lastSeen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager path="inventory" query={query} nextCursor={list.data.nextCursor} shown={list.data.items.length} />
        </>
      )}
    </div>
  );
}

function AssetView({ id }: { id: string }) {
  const asset = useApi<AssetDetail>(apiPath(`inventory/${encodeURIComponent(id)}`));
  if (asset.error)
    return (
      <div className="page">
        <p>
          <a href={href("inventory")}>← Inventory</a>
        </p>
        <ErrorNote error={asset.error} what={`asset ${id}`} onRetry={asset.reload} />
      </div>
    );
  if (!asset.data) return <Loading what="the asset" />;
  const a = asset.data;
  const properties = Object.entries(a.properties ?? {});
  return (
    <div className="page">
      <p>
        <a href={href("inventory")}>← Inventory</a>
      </p>
      <PageHeader title={a.name}>
        <span className="badge">{typeOf(a)}</span>
      </PageHeader>
      <div className="grid-2">
        <Panel title="Details">
          <Facts
            items={[
              [
                "Id",
                <span key="id" className="mono">
                  {a.id}
                </span>,
              ],
              ["Version", a.version],
              [
                "Package URL",
                a.purl && (
                  <span key="purl" className="mono">
                    {a.purl}
                  </span>
                ),
              ],
              [
                "Digest",
                a.digest && (
                  <span key="digest" className="mono">
                    {a.digest}
                  </span>
                ),
              ],
              ["First seen", formatTime(a.firstSeen)],
              ["Last seen", formatTime(a.lastSeen)],
              ...properties.map(
                ([k, v]) =>
                  [k, typeof v === "string" || typeof v === "number" ? String(v) : JSON.stringify(v)] as [
                    string,
                    string,
                  ],
              ),
            ]}
          />
        </Panel>
        <Panel title="Where it runs">
          {a.runsIn.length === 0 ? (
            <Empty>Not seen in any image or workload.</Empty>
          ) : (
            <ul className="plain" data-list="runs-in">
              {a.runsIn.map((r) => (
                <li key={r.id}>
                  <span className="badge">{r.kind}</span> <a href={href(["inventory", r.id])}>{r.name}</a>
                  <span className="muted small"> {r.depth === 1 ? "directly" : `${r.depth} steps away`}</span>
                </li>
              ))}
            </ul>
          )}
          {a.edges.length > 0 && (
            <>
              <h3>Related</h3>
              <ul className="plain" data-list="edges">
                {a.edges.map((e) => (
                  <li key={`${e.direction}-${e.kind}-${e.asset.id}`}>
                    {e.direction === "out" ? `${e.kind} →` : `← ${e.kind}`}{" "}
                    <a href={href(["inventory", e.asset.id])}>{e.asset.name}</a>{" "}
                    <span className="muted small">({typeOf(e.asset)})</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </Panel>
      </div>
      <Panel title={`Findings (${a.findings.length})`}>
        {a.findings.length === 0 ? (
          <Empty>No findings against this asset.</Empty>
        ) : (
          <FindingsTable findings={a.findings} showAsset={false} />
        )}
      </Panel>
    </div>
  );
}
