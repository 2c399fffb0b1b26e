from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, roles and division/organisation-scoped grants."""

    name = "yingji.apps.accounts"
    label = "accounts"
    verbose_name = "账户与权限"
