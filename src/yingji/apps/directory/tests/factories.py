"""factory_boy factories for directory records (tests only)."""

from __future__ import annotations

import factory

from yingji.apps.directory.models import AdministrativeDivision, Organization, OrganizationKind


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = OrganizationKind.MEMBER_UNIT
    division = factory.LazyFunction(lambda: AdministrativeDivision.objects.get(code="652826000000"))
    lon = 86.57
    lat = 42.06


class EnterpriseFactory(OrganizationFactory):
    kind = OrganizationKind.ENTERPRISE
    name = factory.Sequence(lambda n: f"测试企业{n}")
