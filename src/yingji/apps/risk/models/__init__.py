from yingji.apps.risk.models.inventory import ChemicalInventory

__all__ = ["ChemicalInventory"]
