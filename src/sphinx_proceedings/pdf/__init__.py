"""The full proceedings volume: the book of abstracts joined with every paper's own PDF."""
