"""Service-level targets: how long each category of complaint may take."""
