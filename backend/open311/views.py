"""GeoReport documents built from stored data. Nothing about the reporter goes in.

A request shows its ticket, category, status (open/closed, with the Indonesian
label as status_notes), the unit handling it, its times, its kelurahan,
kecamatan and kota, its pin and its first publishable photo. Descriptions are
published with phone numbers, e-mail addresses and NIK masked (`backend.privacy`); for sensitive
categories (see `catalogue`) neither the description nor the pin is published.
"""

from collections.abc import Callable
from datetime import datetime

from backend.agencies.models import Category
from backend.complaints.models import Complaint, Status
from backend.complaints.schemas import status_label
from backend.open311 import catalogue
from backend.open311.formats import Many, Value
from backend.open311.service import WIB, open311_status
from backend.privacy import mask_personal

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When the service list or a service definition last changed (bump with the data files).
CHANGESET = datetime(2026, 11, 22, 17, 0, tzinfo=WIB)
CONTACT = (
    "Aduan, layanan pengaduan warga DKI Jakarta. Bantuan dan laporan bug: hubungi admin Aduan "
    "atau Tim CRM Pemprov DKI Jakarta."
)
KEY_SERVICE = (
    "api_key (wajib untuk POST requests) diberikan oleh admin Aduan sebagai token klien "
    "layanan; minta ke admin Aduan."
)
FORMATS = ("text/xml", "application/json")


def discovery(endpoint_url: str) -> Value:
    return {
        "changeset": CHANGESET,
        "contact": CONTACT,
        "key_service": KEY_SERVICE,
        "endpoints": Many(
            "endpoint",
            [
                {
                    "specification": SPECIFICATION,
                    "url": endpoint_url,
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": Many("format", list(FORMATS)),
                }
            ],
        ),
    }


def services(categories: list[Category]) -> Value:
    return Many("service", [_service(category) for category in categories])


def _service(category: Category) -> Value:
    info = catalogue.info(category.code)
    return {
        "service_code": category.code,
        "service_name": category.label,
        "description": info.description or category.label,
        "metadata": bool(info.attributes),
        "type": "realtime",
        "keywords": info.keywords,
        "group": info.group,
    }


def service_definition(category: Category) -> Value:
    attributes = catalogue.info(category.code).attributes
    return {
        "service_code": category.code,
        "attributes": Many(
            "attribute",
            [
                {
                    "variable": attribute.variable,
                    "code": attribute.code,
                    "datatype": attribute.datatype,
                    "required": attribute.required,
                    "datatype_description": attribute.datatype_description or None,
                    "order": order,
                    "description": attribute.description,
                    "values": Many(
                        "value",
                        [{"key": value.key, "name": value.name} for value in attribute.values],
                    ),
                }
                for order, attribute in enumerate(attributes, start=1)
            ],
        ),
    }


def created(complaint: Complaint, due: datetime) -> Value:
    return Many(
        "request",
        [
            {
                "service_request_id": complaint.ticket_id,
                "service_notice": service_notice(complaint, due),
                "account_id": None,
            }
        ],
    )


def service_notice(complaint: Complaint, due: datetime) -> str:
    when = due.astimezone(WIB).strftime("%d-%m-%Y %H.%M WIB")
    return f"Laporan diteruskan ke {complaint.unit.name}. Target penyelesaian: {when}."


def requests(
    complaints: list[Complaint],
    due: Callable[[Complaint], datetime],
    media_url: Callable[[Complaint], str | None],
) -> Value:
    return Many("request", [request(c, due(c), media_url(c)) for c in complaints])


def request(complaint: Complaint, due: datetime, media_url: str | None) -> Value:
    sensitive = catalogue.is_sensitive(complaint.category_code)
    return {
        "service_request_id": complaint.ticket_id,
        "status": open311_status(complaint.status),
        "status_notes": status_label(complaint.status, complaint.unit.name),
        "service_name": complaint.category.label,
        "service_code": complaint.category_code,
        "description": None if sensitive else mask_personal(complaint.description),
        "agency_responsible": complaint.unit.name,
        "service_notice": None,
        "requested_datetime": complaint.created_at.astimezone(WIB),
        "updated_datetime": complaint.updated_at.astimezone(WIB),
        # A rejected request will not be fulfilled: no expected time.
        "expected_datetime": None if complaint.status is Status.DITOLAK else due.astimezone(WIB),
        "address": address(complaint),
        "address_id": complaint.kelurahan_code,
        "lat": None if sensitive else complaint.latitude,
        "long": None if sensitive else complaint.longitude,
        "media_url": media_url,
    }


def address(complaint: Complaint) -> str | None:
    """Most specific first, as the specification asks; never the reporter's own words."""
    parts = [
        f"Kelurahan {complaint.kelurahan}" if complaint.kelurahan else None,
        f"Kecamatan {complaint.kecamatan}" if complaint.kecamatan else None,
        complaint.kota,
    ]
    known = [part for part in parts if part]
    return ", ".join([*known, "DKI Jakarta"]) if known else None


def errors(status_code: int, descriptions: list[str]) -> Value:
    return Many("error", [{"code": status_code, "description": text} for text in descriptions])
