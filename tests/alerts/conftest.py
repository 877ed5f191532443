import pytest

from portal.alerts.sending import send_alerts
from portal.alerts.summary import Summary


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """``send_alerts`` as the command runs it: its emails go when its transactions commit."""

    def run(**kwargs) -> Summary:
        with django_capture_on_commit_callbacks(execute=True):
            return send_alerts(**kwargs)

    return run
