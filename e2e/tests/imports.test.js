// The import wizard and the dashboard in the browser: the planner uploads a file of values with
// an error, sees it by row in the preview, uploads the corrected file, confirms, and the
// dashboard changes. Every page checked with axe; the charts are drawn without errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, axeViolations } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const DASHBOARD = BASE_URL + '/enti/015146/cicli/2021/cruscotto';

async function waiting(page) {
  return Number(await page.locator('tr[data-etichetta="In attesa di dati"]').getAttribute('data-valore'));
}

test('import a file with an error, fix it, see the dashboard change', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().includes('404')) errors.push(m.text()); });

  // The dashboard is public: its charts are drawn from the tables.
  await page.goto(DASHBOARD);
  await page.locator('.grafico svg').first().waitFor();
  assert.ok(await page.locator('.grafico[role="img"] svg').count() >= 4);
  assert.deepEqual(await axeViolations(page), []);
  const before = await waiting(page);
  assert.ok(before > 0);

  await page.goto(BASE_URL + '/login');
  await page.getByLabel('Nome utente').fill('pianificatore');
  await page.getByLabel('Password').fill('traguardi-demo');
  await page.keyboard.press('Enter');
  await page.waitForURL(BASE_URL + '/');
  await page.goto(BASE_URL + '/enti/015146/cicli/2021/piano');
  await page.getByRole('link', { name: 'Importa' }).click();
  await page.waitForURL('**/cicli/2021/importa');
  assert.deepEqual(await axeViolations(page), []);

  // The office's own headers, and a value that is not a number on row 3.
  const file = 'KPI;Data;Valore;Commento\nAMB-2021-01-K1;31/12/2021;100;chiuso il programma\nAMB-2021-02-K1;31/12/2021;circa metà;\n';
  await page.getByLabel('Valori dei KPI (misurazioni)').check();
  await page.getByLabel(/^File CSV/).setInputFiles({ name: 'valori.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
  await page.getByRole('button', { name: 'Carica e abbina le colonne' }).click();
  await page.waitForURL(/\/importa\/[0-9a-f-]+$/);
  assert.match(await page.locator('h1').textContent(), /Abbinare le colonne di valori\.csv/);
  assert.deepEqual(await axeViolations(page), []);
  assert.equal(await page.getByLabel('kpi obbligatoria').inputValue(), 'kpi');
  await page.getByLabel('nota obbligatoria').selectOption('commento');
  await page.getByRole('button', { name: "Vedi l'anteprima" }).click();
  await page.waitForURL('**/anteprima');
  assert.deepEqual(await axeViolations(page), []);
  assert.match(await page.locator('#esito-anteprima').textContent(), /1 errore in 1 riga/);
  const bad = page.locator('tr.table-danger');
  assert.equal(await bad.locator('th').textContent(), '3');
  assert.match(await bad.textContent(), /numero «circa metà» non valido/);
  assert.equal(await page.getByRole('button', { name: "Conferma l'importazione" }).count(), 0);

  // The corrected file keeps the columns; confirm.
  await page.getByLabel(/^File corretto/).setInputFiles({ name: 'valori.csv', mimeType: 'text/csv', buffer: Buffer.from(file.replace('circa metà', '50')) });
  await page.getByRole('button', { name: 'Carica e ricontrolla' }).click();
  await page.waitForURL('**/anteprima');
  assert.match(await page.getByRole('status').first().textContent(), /Nessun errore\. Con la conferma: misurazioni 2021: 2 righe lette, 2 valori nuovi/);
  await page.getByRole('button', { name: "Conferma l'importazione" }).click();
  await page.waitForURL('**/conferma');
  assert.match(await page.getByRole('status').textContent(), /Valori dei KPI \(misurazioni\) importato: misurazioni 2021: 2 righe lette, 2 valori nuovi/);

  // The dashboard: two objectives fewer wait for data.
  await page.getByRole('link', { name: 'Cruscotto' }).click();
  await page.waitForURL(DASHBOARD);
  assert.equal(await waiting(page), before - 2);
  assert.ok(await page.locator('tr[data-etichetta="DIREZIONE TRANSIZIONE AMBIENTALE"]').getAttribute('data-valore'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('the transparency page is public and accessible', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(BASE_URL + '/enti/015146/trasparenza');
  assert.match(await page.locator('h1').textContent(), /Amministrazione trasparente: Performance/);
  assert.equal(await page.getByRole('heading', { name: 'Ciclo 2020' }).count(), 1);
  assert.deepEqual(await axeViolations(page), []);
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'punteggi 2020 (CSV)' }).click();
  assert.equal((await download).suggestedFilename(), 'punteggi-015146-2020.csv');
  await context.close();
});
