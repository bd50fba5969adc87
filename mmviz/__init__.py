"""mmviz: how a transformer turns every modality into tokens and attends over them.

The backend of the mmviz teaching app. Pure PyTorch / NumPy / Plotly; it never imports
streamlit, so every function here can be used from a notebook or a test as well as a page.
"""

__version__ = "0.1.0"
