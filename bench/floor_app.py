"""The floor for the cold-start benchmark: a bare one-file Streamlit app drawing one plotly
bar chart, started and opened exactly as the dashboard is (bench/run.py interleaves them)."""

import plotly.graph_objects as go
import streamlit as st

st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 3, 2])))
