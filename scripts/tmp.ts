import { startFakeUpstream } from "../test/helpers/fake-upstream.js";
import { startTestGateway } from "../test/helpers/gateway.js";

const up = await startFakeUpstream();
const gw = await startTestGateway({
  upstream: up.url,
  noAuth: true,
  policy: `apiVersion: palisade.dev/v1
kind: Policy
metadata: { name: t }
spec:
  runtime:
    roles:
      - { name: default, identities: ["*"], models: ["*"], tools: ["*"] }
    pii:
      response: { default: redact, US_SSN: block }
`,
});
const r = await fetch(`${gw.url}/v1/chat/completions`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({
    model: "m",
    stream: true,
    messages: [{ role: "user", content: "say[chunk=3]: your SSN is 536-22-1234, ok" }],
  }),
});
console.log(r.status, await r.text());
await gw.close();
await up.close();
