"""What caches may keep of API answers: public reads with ETags, nothing of a member's."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/listings/?kind=sell", "/companies/", "/prices/"])
def test_an_unchanged_answer_is_a_304(steel_api, path):
    first = steel_api.get(path)
    assert first.status_code == 200 and first["ETag"]
    assert "public" in first["Cache-Control"] and "max-age" in first["Cache-Control"]
    again = steel_api.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and not again.content
    other = steel_api.get(path, HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200


def test_details_have_etags_too(steel_api):
    item = steel_api.get("/companies/").json()["results"][0]
    first = steel_api.get(f"/companies/{item['id']}/")
    assert (
        steel_api.get(f"/companies/{item['id']}/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code
        == 304
    )


def test_answers_to_token_requests_are_never_kept(api, supplier, token_of):
    member = api("steel", token_of(supplier))
    for response in (member.get("/listings/"), member.get("/me/listings/")):
        assert response.status_code == 200
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
        assert "Surrogate-Control" not in response


def test_the_page_cache_keeps_no_api_answer(steel_api, settings):
    settings.PAGE_CACHE = "django"
    steel_api.get("/companies/")
    response = steel_api.get("/companies/")
    assert "X-Cache" not in response and "Surrogate-Control" not in response
