"""valuegrad's nn package (being built; see the README)."""
