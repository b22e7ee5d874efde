import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Locator, Page } from 'playwright-core';

// The console's sign-in form as the browser tests drive it, and the accessibility check every
// screen passes.

/** Debian's Chromium: Playwright cannot download its own browsers here. */
export const CHROMIUM = '/usr/bin/chromium';

/** The management-key field: inside its tab's panel (the panel is named after the tab). */
export const managementKeyField = (page: Page) => page.getByRole('tabpanel', { name: 'Management key' }).getByLabel('Management key');

/** Signs in on the sign-in form's "Management key" tab. */
export async function signInWithManagementKey(page: Page, key: string): Promise<void> {
  await page.getByRole('tab', { name: 'Management key' }).click();
  await managementKeyField(page).fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the screen as it is (none is allowed). */
export async function seriousViolations(page: Page): Promise<Array<{ id: string; help: string; targets: string[] }>> {
  // Through the DevTools protocol, which the page's CSP does not govern (an inline <script> would be refused).
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    // oxlint-disable-next-line typescript/no-explicit-any
    const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return (result.violations as Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }>)
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/** Waits for `wanted`; an error the page shows instead fails the test with the page's own words. */
export async function expectShown(page: Page, wanted: Locator, what: string, timeout = 30_000): Promise<void> {
  const alert = page.getByRole('alert');
  await wanted.or(alert).first().waitFor({ timeout });
  if (!(await wanted.count())) throw new Error(`the page showed an error instead of ${what}: ${(await alert.allTextContents()).join(' | ')}`);
}
