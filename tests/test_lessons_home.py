import numpy as np
from PIL import Image

from mmviz.lessons.home import modality_tokens


def _inputs(seconds=2.0, sr=16000):
    img = Image.fromarray(np.random.default_rng(0).integers(0, 255, (300, 400, 3), dtype=np.uint8))
    t = np.arange(int(seconds * sr)) / sr
    return img, (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), sr


def test_every_modality_becomes_an_n_by_d_matrix():
    img, y, sr = _inputs()
    toks = modality_tokens("héllo", img, y, sr, dim=32)
    assert list(toks) == ["Text", "Image", "Audio"]
    assert toks["Text"]["tokens"].shape == (6, 32)  # 'é' is two UTF-8 bytes
    assert toks["Image"]["tokens"].shape == (196, 32)  # 224 / 16 = 14; 14 * 14
    n_frames = 1 + len(y) // 160
    assert toks["Audio"]["view"].shape == (128, n_frames)
    assert toks["Audio"]["tokens"].shape == (8 * ((n_frames - 16) // 16 + 1), 32)
    assert all(np.isfinite(t["tokens"]).all() for t in toks.values())


def test_short_clip_and_empty_text_still_tokenize():
    img, y, sr = _inputs(seconds=0.1)
    toks = modality_tokens("", img, y, sr)
    assert toks["Text"]["tokens"].shape[0] == 1
    assert toks["Audio"]["tokens"].shape[0] == 8
