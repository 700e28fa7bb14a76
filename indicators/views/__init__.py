"""The Streamlit pieces the pages draw; a page holds only layout and wiring.

`ui` (the frame every page shares: language, filters kept in the URL, banners, sign-in,
and cached reads keyed on the data version), `widgets` (cards, the status matrix, tables,
downloads), and one module per page family: `data` (upload, check report, history,
boundaries), `reporting` (the reporting cycle and review), `targets` (目标分解),
`commitments` (承诺事项), `fund` (资金绩效).

May import: exports, builtin, intake, domain, store, reference, auth, formulas.
"""
