"""An integrator's client, generated from the served OpenAPI document by openapi-python-client,
pulls what the UI shows from a served demo: every read pages to its total, the payroll file's
people are the cycle's people, and a file is imported (as a trial) through it.

    python client_check.py BASE_URL TOKEN DIR_HOLDING_traguardi_client
"""

import io
import json
import sys

base, token, where = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, where)

from traguardi_client import AuthenticatedClient, Client  # noqa: E402
from traguardi_client.api.bilancio import list_lines  # noqa: E402
from traguardi_client.api.enti import list_acts, list_cycles, list_enti, list_people, list_units  # noqa: E402
from traguardi_client.api.importazioni import import_  # noqa: E402
from traguardi_client.api.piano import dashboard, list_indices, list_objectives, list_values  # noqa: E402
from traguardi_client.api.premi import list_scenarios, payroll  # noqa: E402
from traguardi_client.api.punteggi import scores_of_cycle  # noqa: E402
from traguardi_client.api.valutazioni import list_evaluations  # noqa: E402
from traguardi_client.models import Imported, ProblemJson  # noqa: E402
from traguardi_client.types import File  # noqa: E402

ENTE, YEAR = "015146", 2020
public = Client(base_url=base, raise_on_unexpected_status=True)
signed = AuthenticatedClient(base_url=base, token=token, raise_on_unexpected_status=True)
calls = 0


def answer(result):
    """A parsed answer, never a problem."""
    global calls
    calls += 1
    if isinstance(result, ProblemJson) or result is None:
        sys.exit(f"client: refused: {result}")
    return result


def every(op, client, *args, **kw):
    """Every item of a list, following the cursors 37 at a time; the count must be the total."""
    items, cursor = [], None
    while True:
        page = answer(op.sync(*args, client=client, limite=37, **({"cursore": cursor} if cursor else {}), **kw))
        items.extend(page.elementi)
        cursor = page.successivo if isinstance(page.successivo, str) else None
        if not cursor:
            break
    if len(items) != page.totale:
        sys.exit(f"client: {op.__name__}: {len(items)} items paged, total {page.totale}")
    return items


enti = every(list_enti, public)
assert any(e.codice == ENTE for e in enti), "the demo's ente"
cycles = answer(list_cycles.sync(ENTE, client=public))
assert YEAR in [c.anno for c in cycles]
units = every(list_units, public, ENTE, YEAR)
objectives = every(list_objectives, public, ENTE, YEAR)
kpis = sum(len(o.kpi) for o in objectives)
scores = answer(scores_of_cycle.sync(ENTE, YEAR, client=public))
indices = answer(list_indices.sync(ENTE, YEAR, client=public))
answer(dashboard.sync(ENTE, YEAR, client=public))
acts = every(list_acts, public, ENTE)
lines = every(list_lines, public, ENTE, 2024)
people = every(list_people, signed, ENTE, YEAR)
values = every(list_values, signed, ENTE, YEAR)
evaluations = every(list_evaluations, signed, ENTE, YEAR)
scenarios = answer(list_scenarios.sync(ENTE, YEAR, client=signed))
name = scenarios[0].nome
rows = json.loads(answer(payroll.sync(ENTE, YEAR, client=signed, nome=name, formato="json")))
matricole = {p.matricola for p in people}
strangers = {r["matricola"] for r in rows} - matricole
assert not strangers, f"payroll rows of people not in the cycle: {sorted(strangers)[:5]}"
csv = b"codice,nome,tipo,padre,cdr\nCLIENT,Direzione di prova,direzione,,\n"
trial = answer(import_.sync(ENTE, 2022, "struttura", client=signed, body=File(payload=io.BytesIO(csv), file_name="struttura.csv"), prova="1"))
assert isinstance(trial, Imported) and trial.prova, trial
print(
    f"client: {calls} calls answered as documented: {len(enti)} enti, {len(units)} units, {len(objectives)} objectives "
    f"with {kpis} KPIs, {len(scores.punteggi)} scores, {len(indices)} indices, {len(acts)} acts, {len(lines)} budget lines, "
    f"{len(people)} people, {len(values)} values, {len(evaluations)} evaluations, {len(rows)} payroll rows of «{name}», "
    f"a trial import"
)
