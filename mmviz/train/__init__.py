"""Training recipes for the embedded tiny models: ``python -m mmviz.train NAME`` (see __main__.py).

``common.fit`` is the one training loop (logging, probes, phases, the card); each recipe module
(vit.py, swin.py, ast.py, clip.py) keeps only its data, loss and card text.
"""
