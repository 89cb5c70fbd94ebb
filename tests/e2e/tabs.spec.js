// Two kiosk tabs and a manager tab on one kiosk (a relaunched app, a
// restored session, a manager page beside the kiosk): every response that
// got a "Thank you" is stored once by the collector, none lost.
import { test, expect, openKiosk, face, storedResponses, PIN } from "./kiosk.js";
import { Collector } from "./collector.js";

test.use({ expectedConsoleErrors: /Failed to load resource|net::ERR_/ });

const PER_TAB = 150;

/** Gives `count` responses in `page` as fast as a customer could; returns how many got a thank-you. */
async function customers(page, count, onEach = async () => {}) {
  let thanked = 0;
  for (let i = 0; i < count; i++) {
    await face(page, ["Friendliness", "Speed", "Comfort", "Hygiene", "Security"][i % 5], (i % 5) + 1).tap();
    const send = page.getByRole("button", { name: "Send" });
    await send.tap();
    // The thank-you (50 ms here) only follows a save; then a fresh screen.
    await expect(send).toBeDisabled();
    thanked++;
    await onEach(i);
  }
  return thanked;
}

test("two kiosk tabs and a manager pressing Sync now lose nothing and store nothing twice", async ({ page, context }) => {
  test.setTimeout(240_000);
  const collector = await Collector.start();
  try {
    const settings = { token: collector.token, sync_interval_ms: 60_000, sync_timeout_ms: 15_000 };
    await openKiosk(page, { url: collector.url, cooldownMs: 50, settings });
    const second = await context.newPage();
    await second.goto(collector.url);
    await expect(second.getByRole("radiogroup", { name: "Friendliness" })).toBeVisible();
    const manager = await context.newPage();
    await manager.goto(`${collector.url}/manager/`);
    await manager.getByLabel("PIN").fill(PIN);
    await manager.getByRole("button", { name: "Open" }).click();
    await expect(manager.getByRole("heading", { name: "Manager view" })).toBeVisible();

    const syncNow = async (i) => {
      if (i % 10 === 0) await manager.getByRole("button", { name: "Sync now" }).click();
    };
    const [a, b] = await Promise.all([customers(page, PER_TAB, syncNow), customers(second, PER_TAB)]);
    expect(a + b).toBe(2 * PER_TAB);

    // Everything arrives, once; the kiosk's storage holds every one, none pending.
    await manager.getByRole("button", { name: "Sync now" }).click();
    await expect.poll(() => collector.ids().length, { timeout: 60_000 }).toBe(2 * PER_TAB);
    const ids = collector.ids();
    expect(new Set(ids).size).toBe(ids.length);
    await expect
      .poll(async () => (await storedResponses(page)).filter((r) => r.state === "p").length, { timeout: 60_000 })
      .toBe(0);
    const stored = await storedResponses(page);
    expect(stored).toHaveLength(2 * PER_TAB);
    expect(stored.map((r) => r.id).sort()).toEqual([...ids].sort());
  } finally {
    await collector.dispose();
  }
});

test("what a closed tab saved is sent by the tab still open", async ({ page, context }) => {
  const collector = await Collector.start();
  try {
    const settings = { token: collector.token, sync_interval_ms: 2_000, sync_timeout_ms: 5_000 };
    await openKiosk(page, { url: collector.url, cooldownMs: 50, settings });
    // The network fails for both tabs while the second one takes feedback.
    await context.route("**/v1/responses", (route) => route.abort());
    const other = await context.newPage();
    await other.goto(collector.url);
    await customers(other, 3);
    await other.close();
    expect((await storedResponses(page)).filter((r) => r.state === "p")).toHaveLength(3);

    // The network is back; the open tab adopts the closed tab's responses.
    await context.unroute("**/v1/responses");
    await expect.poll(() => collector.ids().length, { timeout: 30_000 }).toBe(3);
    await expect.poll(async () => (await storedResponses(page)).filter((r) => r.state === "p").length).toBe(0);
  } finally {
    await collector.dispose();
  }
});
