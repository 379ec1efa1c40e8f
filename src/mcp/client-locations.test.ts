import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clientConfigLocations } from "./client-locations.js";

describe("client config locations", () => {
  it("lists the Linux user and project files under the given home and project", () => {
    const paths = clientConfigLocations({ home: "/h", project: "/p", platform: "linux" }).map((l) => l.path);
    assert.deepEqual(paths, [
      "/h/.config/Claude/claude_desktop_config.json",
      "/h/.claude.json",
      "/h/.cursor/mcp.json",
      "/h/.config/Code/User/mcp.json",
      "/h/.config/Code/User/settings.json",
      "/h/.config/Code - Insiders/User/mcp.json",
      "/h/.copilot/mcp-config.json",
      "/h/.codeium/windsurf/mcp_config.json",
      "/p/.mcp.json",
      "/p/.cursor/mcp.json",
      "/p/.vscode/mcp.json",
      "/p/.vscode/settings.json",
      "/p/mcp.json",
    ]);
  });

  it("uses Application Support on macOS and %APPDATA% on Windows", () => {
    const mac = clientConfigLocations({ home: "/Users/me", platform: "darwin" });
    assert.equal(mac[0]?.path, "/Users/me/Library/Application Support/Claude/claude_desktop_config.json");
    const win = clientConfigLocations({
      home: "C:\\Users\\me",
      platform: "win32",
      env: { APPDATA: "D:\\Roaming" },
    });
    assert.equal(win[0]?.path, "D:\\Roaming\\Claude\\claude_desktop_config.json");
    assert.ok(win.some((l) => l.path === "C:\\Users\\me\\.codeium\\windsurf\\mcp_config.json"));
    assert.ok(
      win.every((l) => l.scope === "user"),
      "no project given, no project files",
    );
  });

  it("honours XDG_CONFIG_HOME and COPILOT_HOME, and names a shared file once", () => {
    const list = clientConfigLocations({
      home: "/h",
      project: "/h",
      platform: "linux",
      env: { XDG_CONFIG_HOME: "/x", COPILOT_HOME: "/c" },
    });
    assert.equal(list[0]?.path, "/x/Claude/claude_desktop_config.json");
    assert.ok(list.some((l) => l.path === "/c/mcp-config.json"));
    assert.equal(list.filter((l) => l.path === "/h/.cursor/mcp.json").length, 1);
  });
});
