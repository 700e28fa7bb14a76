"""What users take away, made by one path for the app and the command line.

`charts` (every plotly figure, drawn the same on a page and in an image), `takeaway`
(chart images, CSV and XLSX that Excel opens safely), `deck` (the PPTX briefing),
`report` (the PDF briefing), `templates` (blank upload templates for each kind).

May import: intake (its declaration, for templates), domain, store, reference, auth,
formulas. Never Streamlit.
"""
