import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { createExecDecoder, createLineSplitter, type McpExecEvent, parseStraceLine } from "./strace.js";

/** A string as strace prints it (strace's `string_quote`): C escapes, octal for the rest. */
function quote(value: string | Uint8Array): string {
  const bytes = typeof value === "string" ? Buffer.from(value, "utf8") : Buffer.from(value);
  const named: Record<number, string> = { 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r", 34: '\\"', 92: "\\\\" };
  let out = '"';
  bytes.forEach((b, i) => {
    const next = bytes[i + 1];
    if (named[b]) out += named[b];
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    // The short form only when no octal digit follows, which would otherwise join the escape.
    else
      out += `\\${next !== undefined && next >= 0x30 && next <= 0x37 ? b.toString(8).padStart(3, "0") : b.toString(8)}`;
  });
  return `${out}"`;
}

/** One `strace -f -ttt` exec line. */
const anExecLine = (o: { pid?: number; path: string; argv: string[]; result?: string; time?: string }) =>
  `${o.pid ?? 4242}  ${o.time ?? "1700000000.123456"} execve(${quote(o.path)}, [${o.argv.map(quote).join(", ")}], 0x7ffd5e1c2a40 /* 3 vars */) = ${o.result ?? "0"}`;

const roundTrip = (s: string) => Buffer.from(s, "utf8").toString("utf8");

/** Text biased towards what breaks a naive reader (quotes, escapes, brackets, `...`), plus any code point. */
const hostileText = (maxLength: number) =>
  fc.string({
    maxLength,
    unit: fc.oneof(
      fc.constantFrom(
        '"',
        "\\",
        "\\0",
        "...",
        "]",
        "[",
        ", ",
        ") = 0",
        "\n",
        "\t",
        "\u0001",
        "\u007f",
        "0",
        "7",
        "é",
        "😀",
      ),
      fc
        .integer({ min: 0, max: 0x10ffff })
        .filter((c) => c < 0xd800 || c > 0xdfff)
        .map((c) => String.fromCodePoint(c)),
    ),
  });

describe("parseStraceLine", () => {
  it("reads a successful execve: pid, time, path and argv", () => {
    assert.deepEqual(
      parseStraceLine('8431  1796588217.724075 execve("/usr/bin/id", ["id", "-u"], 0x55b8fb71a620 /* 2 vars */) = 0'),
      {
        type: "call",
        pid: 8431,
        time: 1796588217724,
        syscall: "execve",
        path: "/usr/bin/id",
        argv: ["id", "-u"],
        truncated: false,
        outcome: "ok",
      },
    );
  });

  it("decodes escapes strace writes: quotes, backslashes, octal UTF-8 and short octal", () => {
    const record = parseStraceLine(
      '8433  1796588217.728321 execve("/bin/echo", ["/bin/echo", "hi \\"there\\"", "\\303\\251", "\\1", "a\\\\b\\t"], 0x55b8fb71a7a8 /* 2 vars */) = 0',
    );
    assert.deepEqual(record?.type === "call" && record.argv, ["/bin/echo", 'hi "there"', "é", "\u0001", "a\\b\t"]);
  });

  it("keeps a hostile argument that imitates the end of the line as one argument", () => {
    const hostile = '"], 0x1 /* 0 vars */) = 0\n4243 execve("/bin/fake", []) = 0';
    const record = parseStraceLine(anExecLine({ path: "/bin/sh", argv: ["sh", "-c", hostile] }));
    assert.deepEqual(record?.type === "call" && record.argv, ["sh", "-c", hostile]);
    assert.equal(record?.type === "call" && record.path, "/bin/sh");
  });

  it("marks strings and argv lists cut by strace's -s limit", () => {
    const cutString = parseStraceLine(
      '9 1.5 execve("/bin/true", ["/bin/true", "aaaaaaaa"...], 0x55 /* 35 vars */) = 0',
    );
    assert.equal(cutString?.type === "call" && cutString.truncated, true);
    assert.deepEqual(cutString?.type === "call" && cutString.argv, ["/bin/true", "aaaaaaaa"]);
    const cutList = parseStraceLine('9 1.5 execve("/bin/true", ["/bin/true", "1", ...], 0x55 /* 35 vars */) = 0');
    assert.deepEqual(cutList?.type === "call" && [cutList.argv, cutList.truncated], [["/bin/true", "1"], true]);
  });

  it("tells failed, unfinished and resumed calls apart", () => {
    const failed = anExecLine({
      path: "/usr/local/bin/sh",
      argv: ["sh"],
      result: "-1 ENOENT (No such file or directory)",
    });
    assert.equal(parseStraceLine(failed)?.outcome, "failed");
    const unfinished = parseStraceLine(
      '77 2.000001 execve("/bin/sh", ["sh", "-c", "x"], 0x7ff /* 1 var */ <unfinished ...>',
    );
    assert.equal(unfinished?.outcome, "unfinished");
    assert.deepEqual(parseStraceLine("77 2.000200 <... execve resumed>) = 0"), {
      type: "resumed",
      pid: 77,
      time: 2000,
      syscall: "execve",
      outcome: "ok",
    });
    assert.equal(parseStraceLine("77 <... execve resumed>) = -1 EACCES (Permission denied)")?.outcome, "failed");
    assert.equal(parseStraceLine("77 <... execve resumed>) = ?")?.outcome, "failed");
  });

  it("names the program fexecve ran by its descriptor, and an absolute execveat path as is", () => {
    const fexecve = parseStraceLine('8647 1.0 execveat(3, "", ["t"], 0x7f954602c1c0 /* 0 vars */, AT_EMPTY_PATH) = 0');
    assert.deepEqual(fexecve?.type === "call" && [fexecve.syscall, fexecve.path, fexecve.argv], [
      "execveat",
      "<fd 3>",
      ["t"],
    ]);
    const absolute = parseStraceLine('8 1.0 execveat(AT_FDCWD, "/bin/ls", ["ls"], 0x7f /* 0 vars */, 0) = 0');
    assert.equal(absolute?.type === "call" && absolute.path, "/bin/ls");
  });

  it("reads argv strace could not follow (NULL, a bad pointer) as empty, and hex escapes", () => {
    const none = parseStraceLine('5 1.0 execve("/bin/x", NULL, NULL) = 0');
    assert.deepEqual(none?.type === "call" && none.argv, []);
    const hex = parseStraceLine('5 1.0 execve("\\x2f\\x62in/sh", ["\\x41"], 0x1 /* 0 vars */) = 0');
    assert.deepEqual(hex?.type === "call" && [hex.path, hex.argv], ["/bin/sh", ["A"]]);
  });

  it("refuses what strace would not write: raw bytes in strings, open strings, other calls, noise", () => {
    for (const line of [
      '5 1.0 execve("/bin/\u00e9", [], 0x1 /* 0 vars */) = 0',
      '5 1.0 execve("/bin/sh", ["sh", "-c", "unterminated',
      '5 1.0 execve("/bin/sh", ["sh"',
      '5 1.0 execve("/bin/sh\\', // a lone trailing backslash
      '5 1.0 execve("/bin/sh\\q", [], 0x1) = 0',
      '5 1.0 execve("/bin/sh\\777", [], 0x1) = 0',
      '5 1.0 openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3',
      "5 1.0 +++ exited with 0 +++",
      "5 1.0 --- SIGCHLD {si_signo=SIGCHLD} ---",
      "strace: Process 5 attached",
      "",
      'execve("/bin/sh", [], 0x1) = 0',
      '5 1.0 execve("/bin/sh", ["a" "b"], 0x1) = 0',
    ])
      assert.equal(parseStraceLine(line), undefined, line);
  });

  it("round-trips any path and argv strace could print, whatever bytes they hold", () => {
    const text = hostileText(40);
    fc.assert(
      fc.property(fc.nat(4_000_000), text, fc.array(text, { maxLength: 8 }), (pid, path, argv) => {
        const record = parseStraceLine(anExecLine({ pid, path, argv }));
        assert.deepEqual(record, {
          type: "call",
          pid,
          time: 1700000000123,
          syscall: "execve",
          path: roundTrip(path),
          argv: argv.map(roundTrip),
          truncated: false,
          outcome: "ok",
        });
      }),
    );
  });

  it("round-trips arbitrary bytes, including invalid UTF-8, as their UTF-8 reading", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const line = `1 2.0 execve("/bin/x", [${quote(bytes)}], 0x1 /* 0 vars */) = 0`;
        const record = parseStraceLine(line);
        assert.deepEqual(record?.type === "call" && record.argv, [Buffer.from(bytes).toString("utf8")]);
      }),
    );
  });

  it("never throws, and never reads a cut-off line as a successful exec", () => {
    const text = hostileText(20);
    fc.assert(
      fc.property(text, fc.array(text, { maxLength: 4 }), fc.nat(), (path, argv, cut) => {
        const line = anExecLine({ path, argv });
        const prefix = line.slice(0, cut % line.length);
        assert.notEqual(parseStraceLine(prefix)?.outcome, "ok");
      }),
    );
    fc.assert(
      fc.property(hostileText(200), (line) => {
        parseStraceLine(line);
        parseStraceLine(`1 1.0 execve(${line}`);
        parseStraceLine(`1 1.0 execve("/x", [${line}`);
      }),
    );
  });
});

describe("createExecDecoder", () => {
  const decode = (lines: string[], options: { skip?: number; maxArgs?: number; maxArgLength?: number } = {}) => {
    const events: McpExecEvent[] = [];
    const decoder = createExecDecoder({ server: "github", skip: 0, ...options, onExec: (e) => events.push(e) });
    for (const line of lines) decoder.line(line);
    return { events, stats: decoder.stats };
  };

  it("reports successful execs as mcp.exec events, after skipping the sandbox's own launch", () => {
    const { events } = decode(
      [
        anExecLine({ pid: 1, path: "/usr/bin/setpriv", argv: ["setpriv"] }),
        anExecLine({ pid: 1, path: "/usr/bin/bwrap", argv: ["bwrap"] }),
        anExecLine({ pid: 3, path: "/usr/local/bin/prlimit", argv: ["prlimit"], result: "-1 ENOENT (No such file)" }),
        anExecLine({ pid: 3, path: "/usr/bin/prlimit", argv: ["prlimit"] }),
        anExecLine({ pid: 3, path: "/usr/bin/node", argv: ["node", "server.js"] }),
        anExecLine({ pid: 9, path: "/bin/sh", argv: ["sh", "-c", "id -u"], time: "1700000001.5" }),
        anExecLine({ pid: 10, path: "/usr/local/bin/id", argv: ["id"], result: "-1 ENOENT (No such file)" }),
      ],
      { skip: 4 },
    );
    assert.deepEqual(events, [
      {
        kind: "mcp.exec",
        server: "github",
        pid: 9,
        path: "/bin/sh",
        argv: ["sh", "-c", "id -u"],
        time: 1700000001500,
        truncated: false,
      },
    ]);
  });

  it("joins an unfinished call with its resumption, and forgets failed ones", () => {
    const { events, stats } = decode([
      '7 1.0 execve("/bin/sh", ["sh"], 0x1 /* 0 vars */ <unfinished ...>',
      '8 1.1 execve("/bin/ls", ["ls"], 0x1 /* 0 vars */ <unfinished ...>',
      "8 1.2 <... execve resumed>) = -1 ENOENT (No such file or directory)",
      "7 1.3 <... execve resumed>) = 0",
      "9 1.4 <... execve resumed>) = 0",
    ]);
    assert.deepEqual(
      events.map((e) => [e.pid, e.path, e.time]),
      [[7, "/bin/sh", 1300]],
    );
    assert.equal(stats.droppedCalls, 1);
  });

  it("bounds argv: entries, their length and the number of pending calls", () => {
    const { events } = decode([anExecLine({ path: "/bin/x", argv: ["a".repeat(300), ...Array(100).fill("b")] })], {
      maxArgs: 10,
      maxArgLength: 50,
    });
    assert.equal(events[0]?.argv.length, 10);
    assert.equal(events[0]?.argv[0]?.length, 50);
    assert.equal(events[0]?.truncated, true);

    const unfinished = Array.from({ length: 1000 }, (_, pid) => `${pid} 1.0 execve("/x", [], 0x1 <unfinished ...>`);
    const { stats } = decode(unfinished);
    assert.equal(stats.droppedCalls, 1000 - 256);
  });

  it("reports no more events than successful execs, each within bounds, for any mix of lines", () => {
    const line = fc.oneof(
      fc
        .record({ path: fc.string(), argv: fc.array(fc.string({ maxLength: 80 }), { maxLength: 20 }) })
        .map((o) => anExecLine(o)),
      fc.string({ maxLength: 60 }),
      fc.nat(5).map((pid) => `${pid} 1.0 execve("/x", ["x"], 0x1 <unfinished ...>`),
      fc.nat(5).map((pid) => `${pid} 1.0 <... execve resumed>) = 0`),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const { events } = decode(lines, { maxArgs: 5, maxArgLength: 10 });
        const successes = lines.filter((l) => l.endsWith(") = 0")).length;
        assert.ok(events.length <= successes);
        for (const event of events) {
          assert.ok(event.argv.length <= 5);
          assert.ok(event.argv.every((a) => a.length <= 10));
        }
      }),
    );
  });
});

describe("createLineSplitter", () => {
  const split = (chunks: Uint8Array[], maxLine: number) => {
    const lines: string[] = [];
    let dropped = 0;
    const splitter = createLineSplitter({ maxLine, onLine: (l) => lines.push(l), onDrop: () => dropped++ });
    for (const chunk of chunks) splitter.push(chunk);
    splitter.end();
    return { lines, dropped };
  };

  it("drops a line longer than the bound whole, counts it, and carries on with the next", () => {
    const stream = Buffer.from(`short\n${"x".repeat(100)}\nnext\npartial`);
    assert.deepEqual(split([stream.subarray(0, 10), stream.subarray(10, 50), stream.subarray(50)], 20), {
      lines: ["short", "next", "partial"],
      dropped: 1,
    });
  });

  it("yields the same lines for any chunking of the stream", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom("a", "b", "\n"), maxLength: 30 }), { maxLength: 6 }),
        fc.integer({ min: 1, max: 12 }),
        (pieces, maxLine) => {
          const text = pieces.join("");
          const chunks = pieces.map((p) => Buffer.from(p));
          const all = text.split("\n");
          if (all.at(-1) === "") all.pop();
          const expected = all.filter((l) => l.length <= maxLine);
          assert.deepEqual(split(chunks, maxLine), { lines: expected, dropped: all.length - expected.length });
          assert.deepEqual(split([Buffer.from(text)], maxLine), {
            lines: expected,
            dropped: all.length - expected.length,
          });
        },
      ),
    );
  });
});
