import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError, formatConfigIssue } from "../../src/config/config-error.ts";

describe("ConfigError", () => {
  test("message lists every issue on its own line", () => {
    const error = new ConfigError([
      {
        path: "schedule.cron",
        value: "* *",
        message: "expected 5 or 6 fields but got 2",
        fix: "write 5 fields",
      },
      { path: "REDIS_URL", value: undefined, message: "is missing", fix: "set it" },
    ]);

    assert.equal(
      error.message,
      [
        "invalid flexwatch configuration (2 issues):",
        '  - schedule.cron: "* *" is invalid: expected 5 or 6 fields but got 2; write 5 fields',
        "  - REDIS_URL is missing; set it",
      ].join("\n"),
    );
  });

  test("message names the config file", () => {
    const error = new ConfigError([{ path: "a", value: 1, message: "m", fix: "f" }], {
      file: "/etc/fw.yaml",
    });

    assert.match(
      error.message,
      /^invalid flexwatch configuration \(1 issue, config file \/etc\/fw\.yaml\):/,
    );
  });

  test("cause is kept", () => {
    const cause = new Error("ENOENT");
    const error = new ConfigError([{ path: "a", value: undefined, message: "m", fix: "f" }], {
      cause,
    });

    assert.equal(error.cause, cause);
  });

  test("secret-looking values are redacted in message and issues", () => {
    const error = new ConfigError([
      { path: "slack.channel", value: "xoxb-1234-leak", message: "m", fix: "f" },
      { path: "REDIS_URL", value: "redis://:hunter2@host:6379/99", message: "m", fix: "f" },
      {
        path: "auth",
        value: { clientSecret: "plain-leak", nested: ["mdb_sa_sk_leak"] },
        message: "m",
        fix: "f",
      },
    ]);
    const everything = `${error.message}\n${JSON.stringify(error.issues)}`;

    for (const secret of ["xoxb-1234-leak", "hunter2", "plain-leak", "mdb_sa_sk_leak"]) {
      assert.doesNotMatch(everything, new RegExp(secret));
    }
    assert.equal(error.issues[0]?.value, "[redacted]");
    assert.equal(error.issues[1]?.value, "redis://:[redacted]@host:6379/99");
    assert.match(error.message, /slack\.channel: \[redacted\] is invalid/);
  });

  test("malformed URL password is redacted", () => {
    const error = new ConfigError([
      { path: "REDIS_URL", value: "redis://:pw1@pw2@[bad", message: "m", fix: "f" },
    ]);

    assert.doesNotMatch(error.message, /pw1|pw2/);
    assert.match(error.message, /"redis:\/\/:\[redacted\]@\[bad"/);
  });
});

describe("formatConfigIssue", () => {
  test("long value is cut", () => {
    const line = formatConfigIssue({ path: "x", value: "a".repeat(200), message: "m", fix: "f" });

    assert.match(line, /^x: "a{78}… is invalid: m; f$/);
  });
});
