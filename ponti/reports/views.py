"""The home page: public welcome for visitors, the registry at a glance for staff."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ponti.core.confidentiality import visible_levels
from ponti.core.models import AuditEvent
from ponti.partners.models import Organisation, OrganisationKind, Person


def home(request: HttpRequest) -> HttpResponse:
    context: dict = {}
    user = request.user
    if user.is_authenticated and user.has_perm("partners.view_organisation"):
        orgs = Organisation.objects.filter(confidentiality__in=visible_levels(user))
        by_kind = dict(orgs.values_list("kind").annotate(n=Count("id")).order_by())
        context.update(
            organisations=orgs.count(),
            people=Person.objects.filter(confidentiality__in=visible_levels(user)).count(),
            countries=orgs.values("country").distinct().count(),
            by_kind=[
                (OrganisationKind(k).label, n)
                for k, n in sorted(by_kind.items(), key=lambda i: -i[1])
            ],
            recent=orgs.order_by("-updated_at")[:8],
            # The user's own changes, of records they may still see (ente and clearance).
            my_changes=AuditEvent.objects.filter(actor=user)
            .visible_to(user)
            .select_related("content_type")[:8],
        )
    return render(request, "reports/home.html", context)
