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


def figure_png(figure: go.Figure, width: int = 1400, height: int = 900) -> bytes:
    """The figure as PNG bytes."""
    return figure_image(figure, "png", width, height)


def figure_image(figure: go.Figure, fmt: str, width: int = 1400, height: int = 900) -> bytes:
    """The figure as PNG or SVG bytes."""
    _ensure_server()
    return kaleido.calc_fig_sync(figure, opts={"format": fmt, "width": width, "height": height})


# A text cell that starts with one of these is a formula to Excel: neutralise it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that Excel would run as formulas get a leading apostrophe; numbers and
    other cells stay exactly as they are."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = [
                "'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v
                for v in out[column]
            ]
    return out


def table_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM, so Excel on Chinese Windows opens it; no live formulas."""
    return neutralise(frame).to_csv(index=False).encode("utf-8-sig")


def table_xlsx(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """An .xlsx of the table; no live formulas."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise(frame).to_excel(writer, sheet_name=sheet[:31], index=False)
    return buffer.getvalue()
