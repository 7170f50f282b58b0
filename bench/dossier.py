"""Time of the briefing dossier (PDF and DOCX) for a partner with a long history.

    .venv/bin/python bench/dossier.py [--meetings 200] [--runs 10]

Builds a throwaway SQLite database (var/bench-dossier.sqlite3, rebuilt every run): one
partner with N meetings (3 participants each, with positions), a follow-up action and a gift
per meeting, 5 agreements and 3 networks in common; then times the dossier of the partner
and of its latest meeting, as PDF and as DOCX, through the same code as the download page
(`ponti.reports.dossier.render`), and prints p50 and max, and the number of SQL queries.

Goal: under 2 s for each at 200 meetings. Wall time depends on the machine's load (WeasyPrint
is single-threaded and CPU-bound), so the CPU time of the process is printed too.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import time
from pathlib import Path

from sqlite_env import ROOT, configure

GOAL_S = 2.0


def build(n_meetings: int) -> tuple[object, object, object]:
    from django.core.management import call_command

    from ponti.accounts.models import User
    from ponti.accounts.services import place_in_ente
    from ponti.agreements.models import Agreement
    from ponti.core.models import Ente
    from ponti.meetings.models import FollowUpAction, Gift, Meeting, Participant
    from ponti.networks.models import Membership, NetworkMember
    from ponti.partners.models import Organisation, Person, Position

    call_command("migrate", verbosity=0)
    ente = Ente.objects.get(slug="cm-firenze")
    user = User.objects.create_user(username="ufficio", password="bench-password-0")
    place_in_ente(user, ente, "ufficio")
    user = User.objects.get(pk=user.pk)
    partner = Organisation.objects.create(
        name="Città di Kyoto", kind="city", country="JP", city="Kyoto",
        latitude="35.0116", longitude="135.7681", description="Città gemellata dal 1965.",
    )  # fmt: skip
    people = []
    for i in range(30):
        person = Person.objects.create(first_name=f"Persona{i}", last_name="Bench", title="Dott.")
        Position.objects.create(
            person=person, organisation=partner, role=f"Ruolo {i}",
            start_date=datetime.date(2000 + i % 20, 1, 1),
            end_date=None if i < 5 else datetime.date(2024, 1, 1),
        )  # fmt: skip
        people.append(person)
    for i in range(5):
        a = Agreement.objects.create(
            ente=ente,
            kind="amicizia",
            title=f"Accordo {i}",
            status="attivo",
            signed_on=datetime.date(1965 + i * 5, 9, 22),
        )
        a.partners.add(partner)
    for i in range(3):
        net = Organisation.objects.create(name=f"Rete {i}", kind="network", country="BE")
        NetworkMember.objects.create(network=net, member=partner)
        Membership.objects.create(ente=ente, network=net, since_year=2000 + i)
    start = datetime.datetime(2000, 1, 1, 10, tzinfo=datetime.UTC)
    meetings = Meeting.objects.bulk_create(
        Meeting(
            ente=ente, title=f"Incontro {i} con Kyoto", status="svolto",
            starts_at=start + datetime.timedelta(days=30 * i),
            outcome=f"<p>Esito dell'incontro {i}: <strong>intesa</strong> sui prossimi passi.</p>",
            talking_points="<ul><li>Mostra</li><li>Scambi universitari</li></ul>",
        )
        for i in range(n_meetings)
    )  # fmt: skip
    Through = Meeting.counterparts.through
    Through.objects.bulk_create(
        Through(meeting_id=m.pk, organisation_id=partner.pk) for m in meetings
    )
    Participant.objects.bulk_create(
        Participant(
            meeting=m, side="controparte", person=people[(i + k) % len(people)], role="Delegato"
        )
        for i, m in enumerate(meetings)
        for k in range(3)
    )
    FollowUpAction.objects.bulk_create(
        FollowUpAction(
            ente=ente,
            meeting=m,
            description=f"Azione {i}",
            owner=user,
            due_date=datetime.date(2027, 1, 1),
        )
        for i, m in enumerate(meetings)
    )
    Gift.objects.bulk_create(
        Gift(
            ente=ente,
            meeting=m,
            counterpart=partner,
            direction="dato" if i % 2 else "ricevuto",
            description=f"Dono {i}",
        )
        for i, m in enumerate(meetings)
    )
    return user, partner, meetings[-1]


def measure(label: str, func: object, runs: int) -> dict[str, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    func()  # warm-up: templates, fonts, the map outlines
    times, cpu = [], []
    with CaptureQueriesContext(connection) as queries:
        func()
    n_queries = len(queries)  # read now: the log is a bounded deque
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        func()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    result = {
        "p50": statistics.median(times),
        "max": max(times),
        "cpu_p50": statistics.median(cpu),
        "queries": n_queries,
    }
    ok = "ok" if result["p50"] < GOAL_S else "SLOW"
    ms = {k: f"{v * 1000:6.0f} ms" for k, v in result.items() if k != "queries"}
    print(
        f"{label:<16} wall p50 {ms['p50']}  max {ms['max']}  CPU p50 {ms['cpu_p50']}  "
        f"{result['queries']:3d} queries  {ok}"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=200)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--sqlite-path", default=str(ROOT / "var" / "bench-dossier.sqlite3"))
    args = parser.parse_args()
    configure(Path(args.sqlite_path).resolve())

    import django

    django.setup()
    from ponti.reports import dossier

    user, partner, meeting = build(args.meetings)
    print(
        f"dossier of a partner with {args.meetings} meetings "
        f"({args.runs} runs each, goal < {GOAL_S:.0f} s)"
    )
    for fmt in ("pdf", "docx"):
        measure(
            f"partner {fmt}",
            lambda f=fmt: dossier.render(user, fmt=f, organisation=partner),
            args.runs,
        )
        measure(
            f"meeting {fmt}", lambda f=fmt: dossier.render(user, fmt=f, meeting=meeting), args.runs
        )
    content, _name = dossier.render(user, fmt="pdf", organisation=partner)
    print(f"partner PDF: {len(content) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
