#!/usr/bin/env python3
"""Builds dup-innovazione.csv (format of `traguardi import dup`) from the DUP pages of the
Direzione Innovazione Tecnologica e Digitale printed in the Bilancio di Previsione 2025 REPORT
COMMISSIONI (seed 004). Text is kept as printed; PDF line wrapping is joined with one space,
bullets become "• " lines (a bullet wrapped across a blank line is
joined), page numbers are dropped. The pages print the Missione (1) but not
the Programma: the one given here is inferred (01.11 Altri servizi generali for the CRM
programme, whose PEG lines are there; 01.08 Statistica e sistemi informativi for the others).
The AGID objectives named in each page's text become its tags.
Run from this folder: python3 make_dup.py PATH/TO/004_9124921b53ca9371.txt"""
import csv, re, sys

text = open(sys.argv[1], encoding="utf-8").read()
pages = text.split("MISSIONE  \n")[1:]
BULLET = "\uf0b7"
rows, strategic = [], {}
for n, page in enumerate(pages, 1):
    lines = [l.rstrip() for l in page.split("\n")]
    def after(label):
        i = next(k for k, l in enumerate(lines) if l.strip() == label)
        j = next(k for k in range(i + 1, len(lines)) if lines[k].strip())
        return lines[j].strip()
    strat = after("OBIETTIVO STRATEGICO")
    oper = after("PROGRAMMA OPERATIVO")
    start = next(k for k, l in enumerate(lines) if l.strip().startswith("DESCRIZIONE DELLE FINALIT")) + 1
    paras, cur = [], ""
    for l in lines[start:]:
        s = l.strip()
        if re.fullmatch(r"(16\.6|\d{3})", s):
            continue  # page numbers
        if not s:
            # A bullet wraps across a blank line: keep it open until the next bullet or paragraph.
            if cur and not cur.startswith("• "):
                paras.append(cur); cur = ""
            continue
        if cur.startswith("• ") and not s.startswith(BULLET) and (s[0].islower() or not cur.rstrip().endswith((".", ";", ":"))):
            cur = cur + " " + s
            continue
        if cur.startswith("• ") and not s.startswith(BULLET):
            paras.append(cur); cur = ""
        if s.startswith(BULLET):
            if cur:
                paras.append(cur)
            cur = "• " + s[1:].strip()
        elif s == "BILANCIO DI GENERE":
            if cur:
                paras.append(cur)
            paras.append(s); cur = ""
        else:
            cur = (cur + " " + s).strip() if cur else s
    if cur:
        paras.append(cur)
    finalita = "\n".join(paras)
    agid = []
    for m in re.finditer(r"OB\.?\s?(\d)\.(\d)", finalita):
        code = f"AGID OB.{m.group(1)}.{m.group(2)}"
        if code not in agid:
            agid.append(code)
    if strat not in strategic:
        strategic[strat] = f"DUP-01-S{len(strategic) + 1}"
        rows.append([strategic[strat], "strategico", strat, "01", "", "", "SIAD", "", ""])
    programma = "11" if "canali relazionali" in oper else "08"
    rows.append([f"DUP-01-O{n}", "operativo", oper, "01", programma, strategic[strat], "SIAD", "|".join(agid), finalita])

with open("dup-innovazione.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["codice", "tipo", "titolo", "missione", "programma", "padre", "direzione", "tag", "finalita"])
    w.writerows(rows)
print(len(rows), "rows")
