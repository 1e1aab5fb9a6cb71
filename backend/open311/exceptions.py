"""GeoReport errors: the HTTP status, and one or more code/description pairs.

The specification: 404 for a resource that does not exist, 403 for a missing or
wrong api_key, 400 for anything else that cannot be done. The `code` in the
body is the HTTP status, as in the specification's own examples.
"""


class Open311Error(Exception):
    status_code = 400

    def __init__(self, *descriptions: str) -> None:
        super().__init__("; ".join(descriptions))
        self.descriptions = list(descriptions) or ["bad request"]


class BadRequest(Open311Error):
    status_code = 400


class InvalidApiKey(Open311Error):
    status_code = 403


class NotFound(Open311Error):
    status_code = 404
