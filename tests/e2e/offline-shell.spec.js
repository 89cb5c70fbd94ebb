// The kiosk survives outages and reboots: it starts from its own cache with
// the server gone, updates only between customers, and runs under its
// Content Security Policy.
//
// Playwright's setOffline does not cut a service worker's own requests, so
// outages here are real: the server that served the app is stopped.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test, expect, openKiosk, face, storedResponses } from "./kiosk.js";
import { Collector, freePort } from "./collector.js";

test.use({ expectedConsoleErrors: /Failed to load resource|net::ERR_/ });

async function controlled(page) {
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 15_000 }).toBe(true);
}

/** Serves `dir` like the test server does, on `port`, until stopped. */
async function serve(dir, port) {
  const proc = spawn("node", ["tests/e2e/static-server.mjs", dir, String(port)], { stdio: ["ignore", "pipe", "ignore"] });
  await new Promise((resolve) => proc.stdout.once("data", resolve));
  const exited = new Promise((resolve) => proc.once("exit", resolve));
  // Stopping twice is fine: the second call finds it gone.
  return { stop: () => (proc.kill(), exited) };
}

test("started once online, the kiosk restarts and takes feedback with the server gone, then syncs", async ({ page }) => {
  const collector = await Collector.start();
  try {
    await openKiosk(page, { url: collector.url, cooldownMs: 300, settings: { token: collector.token } });
    await controlled(page);
    await collector.stop();

    // The tablet reboots during the outage: the page loads from the cache.
    await page.reload();
    await expect(page.getByRole("radiogroup", { name: "Speed" })).toBeVisible();
    await face(page, "Speed", 4).tap();
    await page.getByRole("button", { name: "Send" }).tap();
    await expect(page.getByRole("heading", { name: "Thank you!" })).toBeVisible();
    expect((await storedResponses(page)).filter((r) => r.state === "p")).toHaveLength(1);

    // Even the manager page opens offline.
    await page.getByRole("button", { name: "Manager" }).click();
    await expect(page.getByLabel("PIN")).toBeVisible();
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByRole("radiogroup", { name: "Speed" })).toBeVisible();

    await collector.start();
    await expect.poll(() => collector.ids().length, { timeout: 30_000 }).toBe(1);
  } finally {
    await collector.dispose();
  }
});

test("a new version waits until the next idle reset and loses no half-filled response", async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), "fk-update-"));
  cpSync("dist", dir, { recursive: true });
  const port = await freePort();
  const server = await serve(dir, port);
  try {
    await openKiosk(page, { url: `http://127.0.0.1:${port}/`, idleMs: 8_000 });
    await controlled(page);
    await face(page, "Speed", 4).tap();

    // Deploy a new version: a changed page, a new service worker.
    const index = join(dir, "index.html");
    writeFileSync(index, readFileSync(index, "utf8").replace("<head>", '<head><meta name="kiosk-build" content="next" />'));
    execFileSync("node", ["scripts/sw.mjs", dir]);
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => !!r.waiting)))
      .toBe(true);

    // It waits: the customer's half-filled response is still on the screen.
    await expect(face(page, "Speed", 4)).toBeChecked();
    expect(await page.locator('meta[name="kiosk-build"]').count()).toBe(0);

    // The customer walks away: their response is kept, then the new version takes over.
    await expect(page.locator('meta[name="kiosk-build"]')).toHaveCount(1, { timeout: 20_000 });
    await expect(page.getByRole("radiogroup", { name: "Speed" })).toBeVisible();
    const stored = await storedResponses(page);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ complete: false, ratings: [0, 4, 0, 0, 0] });
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a broken new build never replaces a working one", async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), "fk-broken-"));
  cpSync("dist", dir, { recursive: true });
  const port = await freePort();
  const server = await serve(dir, port);
  try {
    await openKiosk(page, { url: `http://127.0.0.1:${port}/` });
    await controlled(page);
    const before = await page.evaluate(() => navigator.serviceWorker.controller.scriptURL);

    // A new build is deployed, but one of its files arrives damaged.
    const index = join(dir, "index.html");
    writeFileSync(index, readFileSync(index, "utf8").replace("<head>", '<head><meta name="kiosk-build" content="next" />'));
    execFileSync("node", ["scripts/sw.mjs", dir]);
    const css = readdirSync(dir).find((name) => name.endsWith(".css"));
    writeFileSync(join(dir, css), readFileSync(join(dir, css), "utf8") + "\n/* truncated");
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()).catch(() => {}));
    // Its install fails on the damaged file: nothing waits to take over.
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => !!(r.installing || r.waiting))))
      .toBe(false);
    await page.waitForTimeout(1_000);
    expect(await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => !!r.waiting))).toBe(false);

    // The working version keeps serving, even with the server gone.
    await server.stop();
    await page.reload();
    await expect(page.getByRole("radiogroup", { name: "Speed" })).toBeVisible();
    expect(await page.locator('meta[name="kiosk-build"]').count()).toBe(0);
    expect(await page.evaluate(() => navigator.serviceWorker.controller.scriptURL)).toBe(before);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a collector started with --retire-service-worker takes the offline shell away", async ({ page }) => {
  const collector = await Collector.start();
  try {
    await openKiosk(page, { url: collector.url });
    await controlled(page);
    expect(await page.evaluate(() => caches.keys())).not.toEqual([]);

    await collector.stop();
    await collector.start({ args: ["--retire-service-worker"] });
    // The next check for a new version finds the retiring script; it clears
    // up and reloads the page (which may end this evaluation).
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update())).catch(() => {});
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length)).catch(() => -1), {
        timeout: 20_000,
      })
      .toBe(0);
    await expect.poll(() => page.evaluate(() => caches.keys()).catch(() => ["?"])).toEqual([]);
    // The kiosk still runs, from the network.
    await page.reload();
    await expect(page.getByRole("radiogroup", { name: "Speed" })).toBeVisible();
    await page.waitForTimeout(1_000);
    await expect(page.getByRole("radiogroup", { name: "Speed" })).toBeVisible();
    expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(false);
    await expect.poll(() => page.evaluate(() => caches.keys())).toEqual([]);
  } finally {
    await collector.dispose();
  }
});

test("the Content Security Policy is sent and the app runs under it without violations", async ({ page }) => {
  const collector = await Collector.start();
  try {
    await page.addInitScript(() => {
      window.__violations = [];
      document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));
    });
    await openKiosk(page, { url: collector.url, cooldownMs: 300, settings: { token: collector.token } });
    // Each page's header is the policy its meta tag carries, plus no framing.
    for (const path of ["/manager/", "/"]) {
      const reply = await page.request.get(collector.url + path);
      const header = reply.headers()["content-security-policy"];
      expect(header).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-");
      expect(header).toContain("connect-src 'self'");
      expect(header).not.toContain("TRUNK_BOOTSTRAP_HASH");
      const meta = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(await reply.text())[1];
      // A meta tag cannot forbid framing; the header adds it.
      expect(header).toBe(`${meta}; frame-ancestors 'none'`);
    }

    await face(page, "Hygiene", 5).tap();
    await page.getByLabel("Anything to add?").fill("<script>alert(1)</script>");
    await page.getByRole("button", { name: "Send" }).tap();
    await expect.poll(() => collector.ids().length, { timeout: 15_000 }).toBe(1);
    await page.getByRole("button", { name: "Manager" }).click();
    await page.getByLabel("PIN").fill("2468");
    await page.getByRole("button", { name: "Open" }).click();
    await expect(page.getByText("<script>alert(1)</script>")).toBeVisible();
    expect(await page.evaluate(() => window.__violations)).toEqual([]);
  } finally {
    await collector.dispose();
  }
});

test("the kiosk installs as a full-screen app", async ({ page, request }) => {
  await openKiosk(page);
  const href = await page.locator('link[rel="manifest"]').getAttribute("href");
  const manifest = await (await request.get(href)).json();
  expect(manifest).toMatchObject({ display: "fullscreen", start_url: "/", theme_color: "#0b3d5c" });
  for (const icon of manifest.icons) {
    const reply = await request.get(icon.src);
    expect(reply.ok(), icon.src).toBe(true);
  }
  expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  // No long-press menu on the customer screen.
  const prevented = await page.evaluate(() => {
    const event = new MouseEvent("contextmenu", { bubbles: true, cancelable: true });
    document.querySelector("main").dispatchEvent(event);
    return event.defaultPrevented;
  });
  expect(prevented).toBe(true);
});
