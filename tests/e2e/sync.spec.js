// Every response reaches the real collector exactly once, whatever the
// network does: offline, collector down, collector killed mid-sync, a slow
// collector, a refused item.
import { readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { test, expect, openKiosk, face, storedResponses, queueResponses, PIN } from "./kiosk.js";
import { Collector, Proxy } from "./collector.js";

// Failed requests are expected here: Chromium logs each one as a console error.
test.use({ expectedConsoleErrors: /Failed to load resource|net::ERR_/ });

let collector;
test.beforeEach(async () => {
  collector = await Collector.start();
});
test.afterEach(async () => {
  await collector?.dispose();
});

const fast = { sync_interval_ms: 60_000, sync_timeout_ms: 15_000 };

async function submit(page, ratings) {
  for (const [factor, rating] of Object.entries(ratings)) await face(page, factor, rating).tap();
  await page.getByRole("button", { name: "Send" }).tap();
  await expect(page.getByRole("heading", { name: "Thank you!" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Send" })).toBeVisible();
}

/** Ids the kiosk holds in each sync state. */
async function kioskIds(page) {
  const stored = await storedResponses(page);
  const by = (state) => stored.filter((r) => r.state === state).map((r) => r.id).sort();
  return { pending: by("p"), synced: by("s"), rejected: by("r"), all: stored.map((r) => r.id).sort() };
}

/** Waits until the collector holds `count` rows and the kiosk has nothing pending. */
async function expectDrained(page, count, timeout = 30_000) {
  await expect.poll(() => collector.ids().length, { timeout }).toBe(count);
  await expect.poll(async () => (await kioskIds(page)).pending.length, { timeout }).toBe(0);
}

/**
 * Serves the app's own files from dist/ inside the browser, so a reload
 * works with the network down, as the offline app shell will in production.
 * The collector's API is never served this way.
 */
async function serveShellFromDist(page) {
  const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".svg": "image/svg+xml" };
  await page.route(
    (url) => !url.pathname.startsWith("/v1/") && url.pathname !== "/kiosk.json",
    async (route) => {
      const path = new URL(route.request().url()).pathname;
      const file = join("dist", path.endsWith("/") ? `${path}index.html` : path);
      try {
        await route.fulfill({ body: await readFile(file), contentType: types[extname(file)] ?? "application/octet-stream" });
      } catch {
        await route.fulfill({ status: 404 });
      }
    },
  );
}

test("responses given offline, across a reload, arrive once when the network returns, without a reload", async ({
  page,
  context,
}) => {
  await serveShellFromDist(page);
  await openKiosk(page, { url: collector.url, cooldownMs: 300, settings: { token: collector.token, ...fast } });

  await context.setOffline(true);
  await submit(page, { Speed: 2, Hygiene: 5 });
  await submit(page, { Friendliness: 4 });
  await page.reload();
  await expect(page.getByRole("radiogroup", { name: "Speed" })).toBeVisible();
  await submit(page, { Comfort: 1, Security: 3 });
  // Nothing got through while offline, and nothing was lost by the reload.
  expect(collector.ids()).toEqual([]);
  const offline = await kioskIds(page);
  expect(offline.pending).toHaveLength(3);

  await context.setOffline(false);
  await expectDrained(page, 3);
  expect(collector.ids().sort()).toEqual(offline.all);
  const sync = await page.evaluate(() => JSON.parse(localStorage.getItem("fk1.sync")));
  expect(sync.last_success_at).toBeGreaterThan(0);
  expect(sync.last_problem).toBeNull();
});

test("responses given while the collector is down arrive once after it restarts", async ({ page }) => {
  await openKiosk(page, { url: collector.url, cooldownMs: 300, settings: { token: collector.token, ...fast } });
  await collector.stop();

  await submit(page, { Speed: 5 });
  await submit(page, { Speed: 4, Comfort: 4 });
  await submit(page, { Hygiene: 1 });
  // The browser still believes it is online; the failed request is what counts.
  await expect
    .poll(() => page.evaluate(() => JSON.parse(localStorage.getItem("fk1.sync") ?? "{}").last_problem))
    .toBe("unreachable");
  expect((await kioskIds(page)).pending).toHaveLength(3);

  await collector.start();
  await expectDrained(page, 3);
  expect(collector.ids().sort()).toEqual((await kioskIds(page)).all);

  // The manager sees it: everything synced, when, and no problem left.
  await page.getByRole("button", { name: "Manager" }).click();
  await page.getByLabel("PIN").fill(PIN);
  await page.getByRole("button", { name: "Open" }).click();
  await expect(page.getByRole("status").filter({ hasText: "synced" })).toHaveText("All synced");
  await expect(page.getByText(/^Last sync: \d{4}-\d\d-\d\d \d\d:\d\d$/)).toBeVisible();
  await expect(page.getByText(/^Last problem/)).toHaveCount(0);
  await page.getByRole("button", { name: "Sync now" }).click();
  await expect(page.getByRole("status").filter({ hasText: "synced" })).toHaveText("All synced");
});

test("a collector killed while 2,000 queued responses sync loses none and stores none twice", async ({ page }) => {
  const queued = await queueResponses(page, 2000);
  const posts = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && request.url().endsWith("/v1/responses")) posts.push(request);
  });
  // Batches of 100, so the kill lands with most of the queue still to go.
  await openKiosk(page, { url: collector.url, settings: { token: collector.token, sync_batch: 100, ...fast } });

  // Kill it without warning as the second batch is on its way.
  await expect.poll(() => posts.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
  await collector.kill();
  const before = collector.ids().length;
  expect(before).toBeLessThan(2000);

  await collector.start();
  await expectDrained(page, 2000, 45_000);
  const ids = collector.ids();
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.sort()).toEqual([...queued].sort());
  const kiosk = await kioskIds(page);
  expect(kiosk.synced).toHaveLength(2000);
});

test("a collector slower than the kiosk's timeout, for several batches, stores nothing twice", async ({ page }) => {
  const proxy = await Proxy.start(collector);
  try {
    const queued = await queueResponses(page, 30);
    // Batches of 10; the first three replies arrive after the kiosk gave up.
    proxy.hold(3, 2_500);
    await openKiosk(page, {
      url: proxy.url,
      settings: { token: collector.token, sync_batch: 10, sync_timeout_ms: 1_000, sync_interval_ms: 60_000 },
    });
    await expectDrained(page, 30, 45_000);
    const ids = collector.ids();
    expect(ids.sort()).toEqual([...queued].sort());
    // The late replies were real: the same responses came again and were
    // recognised as duplicates, not stored twice.
    const duplicates = proxy.replies.flatMap((r) => (r.body ? JSON.parse(r.body).duplicates : []));
    expect(duplicates.length).toBeGreaterThan(0);
    const sync = await page.evaluate(() => JSON.parse(localStorage.getItem("fk1.sync")));
    expect(sync.last_problem).toBeNull();
  } finally {
    await proxy.close();
  }
});

test("a response the collector refuses is set aside with its reason and the rest still arrive", async ({ page }) => {
  const proxy = await Proxy.start(collector);
  try {
    const queued = await queueResponses(page, 12);
    // Something between kiosk and collector damages one item of the first batch.
    let damaged = null;
    proxy.rewrite((batch) => {
      if (damaged === null) {
        damaged = batch.responses[5].id;
        batch.responses[5].ratings.speed = 9;
      }
      return batch;
    });
    await openKiosk(page, { url: proxy.url, settings: { token: collector.token, sync_batch: 10, ...fast } });

    await expectDrained(page, 11);
    const kiosk = await kioskIds(page);
    expect(kiosk.rejected).toEqual([damaged]);
    expect(kiosk.synced).toHaveLength(11);
    expect(collector.ids().sort()).toEqual(queued.filter((id) => id !== damaged).sort());
    const reasons = await page.evaluate(() => JSON.parse(localStorage.getItem("fk1.rejects")));
    expect(reasons[damaged]).toContain("outside 1 to 5");
  } finally {
    await proxy.close();
  }
});

test("a refused token is not hammered, and a new one sends everything waiting", async ({ page }) => {
  await openKiosk(page, { url: collector.url, cooldownMs: 300, settings: { token: collector.token, ...fast } });
  await submit(page, { Speed: 3 });
  await expectDrained(page, 1);

  collector.command("token", "revoke", "1");
  await submit(page, { Speed: 4 });
  await expect
    .poll(() => page.evaluate(() => JSON.parse(localStorage.getItem("fk1.sync") ?? "{}").last_problem))
    .toBe("token_rejected 401");
  let posts = 0;
  page.on("request", (r) => r.method() === "POST" && posts++);
  await submit(page, { Speed: 5 });
  await page.waitForTimeout(2_500);
  expect(posts, "a refused token is tried again slowly, not after every customer").toBe(0);
  expect(collector.ids()).toHaveLength(1);

  // A new token (the kiosk reads its settings at start) sends everything waiting.
  const fresh = collector.command("token", "create", "--kiosk", "kiosk-e2e", "--store", "store-e2e").trim();
  await page.context().unroute("**/kiosk.json");
  await openKiosk(page, { url: collector.url, settings: { token: fresh, ...fast } });
  await expectDrained(page, 3);
});

test("a collector on the wrong database for five seconds: sync resumes at Sync now and at start", async ({
  page,
}) => {
  await openKiosk(page, { url: collector.url, cooldownMs: 300, settings: { token: collector.token, ...fast } });
  await submit(page, { Speed: 3 });
  await expectDrained(page, 1);

  // An operator restarts the collector on the wrong file: every token is unknown.
  const wrongDb = join(collector.dir, "wrong.sqlite");
  await collector.stop();
  await collector.start({ db: wrongDb });
  await submit(page, { Speed: 4 });
  await expect
    .poll(() => page.evaluate(() => JSON.parse(localStorage.getItem("fk1.sync") ?? "{}").last_problem))
    .toBe("token_rejected 401");
  // The manager view says what happens; once the right database is back,
  // "Sync now" resumes at once.
  await page.getByRole("button", { name: "Manager" }).click();
  await page.getByLabel("PIN").fill(PIN);
  await page.getByRole("button", { name: "Open" }).click();
  await expect(page.getByText(/refused the kiosk token\. Trying again every 15 minutes/)).toBeVisible();
  await page.waitForTimeout(5_000);
  await collector.stop();
  await collector.start();
  expect(collector.ids()).toHaveLength(1);
  await page.getByRole("button", { name: "Sync now" }).click();
  await expectDrained(page, 2);
  await expect(page.getByText("All synced")).toBeVisible();
  await page.getByRole("button", { name: "Close" }).click();

  // Again, and this time a reload (a restarted kiosk) resumes.
  await collector.stop();
  await collector.start({ db: wrongDb });
  await submit(page, { Speed: 5 });
  await expect
    .poll(() => page.evaluate(() => JSON.parse(localStorage.getItem("fk1.sync") ?? "{}").last_problem))
    .toBe("token_rejected 401");
  await collector.stop();
  await collector.start();
  await page.reload();
  await expectDrained(page, 3);
});

test("with nobody there, a refused token is tried again after 15 minutes, not before", async ({ page }) => {
  await page.clock.install();
  await openKiosk(page, { url: collector.url, cooldownMs: 300, settings: { token: collector.token, ...fast } });
  const wrongDb = join(collector.dir, "wrong.sqlite");
  await collector.stop();
  await collector.start({ db: wrongDb });
  await submit(page, { Speed: 2 });
  await page.clock.runFor(2_000);
  await expect
    .poll(() => page.evaluate(() => JSON.parse(localStorage.getItem("fk1.sync") ?? "{}").last_problem))
    .toBe("token_rejected 401");
  await collector.stop();
  await collector.start();
  // The every-minute check does not hammer a collector that refused the token...
  await page.clock.runFor(14 * 60_000);
  expect(collector.ids(), "not before 15 minutes").toHaveLength(0);
  // ...but after 15 minutes the kiosk tries again by itself, and all arrives.
  await page.clock.runFor(61_000);
  await expect.poll(() => collector.ids().length).toBe(1);
  await expect.poll(async () => (await kioskIds(page)).pending.length).toBe(0);
});

test("server errors are retried with backoff until the collector recovers", async ({ page }) => {
  const proxy = await Proxy.start(collector);
  try {
    const queued = await queueResponses(page, 5);
    proxy.fail(503, 500, 502);
    await openKiosk(page, { url: proxy.url, settings: { token: collector.token, ...fast } });
    await expectDrained(page, 5);
    expect(collector.ids().sort()).toEqual([...queued].sort());
    expect(proxy.replies.map((r) => r.status)).toEqual([503, 500, 502, 200]);
  } finally {
    await proxy.close();
  }
});

test("a batch too large for the collector is halved until it fits", async ({ page }) => {
  const proxy = await Proxy.start(collector);
  try {
    const queued = await queueResponses(page, 40);
    proxy.limit(10);
    await openKiosk(page, { url: proxy.url, settings: { token: collector.token, sync_batch: 40, ...fast } });
    await expectDrained(page, 40);
    expect(collector.ids().sort()).toEqual([...queued].sort());
    const refused = proxy.replies.filter((r) => r.status === 413).map((r) => r.items);
    expect(refused).toEqual([40, 20]);
    const accepted = proxy.replies.filter((r) => r.status === 200).length;
    expect(accepted).toBe(4);
  } finally {
    await proxy.close();
  }
});

test("a kiosk enrolls once with a one-time code; no token ever travels in kiosk.json", async ({ page }) => {
  const code = collector.command("kiosk", "enroll", "--store", "store-e2e", "--kiosk", "kiosk-e2e").trim();
  await openKiosk(page, { url: collector.url, cooldownMs: 300, settings: { enrollment_code: code, ...fast } });
  await expect
    .poll(() => page.evaluate(() => JSON.parse(localStorage.getItem("fk1.kiosk")).token))
    .toMatch(/^fkk_/);
  expect(await page.evaluate(() => JSON.parse(localStorage.getItem("fk1.kiosk")).enrollment_code)).toBe("");
  await submit(page, { Speed: 4 });
  await expectDrained(page, 1);

  // The code was good for one exchange only.
  const again = await page.request.post(`${collector.url}/v1/enrollments`, { data: { code } });
  expect(again.status()).toBe(400);
});
