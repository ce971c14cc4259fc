"""Every fault named, none a 500 (issue 17): private downloads are not kept by browsers or proxies, and while the
database is unreachable a form answers 503 with Retry-After and what the person typed."""

from typing import cast

from django.contrib.auth.models import AnonymousUser
from django.http import FileResponse, HttpResponse
from django.test import RequestFactory

from tilannekuva.core.middleware import PrivateDownloadMiddleware


def through(response: HttpResponse, *, signed_in: bool = False) -> HttpResponse:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    if signed_in:
        request.user = type("Signed", (), {"is_authenticated": True})()
    return PrivateDownloadMiddleware(lambda _request: response)(request)


def test_a_download_is_not_stored_unless_it_says_so():
    download = HttpResponse("a;b\n", headers={"Content-Disposition": 'attachment; filename="answers.csv"'})
    assert through(download)["Cache-Control"] == "no-store"
    import io

    attachment = FileResponse(io.BytesIO(b"%PDF"), as_attachment=True, filename="liite.pdf")
    assert through(cast(HttpResponse, attachment), signed_in=True)["Cache-Control"] == "no-store"
    public = HttpResponse(
        "a;b\n", headers={"Content-Disposition": "attachment", "Cache-Control": "public, max-age=300"}
    )
    assert through(public)["Cache-Control"] == "public, max-age=300"


def test_a_signed_in_page_is_private_and_an_anonymous_one_untouched():
    assert through(HttpResponse("page"), signed_in=True)["Cache-Control"] == "private"
    assert "Cache-Control" not in through(HttpResponse("page"))


def test_while_the_database_is_unreachable_a_form_answers_503_and_keeps_what_was_typed(db, monkeypatch):
    from django.db import OperationalError
    from django.db.backends.utils import CursorWrapper
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = "en"

    def gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    with monkeypatch.context() as patched:
        patched.setattr(CursorWrapper, "execute", gone)
        response = client.post("/accounts/login/", {"username": "aino.example", "password": "secret-typed-1"})
    assert response.status_code == 503 and response["Retry-After"] == "30"
    page = response.content.decode()
    assert "The service is briefly unavailable" in page
    assert ">aino.example</textarea>" in page  # what was typed, to send again
    assert "secret-typed-1" not in page  # never a password
    assert response["Cache-Control"] == "no-store"


def test_any_other_error_is_still_a_500():
    from tilannekuva.core.views import server_error

    request = RequestFactory().get("/")
    try:
        raise ZeroDivisionError
    except ZeroDivisionError:
        response = server_error(request)
    assert response.status_code == 500 and "Retry-After" not in response
