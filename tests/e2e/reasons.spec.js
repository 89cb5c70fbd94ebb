// Reasons after a low score: offered under a face of 1 or 2, dropped with
// a higher face, kept with the response, synced to the collector, and
// named in the manager's summary.
import { test, expect, openKiosk, openManager, face, reasonsOf, storedResponses, expectAccessible } from "./kiosk.js";
import { Collector } from "./collector.js";

let collector;
test.beforeEach(async () => {
  collector = await Collector.start();
});
test.afterEach(async () => {
  await collector?.dispose();
});

const pressed = (group) => group.getByRole("button", { pressed: true });

test("a low face asks what went wrong; a higher one drops the answer; the reasons reach the collector and the summary", async ({
  page,
}) => {
  await openKiosk(page, {
    url: collector.url,
    cooldownMs: 300,
    settings: { token: collector.token, sync_interval_ms: 60_000 },
  });
  const speed = reasonsOf(page, "Speed");
  await expect(speed).toHaveCount(0);

  await face(page, "Speed", 1).tap();
  await expect(speed).toBeVisible();
  await expect(speed.getByRole("button")).toHaveText(["Long queue", "Slow checkout", "Not enough staff", "Hard to find things"]);
  await expect(pressed(speed)).toHaveCount(0);
  await speed.getByRole("button", { name: "Long queue" }).tap();
  await speed.getByRole("button", { name: "Slow checkout" }).tap();
  await speed.getByRole("button", { name: "Long queue" }).tap();
  await expect(pressed(speed)).toHaveText(["Slow checkout"]);
  await expectAccessible(page, { allowPinchZoomOff: true });

  // A higher face hides the reasons and drops the one chosen.
  await face(page, "Speed", 4).tap();
  await expect(speed).toHaveCount(0);
  await face(page, "Speed", 2).tap();
  await expect(pressed(speed)).toHaveCount(0);
  await speed.getByRole("button", { name: "Not enough staff" }).tap();
  await face(page, "Hygiene", 1).tap();
  await reasonsOf(page, "Hygiene").getByRole("button", { name: "Toilets" }).tap();
  await reasonsOf(page, "Hygiene").getByRole("button", { name: "Smell" }).tap();
  await face(page, "Comfort", 5).tap();
  await expect(reasonsOf(page, "Comfort")).toHaveCount(0);
  await page.getByRole("button", { name: "Send" }).tap();
  await expect(page.getByRole("heading", { name: "Thank you!" })).toBeVisible();

  // The next customer starts with no reasons shown.
  await expect(page.getByRole("button", { name: "Send" })).toBeVisible();
  await expect(page.getByRole("group", { name: "What went wrong?" })).toHaveCount(0);
  const [stored] = await storedResponses(page);
  expect(stored.ratings).toEqual([0, 2, 5, 1, 0]);
  expect(stored.reasons).toEqual({ 1: ["not_enough_staff"], 3: ["toilets", "smell"] });

  // Synced with its reasons.
  await expect.poll(() => collector.ids().length, { timeout: 30_000 }).toBe(1);
  const summary = await (
    await page.request.get(`${collector.url}/v1/summary?store_id=store-e2e`, {
      headers: { Authorization: `Bearer ${collector.command("token", "create", "--manager").trim()}` },
    })
  ).json();
  const named = (key) => summary.factors.find((f) => f.factor === key).reasons.map((r) => [r.code, r.count]);
  expect(named("speed")).toEqual([["not_enough_staff", 1]]);
  expect(named("hygiene")).toEqual([["smell", 1], ["toilets", 1]]);

  // The manager's summary names the weakest factor's top reason (hygiene:
  // rated 1, speed 2), and every reason named, with its share of the low ratings.
  await openManager(page);
  await expect(page.getByText("Hygiene needs attention: 0% satisfied. Most named: smell (100%)")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Why customers were unhappy" })).toBeVisible();
  await expect(page.locator(".reasons-list li")).toHaveText(["Speed: not enough staff 1 (100%)", "Hygiene: smell 1 (100%), toilets 1 (100%)"]);
});

test("reasons work by keyboard and in Spanish, and an idle reset keeps them with the partial response", async ({ page }) => {
  await openKiosk(page, { idleMs: 1_500, cooldownMs: 300 });
  await page.getByRole("button", { name: "Español" }).click();
  const rapidez = reasonsOf(page, "Rapidez", "¿Qué salió mal?");
  await page.getByRole("radiogroup", { name: "Rapidez" }).getByRole("radio", { name: "Muy insatisfecho" }).focus();
  await page.keyboard.press("Space");
  await expect(rapidez.getByRole("button")).toHaveText(["Cola larga", "Caja lenta", "Falta personal", "Cuesta encontrar las cosas"]);
  // Tab leaves the faces for the reasons; Space toggles one.
  await page.keyboard.press("Tab");
  await expect(rapidez.getByRole("button", { name: "Cola larga" })).toBeFocused();
  await page.keyboard.press("Space");
  await expect(rapidez.getByRole("button", { name: "Cola larga", pressed: true })).toBeVisible();
  await expectAccessible(page, { allowPinchZoomOff: true });

  // Walked away: the partial response keeps its reason and language.
  await expect(page.getByRole("button", { name: "English" })).toHaveAttribute("aria-pressed", "true", { timeout: 5_000 });
  const [stored] = await storedResponses(page);
  expect(stored.complete).toBe(false);
  expect(stored.lang).toBe("es");
  expect(stored.reasons).toEqual({ 1: ["long_queue"] });
});

test("kiosk.json may replace a factor's reasons, with words per language", async ({ page }) => {
  await openKiosk(page, {
    cooldownMs: 300,
    settings: {
      reasons: {
        speed: [
          { code: "no_trolleys", text: { en: "Trolleys all gone", es: "Sin carros" } },
          { code: "till_closed", text: { en: "Tills closed" } },
        ],
      },
    },
  });
  await face(page, "Speed", 1).tap();
  await expect(reasonsOf(page, "Speed").getByRole("button")).toHaveText(["Trolleys all gone", "Tills closed"]);
  await face(page, "Hygiene", 2).tap();
  await expect(reasonsOf(page, "Hygiene").getByRole("button")).toHaveText(["Dirty floor", "Toilets", "Trolleys and baskets", "Smell"]);

  // In Spanish: their Spanish words, English where the file has no Spanish.
  await page.getByRole("button", { name: "Español" }).click();
  const rapidez = reasonsOf(page, "Rapidez", "¿Qué salió mal?");
  await expect(rapidez.getByRole("button")).toHaveText(["Sin carros", "Tills closed"]);
  await rapidez.getByRole("button", { name: "Sin carros" }).tap();
  await page.getByRole("button", { name: "Enviar" }).tap();
  await expect(page.getByRole("heading", { name: "¡Gracias!" })).toBeVisible();
  const [stored] = await storedResponses(page);
  expect(stored.reasons).toEqual({ 1: ["no_trolleys"] });

  // The manager view knows the kiosk's own words for its codes.
  await expect(page.getByRole("button", { name: "Manager" })).toBeVisible();
  await openManager(page);
  await expect(page.getByText("Speed needs attention: 0% satisfied. Most named: trolleys all gone (100%)")).toBeVisible();
});
