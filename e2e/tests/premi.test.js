// The premi of 2020 for the payroll officer: from the nav to a new scenario, the comparison,
// a person's reasons; every page checked with axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, axeViolations } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the planner computes, compares and reads a premium', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(BASE_URL + '/login');
  await page.getByLabel('Nome utente').fill('pianificatore');
  await page.getByLabel('Password').fill('traguardi-demo');
  await page.keyboard.press('Enter');
  await page.waitForURL(BASE_URL + '/');
  await page.goto(BASE_URL + '/enti/015146/cicli/2020/piano');
  await page.getByRole('link', { name: 'Premi' }).click();
  await page.waitForURL('**/cicli/2020/premi');
  assert.match(await page.locator('h1').textContent(), /Premi di produttività 2020/);
  assert.deepEqual(await axeViolations(page), []);
  await page.getByLabel('Nome del nuovo scenario').fill('prova');
  await page.getByRole('button', { name: 'Calcola lo scenario' }).click();
  await page.waitForURL('**/premi?scenario=prova');
  await page.getByLabel('Confronta con').selectOption('base');
  await page.getByRole('button', { name: 'Confronta' }).click();
  assert.match(await page.getByRole('heading', { name: /Confronto/ }).textContent(), /«prova» e «base»/);
  assert.deepEqual(await axeViolations(page), []);
  await page.getByRole('link', { name: 'M0037' }).click();
  assert.match(await page.locator('ol').last().textContent(), /Punteggio organizzativo in ADG \(182 giorni\)/);
  assert.deepEqual(await axeViolations(page), []);
  await context.close();
});

test('an employee reads their own evaluation and contests it', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(BASE_URL + '/login');
  await page.getByLabel('Nome utente').fill('dipendente');
  await page.getByLabel('Password').fill('traguardi-demo');
  await page.keyboard.press('Enter');
  await page.waitForURL(BASE_URL + '/');
  await page.goto(BASE_URL + '/enti/015146/cicli/2020/piano');
  await page.getByRole('link', { name: 'La mia valutazione' }).click();
  await page.waitForURL('**/cicli/2020/la-mia-valutazione');
  assert.match(await page.locator('h1').textContent(), /Giorgio Barbieri/);
  assert.match(await page.locator('main').textContent(), /I premi del 2020 non sono ancora approvati/);
  assert.deepEqual(await axeViolations(page), []);
  // Signed already, he contests it with his reasons.
  await page.getByLabel(/Motivi della contestazione/).fill('il punteggio non considera il progetto seguito da settembre');
  await page.getByRole('button', { name: 'Contesta la valutazione' }).click();
  await page.waitForURL('**/la-mia-valutazione?esito=contestata');
  assert.match(await page.getByRole('status').first().textContent(), /Contestazione registrata/);
  assert.match(await page.locator('main').textContent(), /Contestazione del \d\d\/\d\d\/\d{4}: il punteggio non considera il progetto seguito da settembre/);
  assert.deepEqual(await axeViolations(page), []);
  await context.close();
});
