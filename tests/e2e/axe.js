// axe-core, as every end-to-end suite checks a screen with it.
import AxeBuilder from "@axe-core/playwright";
import { expect } from "@playwright/test";

/**
 * No serious or critical axe-core violation on the page as it is.
 *
 * `allowPinchZoomOff`: the customer kiosk turns pinch-zoom off on purpose
 * (a kiosk, not a web page), which axe reports as `meta-viewport`; the
 * customer screen offers a visible "Larger text" control instead, which
 * the accessibility tests check works.
 */
export async function expectAccessible(page, { allowPinchZoomOff = false } = {}) {
  let builder = new AxeBuilder({ page });
  if (allowPinchZoomOff) builder = builder.disableRules(["meta-viewport"]);
  const results = await builder.analyze();
  const bad = results.violations.filter((v) => ["serious", "critical"].includes(v.impact));
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);
}
