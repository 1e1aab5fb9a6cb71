"""The citizen's answer to "Sudah beres?": resolved or not (reopening it), and a 1-5 rating."""
