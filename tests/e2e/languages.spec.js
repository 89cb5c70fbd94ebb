// Customers who read Spanish first: the switch, what it changes, how long
// it lasts, and what the kiosk records and the manager sees.
import { test, expect, openKiosk, openManager, face, storedResponses } from "./kiosk.js";

const SPANISH_FACTORS = ["Amabilidad", "Rapidez", "Comodidad", "Higiene", "Seguridad"];
const SPANISH_FACES = ["Muy insatisfecho", "Insatisfecho", "Neutral", "Satisfecho", "Muy satisfecho"];

/** The radio for `factor` rated `rating` on the Spanish screen. */
function cara(page, factor, rating) {
  return page
    .getByRole("radiogroup", { name: factor, exact: true })
    .getByRole("radio", { name: SPANISH_FACES[rating - 1], exact: true });
}

test("a customer answers in Spanish, and the next one starts in English", async ({ page }) => {
  await openKiosk(page, { cooldownMs: 1_000 });
  const switcher = page.getByRole("group", { name: "Language" });
  await expect(switcher.getByRole("button")).toHaveText(["English", "Español"]);
  await expect(page.getByRole("button", { name: "English" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");

  await page.getByRole("button", { name: "Español" }).tap();
  await expect(page.getByRole("heading", { name: "¿Qué tal su visita de hoy?" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await expect(page.getByRole("button", { name: "Español" })).toHaveAttribute("aria-pressed", "true");
  for (const factor of SPANISH_FACTORS) {
    const group = page.getByRole("radiogroup", { name: factor, exact: true });
    for (const label of SPANISH_FACES) {
      await expect(group.getByRole("radio", { name: label, exact: true })).toBeVisible();
    }
  }
  await expect(page.getByRole("button", { name: "Enviar" })).toBeDisabled();
  await cara(page, "Rapidez", 2).tap();
  await page.getByRole("textbox", { name: "¿Algo más que añadir?" }).fill("Mucha cola");
  await page.getByRole("button", { name: "Enviar" }).tap();
  await expect(page.getByRole("heading", { name: "¡Gracias!" })).toBeVisible();
  await expect(page.getByRole("status")).toHaveText("¡Gracias!");

  // The thank-you ends the customer's choice.
  await expect(page.getByRole("radiogroup", { name: "Friendliness" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("button", { name: "English" })).toHaveAttribute("aria-pressed", "true");

  const stored = await storedResponses(page);
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({ ratings: [0, 2, 0, 0, 0], comment: "Mucha cola", lang: "es" });
});

test("switching language keeps what was entered and the focus", async ({ page }) => {
  await openKiosk(page);
  await face(page, "Friendliness", 4).tap();
  await page.getByRole("textbox", { name: "Anything to add?" }).fill("Nice");
  await page.getByRole("button", { name: "Español" }).focus();
  await page.keyboard.press("Enter");
  await expect(cara(page, "Amabilidad", 4)).toBeChecked();
  await expect(page.getByRole("textbox", { name: "¿Algo más que añadir?" })).toHaveValue("Nice");
  await expect(page.getByRole("button", { name: "Español" })).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Enter");
  await expect(face(page, "Friendliness", 4)).toBeChecked();
  await expect(page.getByRole("button", { name: "English" })).toBeFocused();
});

test("the idle reset brings back the kiosk's language, storing nothing unrated", async ({ page }) => {
  await openKiosk(page, { idleMs: 1_500 });
  await page.getByRole("button", { name: "Español" }).tap();
  await expect(page.getByRole("radiogroup", { name: "Amabilidad" })).toBeVisible();
  await expect(page.getByRole("radiogroup", { name: "Friendliness" })).toBeVisible({ timeout: 5_000 });
  expect(await storedResponses(page)).toEqual([]);

  // A partial answer in Spanish is kept, as Spanish, when they walk away.
  await page.getByRole("button", { name: "Español" }).tap();
  await cara(page, "Higiene", 5).tap();
  await expect(page.getByRole("radiogroup", { name: "Friendliness" })).toBeVisible({ timeout: 5_000 });
  const stored = await storedResponses(page);
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({ complete: false, ratings: [0, 0, 0, 5, 0], lang: "es" });
});

test("kiosk.json sets the languages offered and the default one, for customers and the manager", async ({ page }) => {
  await page.context().route("**/kiosk.json", (route) =>
    route.fulfill({
      contentType: "application/json",
      body: JSON.stringify({
        store_id: "store-es",
        kiosk_id: "salida",
        cooldown_ms: 500,
        languages: ["es", "en"],
        default_language: "es",
      }),
    }),
  );
  // Setup speaks the default language too.
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Configurar este terminal" })).toBeVisible();
  await page.getByLabel("PIN nuevo del encargado").fill("2468");
  await page.getByLabel("Repita el PIN").fill("2468");
  await page.getByRole("button", { name: "Poner en marcha" }).click();
  await expect(page.getByRole("heading", { name: "¿Qué tal su visita de hoy?" })).toBeVisible();
  await expect(page.getByRole("group", { name: "Idioma", exact: true }).getByRole("button")).toHaveText([
    "Español",
    "English",
  ]);
  await cara(page, "Comodidad", 4).tap();
  await page.getByRole("button", { name: "Enviar" }).tap();
  await expect(page.getByRole("heading", { name: "¡Gracias!" })).toBeVisible();
  await expect(page.getByRole("radiogroup", { name: "Amabilidad" })).toBeVisible({ timeout: 8_000 });

  // The manager page follows the default language, with its own switch.
  await page.getByRole("button", { name: "Encargado" }).click();
  await expect(page.getByRole("heading", { name: "Encargado" })).toBeVisible();
  await page.getByLabel("PIN").fill("2468");
  await page.getByRole("button", { name: "Abrir" }).click();
  await expect(page.getByRole("heading", { name: "Vista del encargado" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await page.getByRole("button", { name: "Todo", exact: true }).click();
  const table = page.getByRole("table", { name: "Valoraciones por aspecto" });
  // One decimal, with a comma.
  await expect(table.getByRole("row", { name: /Comodidad/ })).toContainText("4,0");
  await page
    .getByRole("group", { name: "Idioma", exact: true })
    .getByRole("button", { name: "English" })
    .click();
  await expect(page.getByRole("heading", { name: "Manager view" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
});

test("with one language offered there is no switch", async ({ page }) => {
  await openKiosk(page, { settings: { languages: ["en"] } });
  await expect(page.getByRole("group", { name: "Language" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Español" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Larger text" })).toBeVisible();
});

test("the manager view summarises each language apart", async ({ page }) => {
  await openKiosk(page, { cooldownMs: 500 });
  await page.getByRole("button", { name: "Español" }).tap();
  await cara(page, "Rapidez", 1).tap();
  await page.getByRole("button", { name: "Enviar" }).tap();
  await expect(page.getByRole("radiogroup", { name: "Friendliness" })).toBeVisible({ timeout: 5_000 });
  for (const rating of [5, 4]) {
    await face(page, "Speed", rating).tap();
    await page.getByRole("button", { name: "Send" }).tap();
    await expect(page.getByRole("radiogroup", { name: "Friendliness" })).toBeVisible({ timeout: 5_000 });
  }
  await openManager(page);
  const counts = page.getByText(/responses? \(/);
  await expect(counts).toHaveText("3 responses (3 complete, 0 partial)");
  const languages = page.getByRole("group", { name: "Language of the responses" });
  await languages.getByRole("button", { name: "Español" }).click();
  await expect(counts).toHaveText("1 response (1 complete, 0 partial)");
  await expect(page.getByText("Speed needs attention: 0% satisfied")).toBeVisible();
  await languages.getByRole("button", { name: "English" }).click();
  await expect(counts).toHaveText("2 responses (2 complete, 0 partial)");
  await languages.getByRole("button", { name: "All languages" }).click();
  await expect(counts).toHaveText("3 responses (3 complete, 0 partial)");
});

test("a kiosk.json with a language that is not a tag is reported, not half applied", async ({ page }) => {
  await openKiosk(page);
  await page.context().unroute("**/kiosk.json");
  await page.context().route("**/kiosk.json", (route) =>
    route.fulfill({
      contentType: "application/json",
      body: JSON.stringify({ store_id: "store-e2e", kiosk_id: "other", languages: ["Spanish"] }),
    }),
  );
  await page.reload();
  await expect(page.getByRole("radiogroup", { name: "Friendliness" })).toBeVisible();
  await openManager(page);
  const faults = page.getByRole("region", { name: "Recent faults" });
  await expect(faults).toContainText("kiosk.json: languages has the wrong type");
  await expect(page.getByLabel("Kiosk id")).toHaveValue("kiosk-e2e");
});
