"""Files to take away: charts as images (plotly's static export through kaleido and
Debian's Chromium; one kaleido server per process, about 0.2 s an image instead of 2 s),
and tables as CSV and XLSX that Excel opens safely."""

from __future__ import annotations

import atexit
import io
import threading

import kaleido
import pandas as pd
import plotly.graph_objects as go

from indicators.formulas import neutralise, table_csv_text

_lock = threading.Lock()
_started = False


def _ensure_server() -> None:
    global _started
    with _lock:
        if not _started:
            # No MathJax: it would be fetched from a CDN, and the charts use none.
            kaleido.start_sync_server(mathjax=False, silence_warnings=True)
            atexit.register(kaleido.stop_sync_server, silence_warnings=True)
            _started = True


# One size and margin rule for every image that leaves the app (chart downloads, the
# deck, the report, the CLI): 1400 px wide, as tall as the figure was drawn for the page.
EXPORT_WIDTH = 1400
MIN_HEIGHT, MAX_HEIGHT, DEFAULT_HEIGHT = 400, 1800, 600


def export_size(figure: go.Figure) -> tuple[int, int]:
    height = figure.layout.height or DEFAULT_HEIGHT
    return EXPORT_WIDTH, int(min(max(height, MIN_HEIGHT), MAX_HEIGHT))


# A chart placed in a box of a slide or a report page is laid out at the box's size in
# inches at this many px an inch, then drawn at twice that: its 15 px labels read at
# about 12 pt where it is placed, not shrunk to 6 pt from a 1400 px page image.
PX_PER_INCH = 90


def figure_image(
    figure: go.Figure, fmt: str = "png", box: tuple[float, float] | None = None
) -> bytes:
    """The figure as PNG or SVG bytes, the same from the app and the CLI (the figure names
    its own template and margins: see charts._layout); `box` (width, height in inches)
    lays it out for the place it goes in a deck or a report."""
    if box is None:
        width, height = export_size(figure)
        scale = 1
    else:
        width, height = (round(side * PX_PER_INCH) for side in box)
        scale = 2
    _ensure_server()
    return kaleido.calc_fig_sync(
        figure, opts={"format": fmt, "width": width, "height": height, "scale": scale}
    )


def table_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM, so Excel on Chinese Windows opens it; no live formulas (the same
    text as the command line's `--format csv`)."""
    return table_csv_text(frame).encode("utf-8-sig")


def table_xlsx(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """An .xlsx of the table; no live formulas."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise(frame).to_excel(writer, sheet_name=sheet[:31], index=False)
    return buffer.getvalue()
