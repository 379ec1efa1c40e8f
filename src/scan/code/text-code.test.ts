import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { textMcpImplementations } from "./text-code.js";

const names = (text: string, file: string) => textMcpImplementations(text, file).map((s) => `${s.name}@${s.line}`);

describe("MCP servers implemented in Ruby, Rust and Kotlin (text)", () => {
  it("names a Ruby MCP::Server by its name: argument", () => {
    const rb = ['require "mcp"', "server = MCP::Server.new(", '  name: "weather",', '  version: "1.0.0",', ")"].join(
      "\n",
    );
    assert.deepEqual(names(rb, "weather.rb"), ["weather@2"]);
  });

  it("names a Rust rmcp server by its Implementation, in each spelling", () => {
    assert.deepEqual(names('info.server_info = Implementation::new("weather", "1.0.0");', "main.rs"), ["weather@1"]);
    assert.deepEqual(
      names(
        'let mut server_info = Implementation::default();\nserver_info.name = "Rust MCP Server".to_owned();',
        "s.rs",
      ),
      ["Rust MCP Server@2"],
    );
    assert.deepEqual(names('Implementation { name: "files".into(), version: "1".into() }', "lib.rs"), ["files@1"]);
  });

  it("finds nothing in code that only mentions the words", () => {
    assert.deepEqual(names('puts "MCP::Server is great"\nname = "x"', "a.rb"), []);
    assert.deepEqual(names("impl Implementation for Foo {}", "a.rs"), []);
  });

  it("names a Kotlin server built with the Java SDK's builder, and skips a client's clientInfo", () => {
    const kt = [
      "val server = McpServer.sync(StdioServerTransport())",
      '    .serverInfo("mcp test server", "0.1.0")',
      "    .build()",
      'val client = Client(clientInfo = Implementation(name = "my-client", version = "1.0.0"))',
      'val s = Server(Implementation(name = "weather", version = "1.0.0"), options)',
    ].join("\n");
    assert.deepEqual(names(kt, "main.kt"), ["weather@5", "mcp test server@1"]);
    assert.deepEqual(
      textMcpImplementations(kt, "main.kt").map((s) => s.sdk),
      ["io.modelcontextprotocol:kotlin-sdk", "io.modelcontextprotocol.sdk:mcp"],
    );
  });
});
