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
  // Wrong current PINs in the change-PIN form count against the lock...
  for (let i = 0; i < 3; i++) {
    await page.getByLabel("Current PIN").fill("1111");
    await page.getByLabel("New manager PIN").fill("8642");
    await page.getByLabel("Repeat the PIN").fill("8642");
    await page.getByRole("button", { name: "Change PIN" }).click();
    await expect(page.getByText(`The current PIN is wrong. Wrong PIN. ${4 - i}`)).toBeVisible();
  }
  // ...and so do wrong PINs on another tab's pad.
  const other = await context.newPage();
  await other.goto("/manager/");
  await other.getByLabel("PIN").fill("1111");
  await other.getByRole("button", { name: "Open" }).click();
  await expect(other.getByRole("alert")).toHaveText("Wrong PIN. 1 try left before the pad locks.");
  await other.getByLabel("PIN").fill("1112");
  await other.getByRole("button", { name: "Open" }).click();
  await expect(other.getByRole("alert")).toHaveText(/Too many wrong PINs/);

  // Now the change-PIN form is locked too, even with the right PIN.
  await page.getByLabel("Current PIN").fill(PIN);
  await page.getByRole("button", { name: "Change PIN" }).click();
  await expect(page.getByText(/Too many wrong PINs\. Try again in 4:[45]\d\./)).toBeVisible();
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem("fk1.kiosk")).manager_pin.hash);
  // A third tab's pad shows the lock at once.
  const third = await context.newPage();
  await third.goto("/manager/");
  await expect(third.getByLabel("PIN")).toBeDisabled();
  expect(await page.evaluate(() => JSON.parse(localStorage.getItem("fk1.kiosk")).manager_pin.hash)).toBe(stored);
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
