// Benchmark: how long a kiosk in headless Chromium takes to deliver 10,000
// queued responses to the real collector on loopback.
//
//   COLLECTOR_BIN=target/server/feedback-collector node scripts/bench-drain.mjs [count]
//
// Run by `make bench` after `trunk build --release`.
import { chromium } from "@playwright/test";
import { Collector } from "../tests/e2e/collector.js";
import { queueResponses, setUpKiosk } from "../tests/e2e/seed.js";

const count = Number(process.argv[2] ?? 10_000);
const runs = 3;

async function drainOnce() {
  const collector = await Collector.start();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  try {
    const page = await browser.newPage();
    await setUpKiosk(page, { token: collector.token });
    await queueResponses(page, count);
    await page.route("**/kiosk.json", (route) =>
      route.fulfill({
        contentType: "application/json",
        body: JSON.stringify({ store_id: "store-e2e", kiosk_id: "kiosk-e2e", token: collector.token }),
      }),
    );
    let first = null;
    let last = null;
    let requests = 0;
    page.on("request", (request) => {
      if (request.method() === "POST" && request.url().endsWith("/v1/responses")) {
        first ??= performance.now();
        requests += 1;
      }
    });
    page.on("requestfinished", (request) => {
      if (request.method() === "POST" && request.url().endsWith("/v1/responses")) last = performance.now();
    });
    const start = performance.now();
    await page.goto(collector.url);
    // Done when the kiosk holds no pending record.
    await page.waitForFunction(
      () =>
        Object.keys(localStorage)
          .filter((key) => key.startsWith("fk1.c."))
          .every((key) => !/\npc|\npi/.test(localStorage.getItem(key))),
      null,
      { polling: 20, timeout: 120_000 },
    );
    const done = performance.now();
    const stored = collector.ids().length;
    if (stored !== count) throw new Error(`collector holds ${stored} responses, expected ${count}`);
    return { fromNavigation: done - start, firstToLast: last - first, requests };
  } finally {
    await browser.close();
    await collector.dispose();
  }
}

const results = [];
for (let i = 0; i < runs; i++) results.push(await drainOnce());
results.sort((a, b) => a.fromNavigation - b.fromNavigation);
const median = results[Math.floor(runs / 2)];
console.log(
  `drain ${count} responses: ${(median.fromNavigation / 1000).toFixed(2)} s from navigation to nothing pending ` +
    `(median of ${runs}; first request to last reply ${(median.firstToLast / 1000).toFixed(2)} s, ` +
    `${median.requests} requests)`,
);
