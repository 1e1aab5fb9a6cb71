"""Kelurahan lookup (pin or text), landmarks and nearby open complaints."""
