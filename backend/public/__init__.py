"""The public page: how complaints are handled, with no personal data and no login."""
