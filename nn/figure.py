"""A matplotlib Figure that Jupyter shows inline, with no ``%matplotlib inline``.

:func:`nn.plot_history` and :func:`nn.plot_decision_boundary` return a :class:`Figure`:
a plain ``matplotlib.figure.Figure`` (``savefig``, ``axes``, ... all work) made without
pyplot, so no global state and no GUI backend, plus ``_repr_png_``, which Jupyter and
IPython call to display it. This module imports matplotlib (the ``plot`` extra).

>>> fig = Figure(figsize=(2, 1))
>>> _ = fig.subplots().plot([0, 1], [1, 0])
>>> fig._repr_png_()[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
True
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure as _MatplotlibFigure

__all__ = ["Figure"]


class Figure(_MatplotlibFigure):
    """A ``matplotlib.figure.Figure`` that displays itself as PNG in Jupyter."""

    def _repr_png_(self) -> bytes:
        """The figure as PNG bytes (Jupyter's ``image/png``), at the figure's own dpi."""
        buffer = io.BytesIO()
        self.savefig(buffer, format="png")
        return buffer.getvalue()
