#!/usr/bin/env python3
"""Builds the demo plan files (piano-2020/2021/2022.csv, misure-2020/2021.csv) from the checked
transcriptions of DG 838/2020 in this folder. Objectives, dimensions and titles are those of the
act; the act sets no KPIs or targets for them, so every KPI, target and 2020 value written here is
illustrative and carries the tag `illustrativo` (values: note "Valore illustrativo").
Run from this folder: python3 make_plan.py"""
import csv, hashlib

HEAD = ["dimensione", "ambito", "struttura", "obiettivo", "obiettivo_titolo", "obiettivo_peso", "kpi", "kpi_nome",
        "misura", "verso", "baseline", "target", "kpi_peso", "padre", "target_anno2", "aggregazione", "tag",
        "descrizione", "natura", "unita_misura", "fonte", "penale_giorno", "periodicita", "contributi"]
DIRS = {}
for r in csv.DictReader(open("struttura.csv")):
    DIRS[r["nome"]] = r["codice"]

def h(s, lo, hi):
    """A stable pseudo-random integer in [lo, hi] from a text."""
    return lo + int(hashlib.sha256(s.encode()).hexdigest(), 16) % (hi - lo + 1)

def row(**kw):
    r = {k: "" for k in HEAD}
    r.update(kw)
    r.setdefault("tag", "illustrativo")
    if "illustrativo" not in r["tag"]:
        r["tag"] = (r["tag"] + "|illustrativo").strip("|")
    r["fonte"] = r["fonte"] or "dato illustrativo della demo"
    return r

plan20, plan21, plan22, values, values21 = [], [], [], [], []

def value(kpi, v, date="2020-12-31", nota="Valore illustrativo", nv=""):
    values.append({"kpi": kpi, "data": date, "valore": v, "nota": nota, "non_valutabile": nv})

# --- Obiettivi Solidali: each point an objective, each sub-point (or the point) a KPI.
SOL_AMBITO = {"Milano più Solidale": "solidale", "Milano più Attrattiva": "attrattiva", "Milano Digitale": "digitale", "Milano per l’Ambiente": "ambiente"}
SOL_KPI = {
    "Piano Quartieri: avanzamento dei programmi di lavoro del 2020": ("Avanzamento dei programmi di lavoro", "avanzamento", "crescente", "90", "84", "efficacia", "%"),
    "Compliance agli adempimenti trasparenza e anti corruzione": ("Obblighi di pubblicazione assolti", "percentuale", "crescente", "100", "97", "efficacia", "%"),
    "Razionalizzazione logistica delle sedi e degli uffici": ("Sedi in locazione passiva dismesse", "numero", "crescente", "5", "4", "efficacia", "sedi"),
    "Sviluppo del posizionamento della città di Milano sul piano internazionale": ("Eventi e accordi internazionali realizzati", "numero", "crescente", "12", None, "impatto", "eventi"),
    "Evoluzione sistema unico dei pagamenti on line – Pago PA": ("Incassi tramite pagoPA sul totale", "percentuale", "crescente", "60", "72.5", "efficacia", "%"),
    "Implementazione del Portale CRM per il miglioramento della relazione con il cittadino": ("Portale CRM in esercizio", "si_no", "", "si", "si", "efficacia", ""),
    "Potenziamento dei servizi anagrafici digitali": ("Certificati anagrafici emessi online", "numero", "crescente", "500000", "612000", "efficacia", "certificati"),
    "Implementazione Piattaforma ERP": ("Avvio in esercizio del modulo contabile", "scadenza", "", "2020-12-31", "2021-01-15", "efficacia", ""),
    "Adozione Piano": ("Adozione del Piano Aria Clima in Giunta", "scadenza", "", "2020-12-31", "2020-12-21", "efficacia", ""),
    "M4: Avanzamento lavori intera commessa": ("Avanzamento lavori M4 intera commessa", "avanzamento", "crescente", "60", "58", "efficacia", "%"),
    "M4 : Avanzamento dei programmi lavori di scavo": ("Avanzamento scavi M4", "avanzamento", "crescente", "80", "85", "efficacia", "%"),
    "Prolungamento M5 a Monza": ("Progetto definitivo M5 Monza approvato", "scadenza", "", "2020-10-31", "2020-10-20", "efficacia", ""),
    "Prolungamento M1 a Baggio": ("Progettazione prolungamento M1 completata", "avanzamento", "crescente", "100", "70", "efficacia", "%"),
    "Sviluppo degli itinerari ciclabili": ("Nuovi km di itinerari ciclabili", "numero", "crescente", "35", "35", "efficacia", "km"),
    "Nuove aree riservate alla mobilità pedonale": ("Nuove aree pedonali aperte", "numero", "crescente", "10", "12", "efficacia", "aree"),
    "Realizzazione di nuovi punti di ricarica su spazio pubblico": ("Nuovi punti di ricarica attivati", "numero", "crescente", "200", "150", "efficacia", "punti"),
    "Completamento piano di installazione stazioni di bike sharing station base sul territorio": ("Stazioni di bike sharing installate", "numero", "crescente", "80", "80", "efficacia", "stazioni"),
    "Avvio e monitoraggio sperimentazione su dispositivi di micromobilità elettrica": ("Sperimentazione avviata e monitorata", "si_no", "", "si", "si", "efficacia", ""),
}
points = {}
for r in csv.DictReader(open("milano_2020_dimensioni.csv")):
    if r["dimensione"] != "Obiettivi Solidali":
        continue
    area = r["area"] or "Milano più Solidale"   # two points without a recoverable column: see README
    points.setdefault(r["titolo"], (area, []))[1].append(r["descrizione"])
for i, (title, (area, subs)) in enumerate(points.items(), 1):
    code = f"SOL-{i:02d}"
    for j, sub in enumerate([s for s in subs if s] or [title], 1):
        name, misura, verso, target, actual, natura, um = SOL_KPI[sub]
        kcode = f"{code}-K{j}"
        plan20.append(row(dimensione="solidale", ambito=SOL_AMBITO[area], obiettivo=code, obiettivo_titolo=title, obiettivo_peso="1",
                          kpi=kcode, kpi_nome=name, misura=misura, verso=verso, target=target, kpi_peso="1", natura=natura, unita_misura=um,
                          penale_giorno="2" if misura == "scadenza" else "", contributi="tutte"))
        if actual is None:
            value(kcode, "", nota="Eventi internazionali annullati per l'emergenza Covid-19: causa esogena, non valutabile", nv="si")
        else:
            value(kcode, actual)

# --- Indicatori di Salute dell'Ente.
SAL_AMBITO = {"Salute Finanziaria": "finanziaria", "Salute Organizzativa": "organizzativa", "Salute del Sistema di Relazioni": "relazioni"}
SAL_KPI = {
    "Adozione da parte della Giunta Comunale del Bilancio di Previsione 2021/2023 in periodo antecedente rispetto all’esercizio 2020/2022": ("Schema di bilancio 2021/2023 approvato dalla Giunta", "scadenza", "", "2020-12-31", "2020-12-22", "efficienza", ""),
    "Tempestività dei pagamenti": ("Indicatore annuale di tempestività dei pagamenti", "numero", "decrescente", "0", "-3", "efficienza", "giorni"),
    "Capacità di utilizzo delle somme stanziate nel bilancio di previsione": ("Impegni su stanziamenti di spesa corrente", "percentuale", "crescente", "85", "78", "efficienza", "%"),
    "Capacità di accertamento delle entrate previste": ("Accertamenti su previsioni di entrata", "percentuale", "crescente", "95", "92", "efficienza", "%"),
    "Formazione erogata": ("Ore di formazione per dipendente", "numero", "crescente", "12", "8.5", "efficienza", "ore"),
    "Indice di presenza alla formazione": ("Partecipanti effettivi su iscritti", "percentuale", "crescente", "85", "88", "efficienza", "%"),
    "Numero dei dipendenti": ("Dipendenti in servizio al 31/12", "numero", "crescente", "14000", "14188", "stato_risorse", "persone"),
    "Età media": ("Età media del personale", "numero", "decrescente", "50", "51.2", "stato_risorse", "anni"),
    "Ambito di controllo (rapporto esistente tra posizioni di management e dipendenti)": ("Dipendenti per posizione di management", "numero", "crescente", "70", "72", "efficienza", "dipendenti"),
    "Livello di efficacia dell’Avvocatura rispetto ai contenziosi presi in carico": ("Contenziosi conclusi favorevolmente", "percentuale", "crescente", "70", "74", "efficacia", "%"),
    "Ottimizzazione tempi di rilascio pareri legali": ("Tempo medio di rilascio dei pareri", "numero", "decrescente", "30", "27", "efficienza", "giorni"),
    "n. canali unificati": ("Canali unificati nel CRM", "numero", "crescente", "10", "8", "efficienza", "canali"),
    "contatti censiti nel CRM": ("Contatti censiti nel CRM", "numero", "crescente", "1500000", "1720000", "efficienza", "contatti"),
    "tempi di risposta": ("Tempo medio di risposta", "numero", "decrescente", "10", "12", "efficienza", "giorni"),
    "tasso di risposta": ("Istanze con risposta sul totale", "percentuale", "crescente", "90", "86", "efficienza", "%"),
}
points = {}
for r in csv.DictReader(open("milano_2020_dimensioni.csv")):
    if r["dimensione"] != "Indicatori di Salute dell’Ente":
        continue
    area = r["area"] or "Salute Organizzativa"  # the two Avvocatura points: see README
    points.setdefault(r["titolo"], (area, []))[1].append(r["descrizione"])
for i, (title, (area, subs)) in enumerate(points.items(), 1):
    code = f"SAL-{i:02d}"
    for j, sub in enumerate([s for s in subs if s] or [title], 1):
        name, misura, verso, target, actual, natura, um = SAL_KPI[sub]
        kcode = f"{code}-K{j}"
        plan20.append(row(dimensione="salute", ambito=SAL_AMBITO[area], struttura="", obiettivo=code, obiettivo_titolo=title, obiettivo_peso="1",
                          kpi=kcode, kpi_nome=name, misura=misura, verso=verso, target=target, kpi_peso="1", natura=natura, unita_misura=um))
        value(kcode, actual)

# --- Portafoglio: 18 services, each with its three criteri di misurazione.
for r in csv.DictReader(open("milano_2020_dimensioni.csv")):
    if r["area"] != "Prodotti/Servizi":
        continue
    n = int(r["codice"])
    code = f"PTF-{n:02d}"
    crit = [
        ("ECO", "Costo unitario del servizio", "importo", "decrescente", h(code, 80, 120), h(code + "e", 85, 130), "economicita", "€/prestazione"),
        ("EFC", "Utenti soddisfatti sul totale dei rispondenti", "percentuale", "crescente", 80, h(code + "s", 65, 92), "efficacia", "%"),
        ("EFF", "Tempo medio di erogazione", "numero", "decrescente", h(code + "t", 10, 30), h(code + "u", 8, 36), "efficienza", "giorni"),
    ]
    for suffix, name, misura, verso, target, actual, natura, um in crit:
        kcode = f"{code}-{suffix}"
        plan20.append(row(dimensione="portafoglio", ambito=str(n), obiettivo=code, obiettivo_titolo=r["titolo"], obiettivo_peso="1",
                          kpi=kcode, kpi_nome=name, misura=misura, verso=verso, target=str(target), kpi_peso="1", natura=natura, unita_misura=um))
        value(kcode, str(actual))

# --- Obiettivi di Direzione: 2020 list in 2020; 2021–2022 list in 2021 (target for 2022 too) and 2022.
COVID = "Emergenza Covid-19: Organizzazione per la gestione delle attività"
for r in csv.DictReader(open("milano_2020_obiettivi_direzione.csv")):
    d = DIRS[r["direzione"]]
    n = int(r["numero"])
    code = f"{d}-{r['periodo'][:4]}-{n:02d}"
    title = r["titolo"]
    covid = title == COVID
    base = dict(dimensione="direzione", ambito="", struttura=d, obiettivo=code, obiettivo_titolo=title, obiettivo_peso="1", kpi_peso="1", natura="efficacia")
    if covid:
        kpi = dict(kpi=f"{code}-K1", kpi_nome="Servizi essenziali garantiti durante l'emergenza", misura="si_no", target="si")
        actual = "si"
    else:
        kpi = dict(kpi=f"{code}-K1", kpi_nome="Avanzamento delle attività programmate", misura="avanzamento", verso="crescente", target="100", unita_misura="%")
        actual = str(h(code, 62, 100))
    if r["periodo"] == "2020":
        plan20.append(row(**base, **kpi))
        if not covid:
            value(kpi["kpi"], str(h(code + "h", 30, 60)), date="2020-06-30")
        value(kpi["kpi"], actual)
    else:
        multi = r["periodo"] == "2021-2022"
        plan21.append(row(**base, **kpi, target_anno2=kpi["target"] if multi else ""))
        # 2021 is in monitoring: about two KPIs in three have their values, the others are late.
        # SIAD and AMB keep theirs to be entered (the values and import walkthroughs use them).
        if d not in ("SIAD", "AMB") and h(code + "m", 0, 2) != 0:
            v21 = "si" if covid else str(h(code + "21", 55, 100))
            if not covid:
                values21.append({"kpi": kpi["kpi"], "data": "2021-06-30", "valore": str(h(code + "21h", 25, 55)), "nota": "Valore illustrativo", "non_valutabile": ""})
            values21.append({"kpi": kpi["kpi"], "data": "2021-12-31", "valore": v21, "nota": "Valore illustrativo", "non_valutabile": ""})
        if multi:
            plan22.append(row(**base, **kpi))

# --- Obiettivi del Segretario Generale (annex 2).
for r in csv.DictReader(open("milano_2020_obiettivi_segretario.csv")):
    code = f"SG-2020-{int(r['numero']):02d}"
    first = r["indicatore"].strip().splitlines()[0].strip()
    plan20.append(row(dimensione="segretario", ambito="", struttura="SG", obiettivo=code, obiettivo_titolo=r["obiettivo"], obiettivo_peso="1",
                      kpi=f"{code}-K1", kpi_nome=first, misura="avanzamento", verso="crescente", target="100", kpi_peso="1",
                      descrizione="\n".join([r["descrizione"].strip(), "Responsabili: " + r["responsabili"].strip(),
                                              "Azioni:\n" + r["azioni"].strip(), "KPI / indicatori di valutazione:\n" + r["indicatore"].strip()]),
                      natura="efficacia", unita_misura="%"))
    value(f"{code}-K1", str(h(code, 75, 100)))

for name, rows in [("piano-2020.csv", plan20), ("piano-2021.csv", plan21), ("piano-2022.csv", plan22)]:
    with open(name, "w", newline="") as fh:
        w = csv.DictWriter(fh, HEAD, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
for name, rows in [("misure-2020.csv", values), ("misure-2021.csv", values21)]:
    with open(name, "w", newline="") as fh:
        w = csv.DictWriter(fh, ["kpi", "data", "valore", "nota", "non_valutabile"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
print(len(plan20), len(plan21), len(plan22), len(values), len(values21))
