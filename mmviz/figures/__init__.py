"""Plotly figure builders: NumPy arrays in, ``go.Figure`` out (one module per lesson)."""
