"""factory_boy factories for resources records (tests only)."""

from __future__ import annotations

from decimal import Decimal

import factory

from yingji.apps.directory.models import AdministrativeDivision
from yingji.apps.resources.models import (
    Depot,
    RescueTeam,
    ReserveQuota,
    Shelter,
    SupplyClass,
    SupplyItem,
)


def _division(code: str) -> AdministrativeDivision:
    return AdministrativeDivision.objects.filter(code=code).order_by("-edition_year").first()  # type: ignore[return-value]


class SupplyClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplyClass
        django_get_or_create = ("code",)

    code = "05"
    name = "临时食宿类"


class SupplyItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplyItem
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"IT{n:04d}")
    name = factory.Sequence(lambda n: f"测试物资{n}")
    supply_class = factory.SubFactory(SupplyClassFactory)
    unit = "顶"
    shelf_life_days = None


class DepotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Depot

    code = factory.Sequence(lambda n: f"TK-{n:03d}")
    name = factory.Sequence(lambda n: f"测试储备库{n}")
    owner_kind = Depot.OwnerKind.BUREAU
    division = factory.LazyFunction(lambda: _division("652826000000"))
    lon = 86.57
    lat = 42.06


class RescueTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RescueTeam

    name = factory.Sequence(lambda n: f"测试救援队{n}")
    kind = RescueTeam.Kind.SPECIALISED
    specialty = "搜救"
    division = factory.LazyFunction(lambda: _division("652826000000"))
    lon = 86.58
    lat = 42.07


class ShelterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shelter

    code = factory.Sequence(lambda n: f"TS-{n:03d}")
    name = factory.Sequence(lambda n: f"测试避难场所{n}")
    kind = Shelter.Kind.OUTDOOR
    capacity_persons = 500
    area_m2 = Decimal("1000")
    division = factory.LazyFunction(lambda: _division("652826100000"))
    lon = 86.57
    lat = 42.06
    status = Shelter.Status.OPEN


class QuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReserveQuota

    division = factory.LazyFunction(lambda: _division("652826100000"))
    item = factory.SubFactory(SupplyItemFactory)
    basis = ReserveQuota.Basis.PER_1000
    quantity = Decimal("1")
