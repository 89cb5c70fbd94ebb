// Benchmark: the dashboard in headless Chromium against a collector that
// holds a chain's year (started by crates/collector/examples/bench_reports.rs,
// which runs this): time from navigation until the data is shown, median of
// 5 loads each, signed in.
//
//   node scripts/bench-dashboard.mjs <collector url> <username> <password>
//
// - overview, last 30 days: until every store's row is in the table;
// - a store's page for the year: until the summary table, the trend, the
//   heat map, the comments and the kiosks are all shown.
import { chromium } from "@playwright/test";

const [url, username, password] = process.argv.slice(2);
const RUNS = 5;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${url}/dashboard/`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText(`Signed in as ${username}`).waitFor();

  const cases = [
    ["overview, every store, last 30 days", "?view=overview&period=30d", async () => {
      await page.waitForFunction(() => document.querySelectorAll(".overview-table tbody tr").length >= 500, null, {
        timeout: 60_000,
      });
    }],
    ["store page, one store, a year", "?view=store&store=store-7&from=2026-01-01&to=2026-12-31&by=week", async () => {
      for (const selector of [".factors-table", ".trend svg", ".heat-map td.heat", ".comments li", ".kiosks-table tbody tr"]) {
        await page.locator(selector).first().waitFor({ timeout: 60_000 });
      }
    }],
  ];
  for (const [name, query, shown] of cases) {
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      await page.goto("about:blank");
      const started = Date.now();
      await page.goto(`${url}/dashboard/${query}`);
      await shown();
      times.push(Date.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(`dashboard ${name}: ready in median ${times[RUNS >> 1]} ms from navigation (of ${RUNS})`);
  }
} finally {
  await browser.close();
}
