from tests.conftest import ApiClient


def test_it_accepts_a_check_in_at_the_office(clock, phone: ApiClient) -> None:
    response = phone.punch("in")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["verdict"] == "accepted"
    assert body["location"]["name"] == "Kantor Diskominfo"
    assert body["local_time"] == "07:10:00"
