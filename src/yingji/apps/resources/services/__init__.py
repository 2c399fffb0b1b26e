"""Write use cases of the resources app (each validated, in a transaction, audited).

Modules: ``registry`` (depots, teams, experts, shelters, equipment, catalogue, quotas),
``stock`` (the ledger), ``dispatch`` (dispatch orders), ``teams`` (members,
certificates). Everything is re-exported here: ``services.create_depot(...)``.
"""

from yingji.apps.resources.services.common import InsufficientStock, StateError
from yingji.apps.resources.services.dispatch import (
    approve_dispatch,
    cancel_dispatch,
    issue_dispatch,
    receive_dispatch,
    reject_dispatch,
    request_dispatch,
    return_dispatch,
)
from yingji.apps.resources.services.registry import (
    check_catalogue_scope,
    create_depot,
    create_equipment,
    create_expert,
    create_rescue_team,
    create_shelter,
    create_supply_item,
    ensure_supply_classes,
    set_reserve_quota,
    set_shelter_status,
    update_depot,
    update_equipment,
    update_expert,
    update_rescue_team,
    update_shelter,
    update_supply_item,
)
from yingji.apps.resources.services.stock import (
    adjust_stock,
    issue_stock,
    receive_stock,
    transfer_stock,
    write_off_stock,
)
from yingji.apps.resources.services.teams import (
    add_certificate,
    add_team_member,
    update_team_member,
)

__all__ = [
    "InsufficientStock",
    "StateError",
    "add_certificate",
    "add_team_member",
    "adjust_stock",
    "approve_dispatch",
    "cancel_dispatch",
    "check_catalogue_scope",
    "create_depot",
    "create_equipment",
    "create_expert",
    "create_rescue_team",
    "create_shelter",
    "create_supply_item",
    "ensure_supply_classes",
    "issue_dispatch",
    "issue_stock",
    "receive_dispatch",
    "receive_stock",
    "reject_dispatch",
    "request_dispatch",
    "return_dispatch",
    "set_reserve_quota",
    "set_shelter_status",
    "transfer_stock",
    "update_depot",
    "update_equipment",
    "update_expert",
    "update_rescue_team",
    "update_shelter",
    "update_supply_item",
    "update_team_member",
    "write_off_stock",
]
