"""Key figures of how complaints are handled, for the console and the public page."""
