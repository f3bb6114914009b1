import pytest


@pytest.mark.django_db
def test_api_validation_errors_list_each_field_with_a_message_in_the_request_language(client):
    response = client.get("/api/v1/territories/lookup?lat=abc&lon=200", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 422
    body = response.json()
    assert body["message"]
    errors = {tuple(e["loc"]): e for e in body["detail"]}
    assert errors[("query", "lat")]["type"] == "float_parsing"
    assert errors[("query", "lat")]["msg"] == "Saisissez un nombre."
    assert errors[("query", "lon")]["type"] == "less_than_equal"
    assert "180" in errors[("query", "lon")]["msg"]
