from rest_framework import serializers

from yingji.apps.resources.models import Depot, Expert, RescueTeam, Shelter

_COMMON = ["id", "division_code", "organization", "address", "lon", "lat", "phone", "is_demo"]


class _Base(serializers.ModelSerializer):
    division_code = serializers.CharField(source="division.code", read_only=True)


class DepotSerializer(_Base):
    class Meta:
        model = Depot
        fields = ["code", "name", "owner_kind", "floor_area_m2", *_COMMON]


class RescueTeamSerializer(_Base):
    class Meta:
        model = RescueTeam
        fields = ["name", "kind", "specialty", "member_count", "readiness", *_COMMON]


class ExpertSerializer(_Base):
    class Meta:
        model = Expert
        fields = ["name", "specialty", "title", "available", *_COMMON]


class ShelterSerializer(_Base):
    class Meta:
        model = Shelter
        fields = ["code", "name", "kind", "capacity_persons", "area_m2", "status", "occupancy", *_COMMON]
