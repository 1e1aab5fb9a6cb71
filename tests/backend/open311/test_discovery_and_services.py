"""Discovery, GET services and GET services/{code}, against the specification's examples."""

from fastapi.testclient import TestClient

from backend.open311.api import PREFIX
from tests.backend.open311.conftest import children, errors_of, parse

SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]
ATTRIBUTE_FIELDS = [
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
]


def test_discovery_lists_this_endpoint_in_both_formats(client: TestClient) -> None:
    root = parse(client.get(f"{PREFIX}/discovery.xml"))
    assert root.tag == "discovery"
    assert children(root) == ["changeset", "contact", "key_service", "endpoints"]
    endpoint = root.find("endpoints/endpoint")
    assert endpoint is not None
    assert children(endpoint) == ["specification", "url", "changeset", "type", "formats"]
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url") == f"http://testserver{PREFIX}"
    assert [f.text for f in endpoint.iterfind("formats/format")] == [
        "text/xml",
        "application/json",
    ]
    as_json = client.get(f"{PREFIX}/discovery.json").json()
    assert as_json["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    assert as_json["changeset"] == root.findtext("changeset")
    assert as_json["changeset"].endswith("+07:00")


def test_services_are_the_complaint_categories(client: TestClient) -> None:
    root = parse(client.get(f"{PREFIX}/services.xml"))
    assert root.tag == "services"
    services = root.findall("service")
    assert len(services) == 19
    assert all(children(service) == SERVICE_FIELDS for service in services)
    sampah = services[0]
    assert sampah.findtext("service_code") == "sampah"
    assert sampah.findtext("service_name") == "Sampah"
    assert sampah.findtext("metadata") == "false"
    assert sampah.findtext("type") == "realtime"
    assert sampah.findtext("group") == "kebersihan"
    assert "tidak diangkut" in (sampah.findtext("keywords") or "")
    with_metadata = {
        s.findtext("service_code") for s in services if s.findtext("metadata") == "true"
    }
    assert with_metadata == {"banjir", "pohon"}


def test_services_json_is_the_spark_mapping_of_the_xml(client: TestClient) -> None:
    xml = parse(client.get(f"{PREFIX}/services.xml"))
    as_json = client.get(f"{PREFIX}/services.json").json()
    assert [s["service_code"] for s in as_json] == [s.findtext("service_code") for s in xml]
    assert as_json[0]["metadata"] is False
    assert list(as_json[0]) == SERVICE_FIELDS


def test_service_definition_lists_attributes_with_their_values(client: TestClient) -> None:
    root = parse(client.get(f"{PREFIX}/services/pohon.xml"))
    assert root.tag == "service_definition"
    assert children(root) == ["service_code", "attributes"]
    assert root.findtext("service_code") == "pohon"
    attributes = root.findall("attributes/attribute")
    assert [a.findtext("order") for a in attributes] == ["1", "2"]
    first = attributes[0]
    assert children(first) == ATTRIBUTE_FIELDS
    assert first.findtext("code") == "KONDISI_POHON"
    assert first.findtext("datatype") == "singlevaluelist"
    assert first.findtext("required") == "true"
    assert first.findtext("variable") == "true"
    assert [v.findtext("key") for v in first.iterfind("values/value")] == [
        "tumbang",
        "rawan",
        "dahan",
        "taman",
    ]
    as_json = client.get(f"{PREFIX}/services/pohon.json").json()
    assert as_json["attributes"][0]["values"][0] == {"key": "tumbang", "name": "Sudah tumbang"}
    assert as_json["attributes"][1]["required"] is False


def test_service_without_attributes_has_an_empty_definition(client: TestClient) -> None:
    as_json = client.get(f"{PREFIX}/services/sampah.json").json()
    assert as_json == {"service_code": "sampah", "attributes": []}


def test_unknown_service_code_is_404_in_the_format_asked(client: TestClient) -> None:
    for fmt in ("xml", "json"):
        reply = client.get(f"{PREFIX}/services/kucing.{fmt}")
        assert reply.status_code == 404
        assert errors_of(reply) == [
            {"code": 404, "description": "service_code 'kucing' was not found"}
        ]


def test_unknown_format_is_400_in_xml(client: TestClient) -> None:
    reply = client.get(f"{PREFIX}/services.yaml")
    assert reply.status_code == 400
    assert errors_of(reply)[0]["code"] == 400


def test_jurisdiction_id_may_be_left_out_or_must_be_jakarta(client: TestClient) -> None:
    assert client.get(f"{PREFIX}/services.json?jurisdiction_id=").status_code == 200
    assert client.get(f"{PREFIX}/services.json?jurisdiction_id=jakarta.go.id").status_code == 200
    reply = client.get(f"{PREFIX}/services.json?jurisdiction_id=sfgov.org")
    assert reply.status_code == 404
    assert "jurisdiction_id" in errors_of(reply)[0]["description"]
