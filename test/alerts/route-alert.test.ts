import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type RoutingConfig, routeAlert } from "../../src/alerts/route-alert.ts";
import type { SlackRoute } from "../../src/config/config.ts";
import { alertEvent, PROJECT_ID } from "./alert-fixtures.ts";

const OTHER_PROJECT = "5f0e9d8c7b6a5f4e3d2c1b0a";

function route(overrides: Partial<SlackRoute>): SlackRoute {
  return {
    projects: undefined,
    clusters: undefined,
    kinds: undefined,
    channel: "#routed",
    mentions: [],
    ...overrides,
  };
}

function config(routes: SlackRoute[]): RoutingConfig {
  return { channel: "#default", mentions: ["U0DEFAULT1"], routes };
}

describe("routeAlert", () => {
  test("no route matches: default channel", () => {
    const result = routeAlert(alertEvent(), config([route({ projects: [OTHER_PROJECT] })]));

    assert.deepEqual(result, { channel: "#default", mentions: ["U0DEFAULT1"], routeIndex: -1 });
  });

  test("first matching route wins", () => {
    const routes = [
      route({ clusters: ["search-*"], channel: "#search" }),
      route({ projects: [PROJECT_ID], clusters: ["orders-*"], channel: "#orders" }),
      route({ projects: [PROJECT_ID], channel: "#project" }),
    ];

    const result = routeAlert(alertEvent(), config(routes));

    assert.equal(result.channel, "#orders");
    assert.equal(result.routeIndex, 1);
  });

  test("route by kind", () => {
    const routes = [route({ kinds: ["stuck", "expiring"], channel: "#warnings" })];

    assert.equal(routeAlert(alertEvent({ kind: "stuck" }), config(routes)).channel, "#warnings");
    assert.equal(routeAlert(alertEvent(), config(routes)).channel, "#default");
  });

  test("cluster glob with ? matches one character", () => {
    const routes = [route({ clusters: ["orders-fle?"] })];

    assert.equal(routeAlert(alertEvent(), config(routes)).channel, "#routed");
    assert.equal(
      routeAlert(alertEvent({ cluster: "orders-flexx" }), config(routes)).channel,
      "#default",
    );
  });

  test("mentions only on critical alerts", () => {
    const routes = [route({ mentions: ["S0DBTEAM1"] })];

    assert.deepEqual(routeAlert(alertEvent(), config(routes)).mentions, ["S0DBTEAM1"]);
    assert.deepEqual(routeAlert(alertEvent({ kind: "expired" }), config(routes)).mentions, [
      "S0DBTEAM1",
    ]);
    assert.deepEqual(routeAlert(alertEvent({ kind: "stuck" }), config(routes)).mentions, []);
    assert.deepEqual(routeAlert(alertEvent({ kind: "stuck" }), config([])).mentions, []);
  });
});
