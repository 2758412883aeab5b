// The budget of the demo in a real browser: from the plan to the budget, a Direzione, and the
// REPORT COMMISSIONI downloaded as a PDF.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the budget of a Direzione and its REPORT COMMISSIONI', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(BASE_URL + '/enti/015146/cicli/2020/piano');
  await page.getByRole('link', { name: 'Bilancio', exact: true }).click();
  await page.waitForURL('**/bilancio/2025');
  await page.getByRole('link', { name: 'DIREZIONE SISTEMI INFORMATIVI E AGENDA DIGITALE' }).click();
  await page.waitForURL('**/bilancio/2025?direzione=SIAD');
  assert.match(await page.locator('p.lead').textContent(), /3\.631\.120,00 €/);
  const table = page.getByRole('table', { name: /Spese correnti per Missione e Programma/ });
  assert.match(await table.textContent(), /Totale spese correnti\s*4\.496\.720,00\s*4\.232\.270,00\s*3\.631\.120,00/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'PDF del REPORT COMMISSIONI 2025' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'commissioni-2025-SIAD.pdf');
  await context.close();
});
