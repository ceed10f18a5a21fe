from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo city (`manage.py load_demo`): each app's part in `apps/demo/<app>.py`, built
    through the real services. An edge: production code never imports it."""

    name = "apps.demo"
    verbose_name = "演示数据"
