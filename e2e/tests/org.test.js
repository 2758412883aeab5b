// The org tree of the demo ente in a real browser: content, navigation, accessibility,
// keyboard use and the phone layout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, axeViolations } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PAGES = [
  '/',
  '/enti/015146/cicli/2020/struttura',
  '/enti/015146/cicli/2022/struttura',
  '/enti/015146/cicli/2020/piano',
  '/enti/015146/cicli/2021/piano',
  '/enti/015146/cicli/2020/obiettivi/SAL-12',
  '/enti/015146/cicli/2020/obiettivi/SOL-04',
  '/enti/015146/cicli/2021/obiettivi/DG-2021-01',
  '/enti/015146/bilancio/2025',
  '/enti/015146/bilancio/2025?direzione=SIAD',
  '/pagina/inesistente',
  '/login',
];

for (const path of PAGES) {
  test(`axe: no serious or critical violation on ${path}`, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(BASE_URL + path);
    const violations = await axeViolations(page);
    await context.close();
    assert.deepEqual(violations, []);
  });
}

test('the home page leads to the org tree of the latest cycle', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(BASE_URL + '/');
  await page.getByRole('link', { name: 'Struttura organizzativa' }).click();
  await page.waitForURL('**/enti/015146/cicli/2022/struttura');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Struttura organizzativa');
  await page.getByRole('link', { name: '2020', exact: true }).click();
  await page.waitForURL('**/cicli/2020/struttura');
  const row = page.getByRole('row').filter({ hasText: 'DIREZIONE GENERALE' }).first();
  assert.match(await row.textContent(), /Dott\. Christian Malangone/);
  assert.equal(await page.locator('tbody tr').count(), 28);
  assert.deepEqual(errors, [], 'no errors in the console (CSP, missing files)');
  await page.close();
});

test('keyboard only: skip link, then the cycle tabs', async () => {
  const page = await browser.newPage();
  await page.goto(BASE_URL + '/enti/015146/cicli/2022/struttura');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Vai al contenuto principale' });
  assert.equal(await skip.evaluate((el) => el === document.activeElement), true);
  await page.keyboard.press('Enter');
  assert.match(page.url(), /#contenuto$/);
  // Tab forward until the 2021 tab has focus, then follow it with Enter.
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    const text = await page.evaluate(() => document.activeElement?.textContent?.trim());
    if (text === '2021') break;
  }
  await page.keyboard.press('Enter');
  await page.waitForURL('**/cicli/2021/struttura');
  await page.close();
});

test('phone layout: no horizontal scrolling of the page itself', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  for (const path of ['/enti/015146/cicli/2020/struttura', '/enti/015146/bilancio/2025?direzione=SIAD']) {
    await page.goto(BASE_URL + path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path}: page wider than the screen by ${overflow}px`);
  }
  await context.close();
});

test('axe check is live: an image without text alternative is reported', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(BASE_URL + '/');
  await page.evaluate(() => {
    const img = document.createElement('img');
    img.src = '/static/vendor/bootstrap-italia/svg/sprites.svg';
    document.querySelector('main').append(img);
  });
  const violations = await axeViolations(page);
  await context.close();
  assert.equal(violations.length, 1);
  assert.match(violations[0], /^critical: image-alt/);
});
