import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isSecretCandidate } from "./secret-files.js";

describe("isSecretCandidate", () => {
  it("reads credential files anywhere and authored text where applications live, not package trees", () => {
    const cases: [string, boolean][] = [
      ["app/.env", true],
      ["srv/api/.env.production", true],
      ["root/.aws/credentials", true],
      ["root/.docker/config.json", true],
      ["home/dev/.ssh/id_ed25519", true],
      ["home/dev/.npmrc", true],
      ["opt/app/certs/server.key", true],
      ["app/.git/config", true],
      ["etc/myapp/settings.yaml", true],
      ["app/config/application.properties", true],
      ["usr/local/bin/entrypoint.sh", true],
      ["workspace/train.py", true],
      // Package trees, system libraries and documentation: third-party text.
      ["app/node_modules/lib/.env", false],
      ["usr/local/lib/python3.11/site-packages/x/config.py", false],
      ["usr/lib/python3/dist-packages/y/test.key", false],
      ["usr/share/doc/tool/example.conf", false],
      ["etc/ssl/private/ssl-cert-snakeoil.key", false],
      ["usr/lib/x86_64-linux-gnu/libfoo.so", false],
      ["app/static/logo.png", false],
      ["var/log/app.log", false],
    ];
    for (const [path, expected] of cases) assert.equal(isSecretCandidate(path, 100, 0o100644), expected, path);
    assert.equal(isSecretCandidate("app/.env", 100, 0o120777), false, "a symlink is not read");
  });
});
