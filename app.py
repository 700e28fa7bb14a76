"""Entry point: `streamlit run app.py`. The pages and their navigation are declared in
indicators/views/ui.py, which a page also uses when it is opened first by a deep link."""

from indicators.views import ui

ui.run_app()
