/**
 * Webhook bodies: Palisade's own JSON document, a Slack incoming-webhook message and a Microsoft
 * Teams Adaptive Card. Alert text may come from an attacker (a prompt, a tool name), so Slack
 * text is escaped (no `<!channel>` pings or disguised links) and only http(s) links are shown.
 */
import { facts, safeLink, severityLabel, truncate } from "./text.js";
import type { Alert } from "./types.js";

/**
 * `format: json` — one alert per POST:
 * `{ apiVersion: "palisade.dev/v1", kind: "Alert", key, severity, title, summary, time (ISO 8601),
 * timeMs, incidentId?, rule?, fields, link? }`.
 */
export function toJsonPayload(alert: Alert): Record<string, unknown> {
  return {
    apiVersion: "palisade.dev/v1",
    kind: "Alert",
    key: alert.key,
    severity: alert.severity,
    title: alert.title,
    summary: alert.summary,
    time: new Date(alert.time).toISOString(),
    timeMs: alert.time,
    ...(alert.incidentId ? { incidentId: alert.incidentId } : {}),
    ...(alert.rule ? { rule: alert.rule } : {}),
    fields: alert.fields,
    ...(alert.link ? { link: alert.link } : {}),
  };
}

/** Slack's mrkdwn control characters (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function escapeSlack(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

// Slack Block Kit limits: header text 150, section text 3000, 10 fields of 2000 each.
const SLACK_HEADER_MAX = 150;
const SLACK_SECTION_MAX = 3000;
const SLACK_FIELDS_MAX = 10;
const SLACK_FIELD_MAX = 2000;

/** `format: slack` — an incoming-webhook message: fallback `text` plus Block Kit `blocks`. */
export function toSlackPayload(alert: Alert): Record<string, unknown> {
  const link = safeLink(alert);
  const shown = facts(alert).slice(0, SLACK_FIELDS_MAX);
  const blocks: Record<string, unknown>[] = [
    {
      type: "header",
      text: { type: "plain_text", text: truncate(`${severityLabel(alert)}: ${alert.title}`, SLACK_HEADER_MAX) },
    },
    { type: "section", text: { type: "mrkdwn", text: truncate(escapeSlack(alert.summary) || " ", SLACK_SECTION_MAX) } },
    {
      type: "section",
      fields: shown.map(([name, value]) => ({
        type: "mrkdwn",
        text: truncate(`*${escapeSlack(name)}*\n${escapeSlack(value)}`, SLACK_FIELD_MAX),
      })),
    },
  ];
  if (link) blocks.push({ type: "section", text: { type: "mrkdwn", text: `<${escapeSlack(link)}|Open in Palisade>` } });
  return {
    text: truncate(`[${severityLabel(alert)}] ${escapeSlack(alert.title)}`, SLACK_SECTION_MAX),
    blocks,
  };
}

const TEAMS_COLOR = { critical: "attention", high: "attention", medium: "warning", low: "default", info: "default" };

/**
 * `format: teams` — the message shape Teams incoming webhooks (Workflows) accept: one attachment
 * holding an Adaptive Card 1.4 with the title, the summary, a FactSet and an "Open" action.
 */
export function toTeamsPayload(alert: Alert): Record<string, unknown> {
  const link = safeLink(alert);
  const card: Record<string, unknown> = {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: "1.4",
    msteams: { width: "Full" },
    body: [
      {
        type: "TextBlock",
        size: "Medium",
        weight: "Bolder",
        wrap: true,
        color: TEAMS_COLOR[alert.severity],
        text: truncate(`${severityLabel(alert)}: ${alert.title}`, 300),
      },
      { type: "TextBlock", wrap: true, text: truncate(alert.summary, 3000) },
      {
        type: "FactSet",
        facts: facts(alert)
          .slice(0, 20)
          .map(([title, value]) => ({ title, value: truncate(value, 1000) })),
      },
    ],
    ...(link ? { actions: [{ type: "Action.OpenUrl", title: "Open in Palisade", url: link }] } : {}),
  };
  return {
    type: "message",
    attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content: card }],
  };
}
