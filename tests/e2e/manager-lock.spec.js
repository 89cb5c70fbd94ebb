// The manager view is locked whenever it is left: Close, the two-minute
// auto-close, Back and Forward with the back/forward cache on (Playwright
// turns the cache off by default; these tests turn it back on), a hidden
// page. One PIN lock covers every PIN entry in every tab, and damaged
// settings never reopen a free setup.
import { test, expect, openKiosk, openManager, PIN } from "./kiosk.js";

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    ignoreDefaultArgs: ["--disable-back-forward-cache"],
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  },
});

const managerView = (page) => page.getByRole("heading", { name: "Manager view" });
const csvButton = (page) => page.getByRole("button", { name: "Download CSV" });

/** Notes in sessionStorage each time the back/forward cache restores a page. */
async function watchRestores(page) {
  await page.addInitScript(() => {
    addEventListener("pageshow", (e) => {
      if (e.persisted) sessionStorage.setItem("restored", String(Number(sessionStorage.getItem("restored") ?? 0) + 1));
    });
  });
}

test("Back after Close shows the customer screen, never the unlocked view", async ({ page }) => {
  await watchRestores(page);
  await openKiosk(page);
  await openManager(page);
  await page.getByRole("button", { name: "Close" }).click();
  await expect(page.getByRole("radiogroup", { name: "Friendliness" })).toBeVisible();

  await page.goBack();
  await expect(page.getByRole("radiogroup", { name: "Friendliness" }).or(page.getByLabel("PIN"))).toBeVisible();
  await expect(managerView(page)).toHaveCount(0);
  await expect(csvButton(page)).toHaveCount(0);
  await page.goForward().catch(() => {});
  await expect(managerView(page)).toHaveCount(0);
});

test("Back then Forward (Android's back button) brings the PIN pad, not the view", async ({ page }) => {
  await watchRestores(page);
  await openKiosk(page);
  await openManager(page);
  // The system back button: history navigation, no Close.
  await page.evaluate(() => history.back());
  await expect(page.getByRole("radiogroup", { name: "Friendliness" })).toBeVisible();
  await page.goForward();
  await expect(page.getByLabel("PIN")).toBeVisible();
  await expect(managerView(page)).toHaveCount(0);
  await expect(csvButton(page)).toHaveCount(0);
  // And the PIN still opens it.
  await page.getByLabel("PIN").fill(PIN);
  await page.getByRole("button", { name: "Open" }).click();
  await expect(managerView(page)).toBeVisible();
});

test("a view restored from the back/forward cache is locked and drops what it showed", async ({ page }) => {
  await openKiosk(page);
  await openManager(page);
  await expect(csvButton(page)).toBeVisible();
  // What the browser does around the cache, in order.
  await page.evaluate(() => {
    dispatchEvent(new PageTransitionEvent("pagehide", { persisted: true }));
  });
  await expect(managerView(page)).toHaveCount(0);
  await expect(page.getByLabel("PIN")).toBeVisible();
  const reloaded = page.waitForEvent("load");
  await page.evaluate(() => dispatchEvent(new PageTransitionEvent("pageshow", { persisted: true })));
  await reloaded;
  await expect(page.getByLabel("PIN")).toBeVisible();
  await expect(managerView(page)).toHaveCount(0);
});

test("a hidden manager view locks itself", async ({ page }) => {
  await openKiosk(page);
  await openManager(page);
  await page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
    document.dispatchEvent(new Event("visibilitychange", { bubbles: true }));
  });
  await expect(managerView(page)).toHaveCount(0);
  await expect(page.getByLabel("PIN")).toBeVisible();
});

test("after the two-minute auto-close, Back and Forward never show the view", async ({ page }) => {
  await page.clock.install();
  await openKiosk(page);
  await openManager(page);
  await page.clock.fastForward(121_000);
  await expect(page.getByRole("radiogroup", { name: "Friendliness" })).toBeVisible();
  await page.goBack();
  await expect(managerView(page)).toHaveCount(0);
  await page.goForward().catch(() => {});
  await expect(managerView(page)).toHaveCount(0);
  await expect(csvButton(page)).toHaveCount(0);
});

test("one PIN lock for the pad and the change-PIN form, across tabs", async ({ page, context }) => {
  await openKiosk(page);
  await openManager(page);
  const pinHash = () => page.evaluate(() => JSON.parse(localStorage.getItem("fk1.kiosk")).manager_pin.hash);
  const before = await pinHash();
  const changePin = async (current) => {
    await page.getByLabel("Current PIN").fill(current);
    await page.getByLabel("New manager PIN").fill("8642");
    await page.getByLabel("Repeat the PIN").fill("8642");
    await page.getByRole("button", { name: "Change PIN" }).click();
  };
  // Wrong current PINs in the change-PIN form count like wrong PINs on the pad...
  for (let left = 4; left >= 1; left--) {
    await changePin("1111");
    const tries = left === 1 ? "1 try" : `${left} tries`;
    await expect(page.getByText(`The current PIN is wrong. Wrong PIN. ${tries} left before the pad locks.`)).toBeVisible();
  }
  await changePin("1112");
  await expect(page.getByText(/Too many wrong PINs\. Try again in [45]:\d\d\./)).toBeVisible();
  // ...and lock it: now even the right PIN changes nothing.
  await changePin(PIN);
  await expect(page.getByText(/Too many wrong PINs/)).toBeVisible();
  expect(await pinHash()).toBe(before);

  // The same lock holds on every tab's pad.
  const other = await context.newPage();
  await other.goto("/manager/");
  await expect(other.getByRole("alert")).toHaveText(/Too many wrong PINs/);
  await expect(other.getByLabel("PIN")).toBeDisabled();
});

test("wrong PINs on two tabs' pads add up to one lock", async ({ page, context }) => {
  await openKiosk(page);
  await page.goto("/manager/");
  const other = await context.newPage();
  await other.goto("/manager/");
  for (const [tab, left] of [[page, 4], [other, 3], [page, 2], [other, 1]]) {
    await tab.bringToFront();
    await tab.getByLabel("PIN").fill("1111");
    await tab.getByRole("button", { name: "Open" }).click();
    const tries = left === 1 ? "1 try" : `${left} tries`;
    await expect(tab.getByRole("alert")).toHaveText(`Wrong PIN. ${tries} left before the pad locks.`);
  }
  await page.bringToFront();
  await page.getByLabel("PIN").fill("1111");
  await page.getByRole("button", { name: "Open" }).click();
  await expect(page.getByRole("alert")).toHaveText(/Too many wrong PINs/);
  // The other tab sees the lock within a second, and the right PIN does not open it.
  await other.bringToFront();
  await expect(other.getByLabel("PIN")).toBeDisabled();
  await expect(other.getByRole("alert")).toHaveText(/Too many wrong PINs/);
});

test("damaged settings take the kiosk out of service; only the PIN or kiosk.json bring it back", async ({ page }) => {
  await openKiosk(page);
  await page.evaluate(() => localStorage.setItem("fk1.kiosk", "{damaged"));
  await page.reload();
  await expect(page.getByRole("heading", { name: "Out of service: please call the manager" })).toBeVisible();
  await expect(page.getByRole("radiogroup", { name: "Friendliness" })).toHaveCount(0);

  // Anyone at the kiosk: the manager page asks for the PIN, no free setup.
  await page.goto("/manager/");
  await expect(page.getByLabel("PIN")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Set up this kiosk" })).toHaveCount(0);
  await page.getByLabel("PIN").fill("1111");
  await page.getByRole("button", { name: "Open" }).click();
  await expect(page.getByRole("alert")).toHaveText(/Wrong PIN/);
  await page.getByLabel("PIN").fill(PIN);
  await page.getByRole("button", { name: "Open" }).click();
  await expect(page.getByRole("heading", { name: "Set up this kiosk" })).toBeVisible();
  await page.getByLabel("New manager PIN").fill("5555");
  await page.getByLabel("Repeat the PIN").fill("5555");
  await page.getByRole("button", { name: "Start kiosk" }).click();
  await expect(page.getByRole("radiogroup", { name: "Friendliness" })).toBeVisible();

  // Damaged with no PIN left at all: out of service until kiosk.json changes.
  await page.evaluate(() => {
    localStorage.setItem("fk1.kiosk", "[1");
    localStorage.removeItem("fk1.pin");
  });
  await page.goto("/manager/");
  await expect(page.getByText(/settings are damaged/)).toBeVisible();
  await expect(page.getByLabel("PIN")).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Set up this kiosk" })).toHaveCount(0);
  await page.context().unroute("**/kiosk.json");
  await openKiosk(page, { settings: { store_id: "store-new" } });
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem("fk1.kiosk")));
  expect(stored.store_id).toBe("store-new");
});
