from yingji.apps.accounts.models.grant import Grant
from yingji.apps.accounts.models.user import User

__all__ = ["Grant", "User"]
