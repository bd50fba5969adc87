"""The model floor: shared layers (``layers``) and one file per architecture built from them.

- ``layers``: attention (global and windowed), MLP, pre-norm block, patch embedding, init.
- ``vit``: Vision Transformer (ViT, DINO); ``swin``: Swin; ``ast``: Audio Spectrogram Transformer;
  ``clip``: CLIP's dual encoder and InfoNCE.

Checkpoint conversion lives in ``mmviz.hf``; the registry and loaders in ``mmviz.weights``.
"""
