"""The operator console: server-rendered pages for officers (login, queue, complaints, posko)."""
