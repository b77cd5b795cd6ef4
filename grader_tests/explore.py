"""Small interactive explorations for the notebooks: a Matplotlib figure redrawn as sliders move.

    explore(draw, w=(-4, 4, 0.5, 1), b=(-5, 5, 0.5, 0))   # each slider: (min, max, step, start)

`draw(**values)` returns a Matplotlib figure. In JupyterLab the sliders and the picture are live widgets; where
there is no widget frontend (a notebook run headless, as when it is graded, or a feedback page), the same output
carries the first picture as a PNG, so the plot is still there, just not interactive.
"""
from __future__ import annotations

import base64
import io
from typing import Callable

import matplotlib.pyplot as plt

__all__ = ["explore"]


def png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    plt.close(figure)  # closed, or the inline backend would show it a second time
    return buffer.getvalue()


def explore(draw: Callable, **sliders: tuple[float, float, float, float]) -> None:
    """Show `draw(**values)` with one slider per keyword: name=(min, max, step, start)."""
    import ipywidgets as widgets
    from IPython.display import display

    controls = {name: widgets.FloatSlider(value=start, min=low, max=high, step=step, description=name,
                                          continuous_update=False, readout_format=".2f")
                for name, (low, high, step, start) in sliders.items()}
    first = png(draw(**{name: control.value for name, control in controls.items()}))
    picture = widgets.Image(value=first, format="png", layout=widgets.Layout(max_width="640px"))

    def redraw(_change=None) -> None:
        picture.value = png(draw(**{name: control.value for name, control in controls.items()}))

    for control in controls.values():
        control.observe(redraw, names="value")
    box = widgets.VBox([widgets.HBox(list(controls.values())), picture])
    bundle = box._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    data = dict(data, **{"image/png": base64.b64encode(first).decode("ascii"),
                         "text/plain": "an interactive plot (move the sliders in JupyterLab)"})
    display(data, raw=True)

