"""Human handoff: a citizen's chat handed to an officer in the console inbox, and back."""
