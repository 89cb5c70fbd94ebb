// Benchmark: time from navigation to an interactive customer screen when the
// kiosk starts from its service worker cache (the server is stopped), in
// headless Chromium, without and with 4x CPU throttling.
//
//   node scripts/bench-startup.mjs [dist]
//
// Run by `make bench` after the release build. The figure is
// performance.now() in the new page when the first factor's radio group
// appears (its handlers are attached as it is created), median of 15 loads.
import { spawn } from "node:child_process";
import { chromium } from "@playwright/test";
import { freePort } from "../tests/e2e/collector.js";

const dist = process.argv[2] ?? "dist";
const RUNS = 15;


const port = await freePort();
const server = spawn("node", ["tests/e2e/static-server.mjs", dist, String(port)], { stdio: ["ignore", "pipe", "ignore"] });
await new Promise((resolve) => server.stdout.once("data", resolve));
const url = `http://127.0.0.1:${port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.route("**/kiosk.json", (route) =>
    route.fulfill({ contentType: "application/json", body: JSON.stringify({ store_id: "bench", kiosk_id: "bench-1" }) }),
  );
  // First start online: set up, let the service worker cache everything.
  await page.goto(url);
  await page.getByLabel("New manager PIN").fill("2468");
  await page.getByLabel("Repeat the PIN").fill("2468");
  await page.getByRole("button", { name: "Start kiosk" }).click();
  await page.getByRole("radiogroup", { name: "Friendliness" }).waitFor();
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  await page.unroute("**/kiosk.json");

  // The outage: nothing answers on the network any more.
  server.kill();
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector('[role="radiogroup"] input')) {
        window.__ready = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const cdp = await page.context().newCDPSession(page);
  for (const rate of [1, 4]) {
    await cdp.send("Emulation.setCPUThrottlingRate", { rate });
    const times = [];
    for (let i = 0; i < RUNS + 1; i++) {
      await page.goto(url);
      const ready = await page.waitForFunction(() => window.__ready, null, { polling: 10 });
      if (i > 0) times.push(await ready.jsonValue()); // The first load warms up.
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    console.log(
      `start from the service worker cache, CPU ${rate === 1 ? "unthrottled" : `throttled ${rate}x`}: ` +
        `median ${median.toFixed(0)} ms to an interactive customer screen (best ${times[0].toFixed(0)}, worst ${times.at(-1).toFixed(0)}, ${RUNS} loads)`,
    );
  }
} finally {
  await browser.close();
  server.kill();
}
