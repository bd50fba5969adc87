"""The numbers each page shows, one module per page with the page's name (NumPy out).

``pages/N_<name>.py`` draws what ``mmviz.lessons.<name>`` computes with the builders of
``mmviz.figures.<name>``. Lessons use the models, the teaching ops, the registry and the data
worlds; nothing imports a lesson but its page.
"""
