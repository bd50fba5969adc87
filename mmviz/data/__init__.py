"""Procedurally generated teaching data (no downloads)."""

from mmviz.data.shapes import SHAPE_KINDS, Scene, ShapesWorld, generate_scene, make_batch

__all__ = ["SHAPE_KINDS", "Scene", "ShapesWorld", "generate_scene", "make_batch"]
