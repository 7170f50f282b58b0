"""`ponti dup-sheet CODE --format html|pdf|odt|docx --output FILE [--ente SLUG] [--report --year YEAR]`

Writes the DUP sheet of the objective with code CODE (or, with --report, its stato di attuazione
for --year). Run from the command line, so no reader's confidentiality filter applies.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ponti.core.models import Ente
from ponti.planning.documents import (
    REPORT_FORMATS,
    SHEET_FORMATS,
    render_progress_report,
    render_sheet,
)
from ponti.planning.models import Objective


class Command(BaseCommand):
    help = (
        "Scrive la scheda DUP (o lo stato di attuazione) di un obiettivo in HTML, PDF, ODT o DOCX."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="Il codice dell'obiettivo, per esempio 1901/0159.")
        parser.add_argument(
            "--format", dest="fmt", default="pdf", help="html, pdf, odt o docx (predefinito: pdf)."
        )
        parser.add_argument("--output", required=True, help="Il file da scrivere.")
        parser.add_argument("--ente", help="Lo slug dell'ente, se ce n'è più d'uno.")
        parser.add_argument(
            "--report", action="store_true", help="Lo stato di attuazione invece della scheda."
        )
        parser.add_argument("--year", type=int, help="L'anno dello stato di attuazione.")

    def handle(self, *args: Any, **options: Any) -> None:
        # WeasyPrint's notes about font subsetting are not the user's business here.
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        fmt = str(options["fmt"]).lower()
        formats = REPORT_FORMATS if options["report"] else SHEET_FORMATS
        if fmt not in formats:
            raise CommandError(f"Formato sconosciuto «{fmt}»: usa {', '.join(formats)}.")
        objective = self._objective(options["code"], options.get("ente"))
        if options["report"]:
            year = options.get("year")
            if year is None:
                raise CommandError("Con --report indica l'anno con --year.")
            if year not in objective.years:
                raise CommandError(
                    f"L'anno {year} è fuori dall'orizzonte dell'obiettivo ({objective.start_year}–{objective.end_year})."
                )
            rendered = render_progress_report(objective, year, fmt)
        else:
            rendered = render_sheet(objective, fmt)
        output = Path(options["output"])
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_bytes(rendered.content)
        except OSError as exc:
            raise CommandError(f"Non riesco a scrivere {output}: {exc}") from exc
        self.stdout.write(f"{output} ({len(rendered.content):,} byte)".replace(",", "."))

    def _objective(self, code: str, ente_slug: str | None) -> Objective:
        """The objective with `code`: in --ente, or in the only ente that has one with that code.

        With several enti (the demo has three) the code alone is enough when just one ente uses
        it; when more do, the command asks for --ente instead of guessing.
        """
        objectives = Objective.objects.filter(code=code).select_related(
            "ente", "missione", "programma"
        )
        if ente_slug:
            if not Ente.objects.filter(slug=ente_slug).exists():
                raise CommandError(f"Nessun ente con slug «{ente_slug}».")
            objectives = objectives.filter(ente__slug=ente_slug)
        found = list(objectives[:2])
        if not found:
            where = f" per l'ente «{ente_slug}»" if ente_slug else ""
            raise CommandError(f"Nessun obiettivo con codice «{code}»{where}.")
        if len(found) > 1:
            slugs = ", ".join(
                sorted(Objective.objects.filter(code=code).values_list("ente__slug", flat=True))
            )
            raise CommandError(
                f"Ci sono più enti con un obiettivo «{code}» ({slugs}): indica quale con --ente SLUG."
            )
        return found[0]
