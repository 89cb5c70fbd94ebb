// The chain dashboard against the real collector, on SQLite and on
// PostgreSQL: signing in and out, scope, the overview's figures against
// the API and a hand computation, a store's page, fleet health fed by the
// real kiosk's heartbeats, session expiry, lockout, accessibility.
import { expect, test } from "./kiosk.js";
import { openKiosk } from "./kiosk.js";
import { Postgres } from "./postgres.js";
import { account, expectAccessible, heartbeat, seededCollector, signIn, todayStart } from "./dashboard.js";

// The browser logs refused requests (signed out, another store, locked)
// as console errors; those are the answers these tests expect.
test.use({ timezoneId: "UTC", expectedConsoleErrors: /status of (401|403|429)|ERR_CONNECTION_REFUSED/ });

let pg;
test.beforeAll(async () => {
  pg = await Postgres.start();
});
test.afterAll(() => pg?.stop());

/** The overview's body rows as arrays of cell texts. */
async function overviewRows(page) {
  const rows = page.locator(".overview-table tbody tr");
  await expect(rows.first()).toBeVisible();
  return rows.evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll("th, td")].map((cell) => cell.textContent.replace(/\s+/g, " ").trim())),
  );
}

for (const engine of ["sqlite", "postgres"]) {
  test.describe(engine, () => {
    let collector;
    test.afterEach(async () => {
      await collector?.dispose();
      collector = null;
    });

    test("a manager signs in, sees every store worst first with figures that match the API, and signs out", async ({
      page,
    }) => {
      collector = await seededCollector(engine, pg);
      account(collector, "boss", "--all-stores");
      await signIn(page, collector, "boss", "not the password");
      await expect(page.getByRole("alert")).toHaveText("Wrong username or password");
      await page.getByLabel("Password").fill("correct horse battery");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByText("Signed in as boss")).toBeVisible();
      await page.getByRole("button", { name: "Today" }).click();
      await expect(page).toHaveURL(/period=today/);

      // By hand: store-b rated hygiene 2 twice (index 25); store-a rated
      // friendliness 5, 5, 5 (100) and speed 5, 4, 1 (58), 79 overall, and
      // yesterday speed 5, 5 (100): 21 points down. store-e2e has a kiosk
      // and no responses: last.
      const rows = await overviewRows(page);
      expect(rows).toEqual([
        ["store-b", "2", "—", "—", "—", "25", "—", "Hygiene", "—no earlier figures"],
        ["store-a", "3", "100", "58", "—", "—", "—", "Speed", "▼ 21down 21 points on the previous period"],
        ["store-e2e", "0", "—", "—", "—", "—", "—", "—", "—no earlier figures"],
      ]);
      // The same figures as the API gives.
      const from = new Date(todayStart()).toISOString();
      const to = new Date(todayStart() + 86_400_000).toISOString();
      const api = await (await page.request.get(`${collector.url}/v1/overview?from=${from}&to=${to}`)).json();
      const speedA = api.stores.find((s) => s.store_id === "store-a").summary.factors[1];
      expect(Math.round(speedA.index)).toBe(58);

      await page.getByRole("button", { name: "Responses" }).click();
      await expect(page.locator(".overview-table tbody tr").first()).toContainText("store-e2e");
      await page.getByRole("button", { name: "Responses" }).click();
      await expect(page.locator(".overview-table tbody tr").first()).toContainText("store-a");
      await expect(page.getByRole("columnheader", { name: "Responses" })).toHaveAttribute("aria-sort", "descending");
      // The view is in the URL: a reload shows the same.
      await page.reload();
      await expect(page.getByRole("columnheader", { name: "Responses" })).toHaveAttribute("aria-sort", "descending");
      await expectAccessible(page);

      await page.getByRole("button", { name: "Sign out" }).click();
      await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
      await page.reload();
      await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
      await expectAccessible(page);
    });

    test("a store manager sees only their store, whatever the page or URL or API call", async ({ page }) => {
      collector = await seededCollector(engine, pg);
      account(collector, "alice", "--store", "store-a");
      await signIn(page, collector, "alice", undefined, "/dashboard/?view=overview&period=today");
      const rows = await overviewRows(page);
      expect(rows.map((r) => r[0])).toEqual(["store-a"]);
      await page.goto(`${collector.url}/dashboard/?view=store&store=store-b&period=today`);
      await expect(page.getByRole("alert").first()).toContainText('you may not read store "store-b"');
      const api = await page.request.get(`${collector.url}/v1/summary?store_id=store-b`);
      expect(api.status()).toBe(403);
      const csv = await page.request.get(`${collector.url}/v1/responses.csv?store_id=store-b`);
      expect(csv.status()).toBe(403);
    });

    test("a store's page shows its summary, trend and kiosks, keeps comments as text, and downloads the CSV of the period", async ({
      page,
    }) => {
      collector = await seededCollector(engine, pg);
      account(collector, "boss", "--all-stores");
      await signIn(page, collector, "boss", undefined, "/dashboard/?view=overview&period=today");
      await page.getByRole("button", { name: "store-a" }).click();
      await expect(page.getByRole("heading", { name: "Store store-a" })).toBeVisible();
      await expect(page).toHaveURL(/view=store&store=store-a&period=today/);
      const speed = page.locator(".factors-table tr", { has: page.getByRole("rowheader", { name: "Speed" }) });
      // Speed 5, 4, 1: 3 ratings, mean 3.3, 67% satisfied, index 58.
      await expect(speed.locator("td")).toHaveText(["3", "3.3", "67%", "58"]);
      // The one low speed rating named two reasons: ties go by code.
      await expect(page.getByText("Speed needs attention: 67% satisfied. Most named: long queue (100%)")).toBeVisible();
      await expect(page.locator(".reasons-list li")).toHaveText(["Speed: long queue 1 (100%), slow checkout 1 (100%)"]);
      await expect(page.getByRole("img", { name: /00:00/ })).toBeVisible();
      const kiosks = page.locator(".kiosks-table tbody th");
      await expect(kiosks).toHaveText(["a1", "a2"]);

      // Heat map, today's weekday at 00:00 (UTC store): friendliness 5, 5, 5
      // and speed 5, 4, 1 → 5 of 6 satisfied.
      const weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][new Date(todayStart()).getUTCDay()];
      const heatRow = page.locator(".heat-map tr", { has: page.getByRole("rowheader", { name: weekday, exact: true }) });
      await expect(heatRow.locator("td").nth(0)).toHaveText("83%");

      // Comments newest first, as text; markup in one is shown, not run.
      const comments = page.locator(".comments .comment-text");
      await expect(comments).toHaveText(["Slow till", "<b>Queue</b> was <script>alert(1)</script> long"]);
      await expect(page.locator(".comments b")).toHaveCount(0);
      await page.getByLabel("Rated 1–2 for").selectOption({ label: "Speed" });
      await expect(comments).toHaveText(["Slow till"]);
      await page.getByLabel("Rated 1–2 for").selectOption({ label: "Any factor, any rating" });
      await page.getByLabel("Search comments").fill("queue");
      await page.getByRole("button", { name: "Search", exact: true }).click();
      await expect(comments).toHaveText(["<b>Queue</b> was <script>alert(1)</script> long"]);
      await expect(page).toHaveURL(/q=queue/);
      await page.reload();
      await expect(page.getByRole("heading", { name: "Store store-a" })).toBeVisible();

      const download = page.waitForEvent("download");
      await page.getByRole("link", { name: "Download CSV" }).click();
      const file = await (await download).path();
      const text = (await import("node:fs")).readFileSync(file, "utf8");
      const lines = text.trim().split("\n");
      expect(lines.length).toBe(1 + 3); // header and today's three responses of store-a
      expect(text).toContain("Slow till");
      expect(text).toContain("<b>Queue</b> was <script>alert(1)</script> long");
      expect(text).not.toContain("store-b");
      await expectAccessible(page);
    });

    test("fleet health shows what the kiosk reports and flags a kiosk that stopped sending heartbeats", async ({
      page,
      browser,
    }) => {
      collector = await seededCollector(engine, pg, ["--silent-after-hours", "0.005"]);
      account(collector, "boss", "--all-stores");
      // The real kiosk, served by the collector, reports itself after syncing.
      const kioskPage = await browser.newPage();
      await openKiosk(kioskPage, {
        url: collector.url,
        settings: { store_id: "store-a", kiosk_id: "a1", endpoint: collector.url, token: collector.kiosks.a1, sync_interval_ms: 1_000 },
      });
      await heartbeat(collector, "a2");
      await heartbeat(collector, "b1");
      await signIn(page, collector, "boss", undefined, "/dashboard/?view=kiosks");
      const row = (kiosk) => page.locator(".kiosks-table tr", { has: page.getByRole("rowheader", { name: kiosk, exact: true }) });
      await expect(row("a1").locator("td").nth(4)).toHaveText("0.1.0");
      await expect(row("a1").locator("td").nth(7)).toHaveText("OK");
      // kiosk-e2e of store-e2e never reported.
      await expect(page.getByText("1 of 4 kiosks is silent.")).toBeVisible();
      await expectAccessible(page);

      // a2 falls silent; a1 and b1 keep reporting.
      await kioskPage.close();
      await page.waitForTimeout(19_000); // past the 18 s silence limit
      await heartbeat(collector, "a1");
      await heartbeat(collector, "b1");
      await page.reload();
      await expect(row("a2").locator("td").nth(7)).toHaveText("Silent");
      await expect(row("a2")).toHaveClass(/silent/);
      await expect(row("a1").locator("td").nth(7)).toHaveText("OK");
      await page.getByRole("button", { name: "Overview" }).click();
      await expect(page.getByText("2 of 4 kiosks are silent.")).toBeVisible();
    });

    test("a session ends when idle, and a disabled account is signed out", async ({ page }) => {
      collector = await seededCollector(engine, pg, ["--session-idle-minutes", "0.05"]);
      account(collector, "boss", "--all-stores");
      account(collector, "carol", "--all-stores");
      await signIn(page, collector, "boss");
      await expect(page.getByText("Signed in as boss")).toBeVisible();
      await page.waitForTimeout(3_500);
      await page.getByRole("button", { name: "Last 30 days" }).click();
      await expect(page.getByText("Your session has ended: sign in again")).toBeVisible();
      await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();

      await page.getByLabel("Username").fill("carol");
      await page.getByLabel("Password").fill("correct horse battery");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByText("Signed in as carol")).toBeVisible();
      collector.command("user", "disable", "carol");
      await page.getByRole("button", { name: "Kiosks" }).click();
      await expect(page.getByText("Your session has ended: sign in again")).toBeVisible();
      await page.getByLabel("Username").fill("carol");
      await page.getByLabel("Password").fill("correct horse battery");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByRole("alert")).toHaveText("Wrong username or password");
    });

    test("five wrong passwords lock the account, and the dashboard works with a keyboard alone", async ({ page }) => {
      collector = await seededCollector(engine, pg);
      account(collector, "boss", "--all-stores");
      await page.goto(`${collector.url}/dashboard/`);
      await expect(page.getByLabel("Username")).toBeVisible();
      await page.keyboard.press("Tab");
      await expect(page.getByLabel("Username")).toBeFocused();
      await page.keyboard.type("boss");
      await page.keyboard.press("Tab");
      await page.keyboard.type("correct horse battery");
      await page.keyboard.press("Enter");
      await expect(page.getByText("Signed in as boss")).toBeVisible();
      await page.getByRole("button", { name: "Kiosks" }).focus();
      await page.keyboard.press("Enter");
      await expect(page).toHaveURL(/view=kiosks/);
      await page.getByRole("button", { name: "Sign out" }).focus();
      await page.keyboard.press("Enter");

      for (let i = 0; i < 5; i++) {
        await page.getByLabel("Username").fill("boss");
        await page.getByLabel("Password").fill(`wrong ${i}`);
        const answered = page.waitForResponse("**/v1/session");
        await page.getByRole("button", { name: "Sign in" }).click();
        expect((await answered).status()).toBe(401);
        await expect(page.getByRole("alert")).toHaveText("Wrong username or password");
      }
      await page.getByLabel("Password").fill("correct horse battery");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByRole("alert")).toHaveText(/Too many failed sign-ins: try again in 15 minutes/);

      await collector.stop();
      await page.getByLabel("Password").fill("correct horse battery");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByRole("alert")).toHaveText("The collector cannot be reached");
    });
  });
}
