"""Printable documents (PDF): credential letters."""
