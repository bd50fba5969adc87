"""The CLIP page's formulas (its words are in the catalogues, mmviz.i18n: ``clip_similarity.*``)."""

from __future__ import annotations

__all__ = ["COS", "SOFTMAX", "LOSS"]

COS = (r"\cos(x_i, y_j) = \frac{f(\text{image}_i)}{\lVert f(\text{image}_i)\rVert}\cdot"
       r"\frac{g(\text{text}_j)}{\lVert g(\text{text}_j)\rVert},\qquad "
       r"\text{logits}_{ij} = s\,\cos(x_i, y_j),\quad s = e^{t} = 1/\tau")
SOFTMAX = r"p(j \mid i) = \frac{e^{s\cos(x_i, y_j)}}{\sum_{k=1}^{T} e^{s\cos(x_i, y_k)}}"
LOSS = (r"\mathcal{L} = \frac{1}{2}\Bigg[\underbrace{-\frac{1}{K}\sum_{i=1}^{K}\log\frac{e^{s\cos(x_i,y_i)}}"
        r"{\sum_{j=1}^{K} e^{s\cos(x_i,y_j)}}}_{\text{image}\to\text{text}}"
        r"\;\underbrace{-\frac{1}{K}\sum_{j=1}^{K}\log\frac{e^{s\cos(x_j,y_j)}}{\sum_{i=1}^{K} e^{s\cos(x_i,y_j)}}}"
        r"_{\text{text}\to\text{image}}\Bigg]")
