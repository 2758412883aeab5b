// Monitoring values in the browser: the Direttore of SIAD enters a value by keyboard only and
// sends it; the planner approves it from the inbox; each page checked with axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, axeViolations } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function logIn(context, user) {
  const page = await context.newPage();
  await page.goto(BASE_URL + '/login');
  await page.getByLabel('Nome utente').fill(user);
  await page.getByLabel('Password').fill('traguardi-demo');
  await page.keyboard.press('Enter');
  await page.waitForURL(BASE_URL + '/');
  return page;
}

test('a Direttore enters a value by keyboard, the planner approves it', async () => {
  const direttore = await browser.newContext();
  const page = await logIn(direttore, 'direttore.siad');
  // Home: what he must do now, his Direzione's late values.
  assert.match(await page.locator('h1').textContent(), /Da fare/);
  assert.match(await page.locator('main').textContent(), /valori in ritardo nelle strutture di competenza/);
  assert.deepEqual(await axeViolations(page), []);
  await page.goto(BASE_URL + '/enti/015146/cicli/2021/obiettivi/SIAD-2021-02');
  await page.getByRole('link', { name: 'Inserisci o aggiorna i valori di SIAD-2021-02-K1' }).click();
  await page.waitForURL('**/cicli/2021/kpi/SIAD-2021-02-K1/valori');
  assert.deepEqual(await axeViolations(page), []);

  // Keyboard only: Tab to the value, type it, Tab to the note, then to the box and the button.
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.id) === 'valore-2021-12-31') break;
  }
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'valore-2021-12-31');
  await page.keyboard.type('17,5');
  await page.keyboard.press('Tab');
  await page.keyboard.type('dal registro delle pratiche');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'invia-2021-12-31');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForURL('**/valori?esito=inviato');
  assert.match(await page.getByRole('status').textContent(), /Valore salvato e inviato per l'approvazione/);
  assert.match(await page.locator('main').textContent(), /Versione 1: 17\.5, inviato, da approvare/);
  await direttore.close();

  const planner = await browser.newContext();
  const inbox = await logIn(planner, 'pianificatore');
  await inbox.goto(BASE_URL + '/enti/015146/cicli/2021/piano');
  await inbox.getByRole('link', { name: 'Valori da approvare' }).click();
  await inbox.waitForURL('**/cicli/2021/valori');
  assert.deepEqual(await axeViolations(inbox), []);
  const card = inbox.locator('section', { hasText: 'SIAD-2021-02-K1' });
  await card.getByRole('button', { name: 'Approva' }).click();
  await inbox.waitForURL('**/valori?esito=approvato');
  assert.match(await inbox.getByRole('status').textContent(), /Valore approvato/);
  assert.equal(await inbox.locator('section', { hasText: 'SIAD-2021-02-K1' }).count(), 0);
  await planner.close();
});

test('the NIV draws its sample on the plan state page', async () => {
  const context = await browser.newContext();
  const page = await logIn(context, 'niv');
  await page.goto(BASE_URL + '/enti/015146/cicli/2020/piano');
  await page.getByRole('link', { name: 'Stato del piano' }).click();
  await page.waitForURL('**/cicli/2020/stato');
  assert.deepEqual(await axeViolations(page), []);
  await page.getByLabel('Percentuale dei valori').fill('2');
  await page.getByLabel('Seme (vuoto: nuovo)').fill('2020');
  await page.getByRole('button', { name: 'Estrai il campione' }).click();
  assert.match(await page.locator('caption').last().textContent(), /seme 2020: lo stesso seme estrae lo stesso campione/);
  assert.deepEqual(await axeViolations(page), []);
  await context.close();
});

test('phone layout of the data-entry pages: nothing wider than the screen', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await logIn(context, 'direttore.siad');
  for (const path of [
    '/enti/015146/cicli/2021/kpi/SIAD-2021-01-K1/valori',
    '/enti/015146/cicli/2020/valutazioni',
    '/enti/015146/cicli/2020/valutazioni/M0168',
    '/enti/015146/cicli/2020/cruscotto',
    '/enti/015146/trasparenza',
  ]) {
    await page.goto(BASE_URL + path);
    // Measured once the page's own fonts are in: a fallback font is wider.
    await page.evaluate(() => document.fonts.ready);
    const [overflow, wide] = await page.evaluate(() => {
      const w = document.documentElement.clientWidth;
      const out = [...document.querySelectorAll('body *')].filter((e) => !e.closest('.table-responsive') && e.getBoundingClientRect().right > w + 0.5);
      return [document.documentElement.scrollWidth - w, out.slice(0, 3).map((e) => `${e.tagName}.${e.className}`).join(', ')];
    });
    assert.ok(overflow <= 0, `${path}: page wider than the screen by ${overflow}px (${wide})`);
  }
  await context.close();
});
