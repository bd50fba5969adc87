"""mmviz: how a transformer turns every modality into tokens and attends over them.

The backend of the mmviz teaching app. Pure PyTorch / NumPy / Plotly; only ``mmviz.ui`` (what the
pages share) imports streamlit, so every other function can be used from a notebook or a test as
well as a page.
"""

__version__ = "0.1.0"
