// Helpers for the dashboard's end-to-end tests: a collector on either
// engine, seeded through its API with responses whose figures are worked
// out by hand in dashboard.spec.js.
import { expect } from "@playwright/test";
import { Collector } from "./collector.js";

export const PASSWORD = "correct horse battery";
const DAY = 86_400_000;

/** Today's UTC midnight (the tests run the browser in UTC). */
export function todayStart() {
  return Math.floor(Date.now() / DAY) * DAY;
}

let next = 1;
function response(createdAt, ratings, comment, reasons) {
  const id = `00000000-0000-4000-8000-${String(next++).padStart(12, "0")}`;
  return { id, created_at: createdAt, ratings, complete: true, ...(comment ? { comment } : {}), ...(reasons ? { reasons } : {}) };
}

/** A collector on `engine` ("sqlite", or "postgres" with `pg`), with kiosks a1, a2 in store-a and b1 in store-b. */
export async function seededCollector(engine, pg, args = []) {
  const db = engine === "postgres" ? pg.database() : undefined;
  const collector = await Collector.start({ db, args });
  const token = (store, kiosk) => collector.command("token", "create", "--kiosk", kiosk, "--store", store).trim();
  collector.kiosks = {
    a1: token("store-a", "a1"),
    a2: token("store-a", "a2"),
    b1: token("store-b", "b1"),
  };
  const t = todayStart();
  const minute = 60_000;
  await post(collector, "a1", "store-a", [
    response(t + minute, { friendliness: 5, speed: 5 }),
    response(t + 2 * minute, { friendliness: 5, speed: 4 }, "<b>Queue</b> was <script>alert(1)</script> long"),
    // Yesterday: the previous period of "Today".
    response(t - DAY + minute, { speed: 5 }),
    response(t - DAY + 2 * minute, { speed: 5 }),
  ]);
  await post(collector, "a2", "store-a", [
    response(t + 3 * minute, { friendliness: 5, speed: 1 }, "Slow till", { speed: ["long_queue", "slow_checkout"] }),
  ]);
  await post(collector, "b1", "store-b", [
    response(t + 4 * minute, { hygiene: 2 }),
    response(t + 5 * minute, { hygiene: 2 }),
  ]);
  return collector;
}

async function post(collector, kiosk, store, responses) {
  const items = responses.map((r) => ({ ...r, store_id: store }));
  const answer = await fetch(`${collector.url}/v1/responses`, {
    method: "POST",
    headers: { authorization: `Bearer ${collector.kiosks[kiosk]}`, "content-type": "application/json" },
    body: JSON.stringify({ kiosk_id: kiosk, responses: items }),
  });
  expect(answer.status).toBe(200);
}

/** Sends a heartbeat as kiosk `kiosk` would. */
export async function heartbeat(collector, kiosk, body = { app_version: "0.1.0", waiting: 0 }) {
  const answer = await fetch(`${collector.url}/v1/heartbeat`, {
    method: "POST",
    headers: { authorization: `Bearer ${collector.kiosks[kiosk]}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(answer.status).toBe(204);
}

/** Makes an account with the CLI, the password piped in. */
export function account(collector, name, ...scope) {
  collector.commandWithInput(`${PASSWORD}\n`, "user", "create", name, ...scope);
}

/** Opens the dashboard and signs in. */
export async function signIn(page, collector, name, password = PASSWORD, path = "/dashboard/") {
  await page.goto(`${collector.url}${path}`);
  await page.getByLabel("Username").fill(name);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export { expectAccessible } from "./axe.js";
