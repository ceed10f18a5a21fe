"""The demo city: `manage.py load_demo` (apps/demo/management/commands/load_demo.py) builds the
foundation's part and then each app's part from `apps/demo/<app>.py`."""

DEMO_PASSWORD = "hefei-demo-2026"  # noqa: S105 - printed in the README on purpose
DEMO_TRAINEE_ID = "340104198703152314"
