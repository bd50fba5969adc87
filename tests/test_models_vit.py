import dataclasses

import pytest
import torch

from mmviz.models.vit import PRESETS, ViT, ViTConfig, interpolate_pos_embed

SMALL = ViTConfig(image_size=32, patch_size=8, dim=32, depth=2, num_heads=4, num_classes=5)


def _model(cfg=SMALL, seed=0):
    torch.manual_seed(seed)
    return ViT(cfg).eval()


def test_presets_match_checkpoints():
    dino = PRESETS["dino-vits16"]
    assert (dino.dim, dino.depth, dino.num_heads, dino.patch_size, dino.num_classes) == (384, 12, 6, 16, 0)
    assert dino.layer_norm_eps == 1e-6
    base = PRESETS["vit-base-patch16-224"]
    assert (base.dim, base.depth, base.num_heads, base.num_classes) == (768, 12, 12, 1000)
    assert base.layer_norm_eps == 1e-12
    assert hash(dino) != hash(base)  # frozen + hashable -> cache key
    with pytest.raises(dataclasses.FrozenInstanceError):
        dino.dim = 3


def test_forward_shapes_and_attention():
    m = _model()
    x = torch.randn(2, 3, 32, 32)
    tokens, attns = m(x, return_attn=True)
    assert tokens.shape == (2, 1 + 16, 32)
    assert len(attns) == 2 and all(a.shape == (2, 4, 17, 17) for a in attns)
    torch.testing.assert_close(attns[0].sum(-1), torch.ones(2, 4, 17), atol=1e-5, rtol=0)
    tokens_fast, none = m(x)
    assert none is None
    torch.testing.assert_close(tokens, tokens_fast, atol=1e-5, rtol=0)
    assert m.classify(x).shape == (2, 5)


def test_final_norm_applied():
    tokens, _ = _model()(torch.randn(1, 3, 32, 32))
    # LayerNorm with weight 1 / bias 0 at init: every token has mean 0, var 1
    torch.testing.assert_close(tokens.mean(-1), torch.zeros(1, 17), atol=1e-5, rtol=0)


def test_other_input_sizes_interpolate_positions():
    m = _model()
    tokens, attns = m(torch.randn(1, 3, 48, 24), return_attn=True)
    assert tokens.shape == (1, 1 + 6 * 3, 32)
    assert attns[-1].shape == (1, 4, 19, 19)
    # the native grid passes through untouched; a same-size bicubic resample is the identity
    pos = m.pos_embed[:, 1:]
    assert interpolate_pos_embed(pos, (4, 4)) is pos
    with pytest.raises(ValueError, match="smaller than one"):
        m(torch.randn(1, 3, 4, 32))


def test_no_head_classify_raises():
    m = _model(ViTConfig(image_size=32, patch_size=8, dim=32, depth=1, num_heads=2))
    assert m.head is None
    with pytest.raises(ValueError):
        m.classify(torch.randn(1, 3, 32, 32))


def test_normalize():
    m = _model()
    x = torch.full((1, 3, 2, 2), 0.5)
    torch.testing.assert_close(m.normalize(x), torch.zeros(1, 3, 2, 2))


def test_fit_image_then_normalize_is_the_model_input():
    """Geometry (mmviz.patches.fit_image -> uint8) and normalisation (model.normalize) are two steps."""
    import numpy as np
    from PIL import Image

    from mmviz.patches import fit_image, uint8_to_tensor

    cfg = PRESETS["dino-vits16"]
    grey = Image.fromarray(np.full((50, 80), 128, np.uint8))  # greyscale, landscape
    seen = fit_image(grey, cfg.image_size, cfg.patch_size)
    assert seen.shape == (224, 352, 3) and seen.dtype == np.uint8  # short side 224, long 358 -> multiple of 16
    assert (seen[100, 100] == 128).all()  # the uint8 view is what a page shows: no un-normalising
    x = ViT(cfg).normalize(uint8_to_tensor(seen))
    expected = (128 / 255 - torch.tensor(cfg.image_mean)) / torch.tensor(cfg.image_std)
    torch.testing.assert_close(x[0, :, 100, 100], expected, atol=1e-6, rtol=0)
    tiny = np.zeros((3, 2, 3), np.uint8)  # 3x2 px, smaller than one patch: enlarged (short side 224)
    assert fit_image(tiny, 224, 16).shape == (336, 224, 3)
    pano = np.zeros((100, 1000, 4), np.uint8)  # RGBA panorama 10:1 -> cropped to 2:1
    assert fit_image(pano, 64, 16).shape == (64, 128, 3)
    tiny_model = _model()
    tokens, _ = tiny_model(tiny_model.normalize(uint8_to_tensor(fit_image(pano, tiny_model.cfg.image_size,
                                                                          tiny_model.cfg.patch_size))))
    assert tokens.shape == (1, 1 + 4 * 8, 32)


def test_late_cls_keeps_cls_apart_until_its_layer():
    from dataclasses import replace

    from mmviz.models.vit import PRESETS, ViT

    cfg = replace(PRESETS["vit-tiny-shapes"], cls_from_layer=3)
    torch.manual_seed(0)
    model = ViT(cfg).eval()
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        fast, _ = model(x)
        tokens, attns = model(x, return_attn=True)
        # the patches never see [CLS] before block 3: changing it leaves their tokens after block 2 alone
        h = model.embed(x)
        h2 = h.clone()
        h2[:, 0] += 5.0
        from mmviz.models.vit import cls_apart_mask

        m = cls_apart_mask(h.shape[1])
        for blk in model.blocks[:3]:
            h, _ = blk(h, attn_mask=m)
            h2, _ = blk(h2, attn_mask=m)
    torch.testing.assert_close(fast, tokens, atol=1e-5, rtol=0)
    for a in attns[:3]:
        assert torch.all(a[:, :, 0, 0] == 1) and a[:, :, 1:, 0].abs().max() == 0
    assert attns[3][:, :, 0, 1:].sum(-1).min() > 0.5  # the last block's [CLS] reads the patches
    torch.testing.assert_close(h[:, 1:], h2[:, 1:], atol=0, rtol=0)
