// Evaluating staff in the browser: the Direttore of SIAD completes the open evaluation of one of
// his people (behaviours, final interview, note); the list then says it waits for the signature.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, axeViolations } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a Direttore evaluates one of his people', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(BASE_URL + '/login');
  await page.getByLabel('Nome utente').fill('direttore.siad');
  await page.getByLabel('Password').fill('traguardi-demo');
  await page.keyboard.press('Enter');
  await page.waitForURL(BASE_URL + '/');
  await page.goto(BASE_URL + '/enti/015146/cicli/2020/piano');
  await page.getByRole('link', { name: 'Valutazioni' }).click();
  await page.waitForURL('**/cicli/2020/valutazioni');
  assert.deepEqual(await axeViolations(page), []);
  const row = page.locator('tr', { hasText: 'M0168' });
  assert.match(await row.textContent(), /colloquio intermedio il 16\/07\/2020/);
  await row.getByRole('link').click();
  await page.waitForURL('**/valutazioni/M0168');
  assert.deepEqual(await axeViolations(page), []);
  await page.getByLabel(/C1/).selectOption('4');
  await page.getByLabel(/C4/).selectOption('5');
  await page.getByLabel('Colloquio finale').fill('2021-03-10');
  await page.getByLabel('Nota').fill('obiettivi raggiunti, da curare la documentazione');
  await page.getByRole('button', { name: 'Salva la valutazione' }).click();
  await page.waitForURL('**/valutazioni/M0168?esito=salvata');
  assert.match(await page.getByRole('status').textContent(), /Valutazione salvata/);
  await page.getByRole('link', { name: 'Valutazioni 2020' }).click();
  assert.match(await page.locator('tr', { hasText: 'M0168' }).textContent(), /colloquio finale il 10\/03\/2021, in attesa della firma/);
  await context.close();
});
