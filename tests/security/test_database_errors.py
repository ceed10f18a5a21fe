"""A dropped database connection shows the portal's Chinese page: nothing saved, retry is safe."""

from __future__ import annotations

from django.db import InterfaceError, OperationalError
from django.urls import reverse

from apps.credits import views as credit_views
from tests.credits.helpers import png


def _drop_connection(**kwargs):
    raise OperationalError("server closed the connection unexpectedly")


def test_a_write_that_loses_the_database_says_nothing_was_saved(
    monkeypatch, trainee_client, person
):
    monkeypatch.setattr(credit_views, "claim_submit", _drop_connection)
    response = trainee_client.post(
        reverse("credits:claim_create", args=["paper"]),
        {
            "year": 2025,
            "title": "小学数学作业设计研究",
            "journal": "national",
            "chars": "3000",
            "paper_id": "小学数学教师 2025(3):1-4",
            "evidence": [png()],
            "attested": "on",
        },
    )
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "数据库连接中断" in page
    assert "您提交的内容没有保存" in page
    assert "可以放心返回重新提交" in page
    assert "no-store" in response["Cache-Control"]


def test_a_read_that_loses_the_database_asks_to_reload(monkeypatch, trainee_client):
    def closed(*args, **kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(credit_views, "_ledger_page", closed)
    response = trainee_client.get(reverse("credits:my_ledger"))
    assert response.status_code == 503
    assert "页面未能打开" in response.content.decode()
