"""chaingrad's neural-network layer on top of :mod:`autograd` (filled by the nn issue)."""

__all__: list[str] = []
