#!/usr/bin/env python3
"""Builds the demo's staff for 2020 and what pays them: dipendenti-2020.csv (people and
assignments), valutazioni-2020.csv (staff and managers), assenze-2020.csv, posizioni-2020.csv. Names, categories, scores and absences
are illustrative (the acts name only the directors); the generator is deterministic.
Run from this folder: python3 make_staff.py"""
import csv, random

random.seed(838)
NOMI = ["Giulia", "Marco", "Francesca", "Luca", "Chiara", "Andrea", "Sara", "Matteo", "Elena", "Davide",
        "Laura", "Simone", "Valentina", "Paolo", "Federica", "Stefano", "Alessandra", "Roberto", "Silvia", "Giorgio"]
COGNOMI = ["Rossi", "Colombo", "Ferrari", "Bianchi", "Romano", "Ricci", "Marino", "Greco", "Bruno", "Gallo",
           "Conti", "Costa", "Giordano", "Mancini", "Lombardi", "Barbieri", "Moretti", "Fontana", "Santoro", "Mariani"]
DIREZIONI = ["DG", "DO", "GAB", "AUD", "ADG", "AVV", "BIL", "CASA", "CUA", "CULT", "DEM", "ECO", "EDU", "INC",
             "MOB", "ORU", "SOC", "QUA", "CIV", "SIC", "SIAD", "TEC", "AMB", "URB"]
DIRETTORI = {r["struttura"]: r["matricola"] for r in csv.DictReader(open("persone.csv")) if r["ruolo"] == "direttore"}
CATEGORIE = ["A", "B", "B", "C", "C", "C", "D", "D"]
# The catalogue of behaviours of regole-premi-2020.txt: c1–c4 for everyone, c5 for managers.
STAFF_BEHAVIOURS = ["c1", "c2", "c3", "c4"]

people, evals, absences = [], [], []
n = 0
for d in DIREZIONI:
    for i, cat in enumerate(CATEGORIE):
        n += 1
        m = f"M{n:04d}"
        nome, cognome = NOMI[(n * 7) % len(NOMI)], COGNOMI[(n * 3 + i) % len(COGNOMI)]
        row = dict(matricola=m, titolo="", nome=nome, cognome=cognome, struttura=d, ruolo="dipendente", categoria=cat,
                   inizio="", fine="", interim="", responsabile="", part_time="", tipo_part_time="")
        if n % 23 == 0:
            row.update(part_time="50", tipo_part_time="verticale")
        elif n % 11 == 0:
            row.update(part_time="83.33", tipo_part_time="orizzontale")
        if n % 37 == 0:
            # Moved to another Direzione on 1 July.
            other = DIREZIONI[(DIREZIONI.index(d) + 5) % len(DIREZIONI)]
            people.append(dict(row, fine="2020-06-30"))
            row = dict(row, struttura=other, inizio="2020-07-01")
        elif n % 41 == 0:
            row.update(inizio="2020-04-01")  # hired in the year
        people.append(row)
        e = dict(matricola=m, valutatore=DIRETTORI[row["struttura"]], revisore="D001", risultati="",
                 **{f"comportamento.{c}": random.choice([4, 4, 5, 5, 5]) for c in STAFF_BEHAVIOURS}, **{"comportamento.c5": ""},
                 colloquio_iniziale="2020-02-14", colloquio_intermedio="2020-07-16", colloquio_finale="2021-02-18",
                 firmata_il="2021-02-25", contestata_il="", conciliazione="", punteggio_conciliato="", note="")
        if n in (17, 101):
            e.update({f"comportamento.{c}": 2 for c in STAFF_BEHAVIOURS}, risultati=55)  # not a positive evaluation
        if n == 60:
            e.update({f"comportamento.{c}": v for c, v in zip(STAFF_BEHAVIOURS, [2, 3, 3, 2])}, firmata_il="", contestata_il="2021-03-01",
                     conciliazione="modificata", punteggio_conciliato=78, note="punteggio rivisto dopo la conciliazione")
        if n == 168:
            e.update(colloquio_finale="", firmata_il="")  # still open: the Direttore of SIAD completes it in the browser
        evals.append(e)
        if n % 19 == 0:
            absences.append(dict(matricola=m, causale="ASP", giorni=30))
        if n % 29 == 0:
            absences.append(dict(matricola=m, causale="MAT", giorni=150))
        if n % 31 == 0:
            absences.append(dict(matricola=m, causale="MAL", giorni=12))

# Managers: evaluated on behaviours (results come from the plan: the ROD of their Direzione,
# the ROS of their unit); the Direttori by the Sindaco on the NIV's proposal (no evaluator).
MANAGERS = [r for r in csv.DictReader(open("persone.csv")) if r["ruolo"] in ("direttore", "dirigente")]
positions = []
for r in MANAGERS:
    evals.append(dict(matricola=r["matricola"], valutatore="" if r["ruolo"] == "direttore" else "D001", revisore="", risultati="",
                      **{f"comportamento.{c}": random.choice([4, 5]) for c in STAFF_BEHAVIOURS + ["c5"]}, colloquio_iniziale="2020-02-10", colloquio_intermedio="2020-07-10",
                      colloquio_finale="2021-02-10", firmata_il="2021-02-15", contestata_il="", conciliazione="", punteggio_conciliato="", note=""))
    base = {"DG": "45000.00", "SG": "15000.00", "OSP": "18000.00"}.get(r["struttura"], "30000.00")
    if r["struttura"] not in [p["struttura"] for p in positions]:
        positions.append(dict(struttura=r["struttura"], base=base))

def write(name, rows):
    with open(name, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)

write("dipendenti-2020.csv", people)
write("valutazioni-2020.csv", evals)
write("assenze-2020.csv", absences)
write("posizioni-2020.csv", positions)
