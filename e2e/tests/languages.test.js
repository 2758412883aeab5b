// The pages in English: the link in the header switches language and stays on the page, the
// choice holds from page to page, the English pages pass axe and fit a phone, and "Italiano"
// switches back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, axeViolations } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('switch to English and back, staying on the page', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(BASE_URL + '/enti/015146/cicli/2020/piano');
  assert.equal(await page.getAttribute('html', 'lang'), 'it');
  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL('**/cicli/2020/piano');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.locator('h1').textContent(), 'Performance Plan 2020');
  assert.match(await page.locator('p.lead').textContent(), /The ente's result: 82,86%/);
  // The choice holds on the next page.
  await page.getByRole('link', { name: 'SAL-12' }).click();
  await page.waitForURL('**/obiettivi/SAL-12');
  const result = await page.getByRole('region', { name: 'Result' }).textContent();
  assert.match(result, /89,72%/);
  assert.match(result, /Weighted mean: \(80,00 × 1 \+ 100,00 × 1 \+ 83,33 × 1 \+ 95,56 × 1\) \/ 4 = 89,72\./);
  await page.getByRole('link', { name: 'Italiano' }).click();
  await page.waitForURL('**/obiettivi/SAL-12');
  assert.equal(await page.getAttribute('html', 'lang'), 'it');
  assert.ok(await page.getByRole('region', { name: 'Risultato' }).isVisible());
  await context.close();
});

async function englishContext(options = {}) {
  const context = await browser.newContext(options);
  await context.addCookies([{ name: 'lingua', value: 'en', url: BASE_URL }]);
  return context;
}

test('English pages pass axe, public and logged in', async () => {
  const context = await englishContext();
  const page = await context.newPage();
  for (const path of ['/', '/login', '/enti/015146/cicli/2020/piano', '/enti/015146/cicli/2020/obiettivi/SAL-12', '/enti/015146/cicli/2020/cruscotto', '/enti/015146/trasparenza', '/pagina/inesistente']) {
    await page.goto(BASE_URL + path);
    assert.equal(await page.getAttribute('html', 'lang'), 'en', path);
    assert.deepEqual(await axeViolations(page), [], path);
  }
  await page.goto(BASE_URL + '/login');
  await page.getByLabel('Username').fill('direttore.siad');
  await page.getByLabel('Password').fill('traguardi-demo');
  await page.keyboard.press('Enter');
  await page.waitForURL(BASE_URL + '/');
  assert.equal(await page.locator('h1').textContent(), 'To do');
  for (const path of ['/enti/015146/cicli/2021/kpi/SIAD-2021-01-K1/valori', '/enti/015146/cicli/2020/valutazioni/M0168', '/enti/015146/cicli/2020/la-mia-valutazione']) {
    await page.goto(BASE_URL + path);
    assert.deepEqual(await axeViolations(page), [], path);
  }
  await page.goto(BASE_URL + '/enti/015146/cicli/2021/kpi/SIAD-2021-01-K1/valori');
  assert.ok(await page.getByLabel('Send for approval').first().isVisible());
  assert.ok(await page.getByRole('button', { name: 'Save' }).first().isVisible());
  await context.close();
});

test('English pages fit a phone, with the switch in the header', async () => {
  const context = await englishContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(BASE_URL + '/login');
  await page.getByLabel('Username').fill('direttore.siad');
  await page.getByLabel('Password').fill('traguardi-demo');
  await page.keyboard.press('Enter');
  await page.waitForURL(BASE_URL + '/');
  for (const path of ['/enti/015146/cicli/2021/kpi/SIAD-2021-01-K1/valori', '/enti/015146/cicli/2020/cruscotto']) {
    await page.goto(BASE_URL + path);
    await page.evaluate(() => document.fonts.ready);
    assert.ok(await page.getByRole('link', { name: 'Italiano' }).isVisible(), path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path}: page wider than the screen by ${overflow}px`);
  }
  await context.close();
});
