-- The budget side: the piano dei conti loaded by the ente (SIOPE glossary) and the PEG lines.

-- One row per code of the glossary, per side: the same digits can be a spending and a revenue code.
CREATE TABLE pdc_code (
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    side            TEXT NOT NULL CHECK (side IN ('U', 'E')),
    code            TEXT NOT NULL,                 -- ten digits, no dots
    description     TEXT NOT NULL,
    PRIMARY KEY (ente_id, side, code)
);

-- A PEG line's forecast for one year, as made by one budget (bilancio). Amounts in cents.
CREATE TABLE budget_line (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    bilancio        INTEGER NOT NULL,               -- the budget that made the forecast
    anno            INTEGER NOT NULL,               -- the year the forecast is for
    side            TEXT NOT NULL CHECK (side IN ('U', 'E')),
    cdr             TEXT NOT NULL,
    unit_lineage    TEXT NOT NULL,                 -- the org unit holding the CdR, across cycles
    cdr_name        TEXT NOT NULL,
    direzione       TEXT NOT NULL,
    capitolo        TEXT NOT NULL,
    articolo        TEXT NOT NULL,
    pdc             TEXT NOT NULL,                 -- ten digits, or '' where the budget prints none
    vincolo         TEXT NOT NULL,
    description     TEXT NOT NULL,
    missione        TEXT NOT NULL,                 -- '' for revenue
    programma       TEXT NOT NULL,
    titolo          INTEGER NOT NULL,               -- 0 where no code gives it
    previsione      INTEGER NOT NULL,
    cassa           INTEGER,
    crono_anni_precedenti    INTEGER,
    altri_nuovi_stanziamenti INTEGER,
    programma_triennale_llpp INTEGER,
    UNIQUE (ente_id, bilancio, anno, side, cdr, capitolo, articolo)
);
CREATE INDEX budget_line_year ON budget_line (ente_id, anno, cdr);

-- Amounts read from other layouts (mapped import): a rendiconto by Missione × Macroaggregato,
-- a State budget by capitolo. One row per amount and measure (impegnato, pagato, competenza…).
CREATE TABLE budget_amount (
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    fonte           TEXT NOT NULL,                 -- the mapping that read it
    anno            INTEGER NOT NULL,
    fase            TEXT NOT NULL,                 -- previsione | rendiconto
    side            TEXT NOT NULL CHECK (side IN ('U', 'E')),
    titolo          TEXT NOT NULL,
    voce            TEXT NOT NULL,                 -- macroaggregato, tipologia or categoria
    missione        TEXT NOT NULL,
    programma       TEXT NOT NULL,
    centro          TEXT NOT NULL,                 -- centro di responsabilità, '' when none
    centro_nome     TEXT NOT NULL,
    capitolo        TEXT NOT NULL,
    descrizione     TEXT NOT NULL,
    misura          TEXT NOT NULL,
    importo         INTEGER NOT NULL
);
CREATE INDEX budget_amount_source ON budget_amount (ente_id, fonte, anno);
