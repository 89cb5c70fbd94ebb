// Shared helpers for the kiosk's end-to-end tests.
import { test as base, expect } from "@playwright/test";
import { uuidOf } from "./seed.js";

export { expect };

/** The five factors, as a customer reads them. */
export const FACTORS = ["Friendliness", "Speed", "Comfort", "Hygiene", "Security"];

/** The five faces' labels, rating 1 first. */
export const LABELS = ["Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"];

/**
 * A test whose page fails the test on any console error or uncaught
 * exception (a Content Security Policy violation is a console error).
 */
export const test = base.extend({
  /** A pattern of console errors a test expects (for example failed requests while the collector is down). */
  expectedConsoleErrors: [null, { option: true }],
  page: async ({ page, expectedConsoleErrors }, use) => {
    const problems = [];
    page.on("console", (msg) => {
      if (msg.type() !== "error") return;
      if (expectedConsoleErrors?.test(msg.text())) return;
      problems.push(`console: ${msg.text()}`);
    });
    page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
    await use(page);
    expect(problems, "the page logged errors").toEqual([]);
  },
});

/** The manager PIN the tests set up kiosks with. */
export const PIN = "2468";

/**
 * Opens the kiosk with the given settings served as its `kiosk.json`
 * (short timings keep the tests quick). On a first start the kiosk sends
 * the browser to its setup screen, prefilled from `kiosk.json`; this sets
 * the manager PIN there, as a manager would, and waits for the customer screen.
 *
 * A `token` in `settings` is never served in `kiosk.json` (the kiosk
 * refuses one there): it is put in the kiosk's stored settings, as
 * enrollment would, and the page reloaded.
 */
export async function openKiosk(
  page,
  { idleMs = 30_000, cooldownMs = 4_000, url = "/", settings: given = {} } = {},
) {
  const { token, ...settings } = given;
  await page.context().route("**/kiosk.json", (route) =>
    route.fulfill({
      contentType: "application/json",
      body: JSON.stringify({
        store_id: "store-e2e",
        kiosk_id: "kiosk-e2e",
        idle_timeout_ms: idleMs,
        cooldown_ms: cooldownMs,
        ...settings,
      }),
    }),
  );
  await page.goto(url);
  const customer = page.getByRole("radiogroup", { name: "Friendliness" });
  const setup = page.getByRole("heading", { name: "Set up this kiosk" });
  await expect(customer.or(setup)).toBeVisible();
  if (await setup.isVisible()) {
    await page.getByLabel("New manager PIN").fill(PIN);
    await page.getByLabel("Repeat the PIN").fill(PIN);
    await page.getByRole("button", { name: "Start kiosk" }).click();
  }
  await expect(customer).toBeVisible();
  await expect
    .poll(() => page.evaluate(() => JSON.parse(localStorage.getItem("fk1.kiosk") ?? "{}").kiosk_id))
    .toBe(settings.kiosk_id ?? "kiosk-e2e");
  if (token !== undefined) {
    await page.evaluate((token) => {
      const stored = JSON.parse(localStorage.getItem("fk1.kiosk"));
      localStorage.setItem("fk1.kiosk", JSON.stringify({ ...stored, token }));
    }, token);
    await page.reload();
    await expect(customer).toBeVisible();
  }
}

/** Opens the manager view with the tests' PIN from the customer screen. */
export async function openManager(page) {
  await page.getByRole("button", { name: "Manager" }).click();
  await page.getByLabel("PIN").fill(PIN);
  await page.getByRole("button", { name: "Open" }).click();
  await expect(page.getByRole("heading", { name: "Manager view" })).toBeVisible();
}

/** Fills what is left of the origin's storage quota with another app's data. */
export async function fillStorage(page) {
  await page.evaluate(() => {
    let i = 0;
    let block = "x".repeat(256 * 1024);
    for (;;) {
      try {
        localStorage.setItem(`other-app-${i++}`, block);
      } catch {
        if (block.length <= 1) break;
        block = block.slice(0, block.length / 2);
      }
    }
  });
}

/** The reasons offered under `factor` after a rating of 1 or 2 ("What went wrong?"). */
export function reasonsOf(page, factor, name = "What went wrong?") {
  return page
    .locator("section.factor", { has: page.getByRole("radiogroup", { name: factor, exact: true }) })
    .getByRole("group", { name });
}

/** The radio for `factor` rated `rating` (1–5). */
export function face(page, factor, rating) {
  return page
    .getByRole("radiogroup", { name: factor, exact: true })
    .getByRole("radio", { name: LABELS[rating - 1], exact: true });
}

/**
 * Every response record the kiosk has stored, decoded from its schema v1
 * chunks (docs/storage.md): `{ state, complete, ratings, comment, lang,
 * reasons, kiosk }`, `reasons` as factor index to codes.
 */
export async function storedResponses(page) {
  const chunks = await page.evaluate(() =>
    Object.keys(localStorage)
      .filter((key) => key.startsWith("fk1.c."))
      .map((key) => localStorage.getItem(key)),
  );
  return chunks.flatMap((chunk) => {
    const [header, ...records] = chunk.split("\n");
    const kiosk = JSON.parse(header);
    return records
      .filter((line) => line !== "")
      .map((line) => {
        const colon = line.indexOf(":", 29);
        const [time, chosen] = line.slice(29, colon === -1 ? undefined : colon).split("|");
        const reasons = Object.fromEntries(
          (chosen ?? "").split("/").filter(Boolean).map((group) => [Number(group[0]), group.slice(1).split(",")]),
        );
        return {
          state: line[0],
          complete: line[1] === "c",
          ratings: [...line.slice(2, 7)].map(Number),
          id: uuidOf(line.slice(7, 29)),
          comment: colon === -1 ? null : line.slice(colon + 1),
          lang: time.includes(";") ? time.split(";")[1] : null,
          reasons,
          kiosk,
        };
      });
  });
}

export { uuidOf, queueResponses } from "./seed.js";
export { expectAccessible } from "./axe.js";
