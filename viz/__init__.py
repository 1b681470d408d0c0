"""valuegrad's viz package (being built; see the README)."""
