// The dashboard's charts in a real browser: a name carrying HTML (a unit or dimension named by
// whoever filled in the ente's data) shows as text in the tooltip and runs nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const HOSTILE = '<img src=x onerror="window.__colpito=1">Direzione';

test('chart tooltips show names as text', async () => {
  const page = await browser.newPage();
  const dashboard = BASE_URL + '/enti/015146/cicli/2020/cruscotto';
  // The page as the server sends it, with the first bar's name replaced (escaped in the HTML,
  // as the server writes every attribute; the script reads it back as text).
  await page.route(dashboard, async (route) => {
    const response = await route.fetch();
    let html = await response.text();
    const attr = HOSTILE.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    html = html.replace('data-etichetta="Obiettivi Solidali"', `data-etichetta="${attr}"`);
    await route.fulfill({ response, body: html });
  });
  await page.goto(dashboard);
  const bars = page.locator('.grafico').nth(1);
  await bars.waitFor();
  // Hover every bar until the tooltip names the hostile one.
  const box = await bars.boundingBox();
  let tip = '';
  for (let y = box.y + 10; y < box.y + box.height && !tip.includes('Direzione'); y += 6) {
    await page.mouse.move(box.x + box.width / 3, y);
    await page.waitForTimeout(30);
    tip = await page.evaluate(() => Array.from(document.querySelectorAll('div')).filter((d) => getComputedStyle(d).zIndex === '9999999' && d.style.display !== 'none').map((d) => d.textContent).join(' '));
  }
  assert.ok(tip.includes('<img src=x onerror="window.__colpito=1">Direzione'), `the tooltip shows the name as text: «${tip}»`);
  assert.equal(await page.evaluate(() => window.__colpito), undefined, 'nothing ran');
  assert.equal(await page.locator('img[src="x"]').count(), 0, 'no element was made from the name');
  await page.close();
});
