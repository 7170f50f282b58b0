from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def make_agreement(db: Any, ente: Any, make_org: Any) -> Any:
    from ponti.agreements.models import Agreement

    def make(*, partner: Any = None, **kwargs: Any) -> Any:
        partner = partner or make_org(name="Reims", country="FR")
        values = {
            "kind": "amicizia",
            "title": f"Patto con {partner.name}",
            "ente": ente,
            "confidentiality": "interno",
        }
        values.update(kwargs)
        agreement = Agreement.objects.create(**values)
        agreement.partners.add(partner)
        return agreement

    return make
