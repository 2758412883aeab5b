// The plan of the demo in a real browser: from the org tree to the plan, to an objective whose
// score explains itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('from the org tree to an objective and the explanation of its score', async () => {
  const page = await browser.newPage();
  await page.goto(BASE_URL + '/enti/015146/cicli/2020/struttura');
  await page.getByRole('link', { name: 'Piano degli Obiettivi' }).click();
  await page.waitForURL('**/cicli/2020/piano');
  assert.match(await page.locator('p.lead').textContent(), /Risultato dell'ente: 82,86%/);
  await page.getByRole('link', { name: 'SAL-12' }).click();
  await page.waitForURL('**/obiettivi/SAL-12');
  const result = page.getByRole('region', { name: 'Risultato' });
  assert.match(await result.textContent(), /89,72%/);
  assert.match(await result.textContent(), /Media ponderata: \(80,00 × 1 \+ 100,00 × 1 \+ 83,33 × 1 \+ 95,56 × 1\) \/ 4 = 89,72\./);
  const kpi = page.getByRole('region', { name: 'SAL-12-K3 Tempo medio di risposta' });
  assert.match(await kpi.textContent(), /Più basso è meglio: 10 \/ 12 × 100 = 83,33\./);
  await page.close();
});
