// Logging in and out with the demo's accounts, by keyboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const [user, name] of [['pianificatore', 'Controllo di gestione (demo)'], ['niv', 'Nucleo Indipendente di Valutazione (demo)'], ['direttore.siad', 'Dott. Francesco Castanò'], ['dipendente', 'Dipendente (demo)']]) {
  test(`${user} logs in and out`, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(BASE_URL + '/');
    await page.getByRole('link', { name: 'Accedi' }).click();
    await page.waitForURL('**/login');
    await page.getByLabel('Nome utente').fill(user);
    await page.getByLabel('Password').fill('traguardi-demo');
    await page.keyboard.press('Enter');
    await page.waitForURL(BASE_URL + '/');
    assert.match(await page.locator('header').textContent(), new RegExp(name.replace(/[().]/g, '\\$&')));
    await page.getByRole('button', { name: 'Esci' }).click();
    await page.waitForURL(BASE_URL + '/');
    assert.equal(await page.getByRole('link', { name: 'Accedi' }).count(), 1);
    await context.close();
  });
}

test('a wrong password is refused with a message', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(BASE_URL + '/login');
  await page.getByLabel('Nome utente').fill('niv');
  await page.getByLabel('Password').fill('non-è-questa');
  await page.getByRole('button', { name: 'Accedi' }).click();
  assert.match(await page.getByRole('alert').textContent(), /utente o password non corretti/);
  await context.close();
});
