"""Unit tests for mmviz.clip (model, loss, tokenizers), the ViT options CLIP added, and the
pieces of the clip-tiny recipe (mmviz.train.clip). Parity with transformers is in test_clip_hf.py."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from mmviz.models.clip import CLIP, PRESETS, CLIPConfig, CLIPOutput, TextConfig, causal_mask, clip_loss
from mmviz.tokenizers import SHAPES_WORDS, SPECIALS, shapes_tokenizer
from mmviz.data.shapes import COLOURS, SHAPE_KINDS, TASKS
from mmviz.models.layers import HALF, quick_gelu
from mmviz.models.vit import ViT, ViTConfig

# a small CLIP on the shapes tokenizer: 32 px, 8 px patches (16 patches), two narrow towers
SMALL = CLIPConfig(
    vision=ViTConfig(image_size=32, patch_size=8, dim=32, depth=2, num_heads=4, mlp_ratio=2.0, num_classes=0,
                     image_mean=HALF, image_std=HALF),
    text=TextConfig(vocab_size=56, context_length=12, dim=24, depth=2, num_heads=3, mlp_ratio=2.0, hidden_act="gelu",
                    eos_token_id=3, pool="eos", tokenizer="shapes"),
    embed_dim=16,
)
GEN = torch.Generator().manual_seed(0)


def _model(cfg: CLIPConfig = SMALL, seed: int = 0) -> CLIP:
    torch.manual_seed(seed)
    return CLIP(cfg).eval()


def _ids(rows: list[list[int]], pad: int = 0) -> torch.Tensor:
    L = max(map(len, rows))
    return torch.tensor([r + [pad] * (L - len(r)) for r in rows])


# --------------------------------------------------------------------------- configs and presets
def test_presets_and_config_round_trips():
    tiny, b32 = PRESETS["clip-tiny-shapes"], PRESETS["clip-vit-base-patch32"]
    assert (tiny.vision.image_size, tiny.vision.num_classes, tiny.text.vocab_size, tiny.text.pool) == (64, 0, 56, "eos")
    assert tiny.text.vocab_size == shapes_tokenizer().vocab_size and tiny.text.eos_token_id == shapes_tokenizer().eos_id
    assert (b32.vision.dim, b32.vision.patch_size, b32.vision.pre_norm, b32.vision.patch_bias) == (768, 32, True, False)
    assert (b32.text.dim, b32.text.depth, b32.text.context_length, b32.text.vocab_size) == (512, 12, 77, 49408)
    assert b32.vision.hidden_act == b32.text.hidden_act == "quick_gelu" and b32.embed_dim == 512
    assert abs(tiny.logit_scale_init - math.log(1 / 0.07)) < 1e-12
    for cfg in (SMALL, tiny, b32):
        assert CLIPConfig.from_dict(dataclasses.asdict(cfg)) == cfg
        assert CLIPConfig.from_dict(json.loads(json.dumps(dataclasses.asdict(cfg)))) == cfg  # lists -> tuples
    assert hash(tiny) != hash(b32)  # frozen + hashable: a cache key
    with pytest.raises(dataclasses.FrozenInstanceError):
        tiny.embed_dim = 3


def test_vit_flags_build_the_right_modules():
    base = dict(image_size=16, patch_size=8, dim=16, depth=1, num_heads=2)
    plain = ViT(ViTConfig(**base))
    assert plain.norm_pre is None and plain.patch_embed.proj.bias is not None
    assert plain.blocks[0].mlp.act is F.gelu
    clip_like = ViT(ViTConfig(**base, pre_norm=True, patch_bias=False, hidden_act="quick_gelu", layer_norm_eps=1e-5))
    assert isinstance(clip_like.norm_pre, torch.nn.LayerNorm) and clip_like.norm_pre.eps == 1e-5
    assert clip_like.patch_embed.proj.bias is None and clip_like.blocks[0].mlp.act is quick_gelu
    assert "patch_embed.proj.bias" not in clip_like.state_dict() and "norm_pre.weight" in clip_like.state_dict()
    with pytest.raises(ValueError, match="unknown activation"):
        ViT(ViTConfig(**base, hidden_act="mish"))


@torch.no_grad()
def test_vit_pre_norm_runs_before_the_blocks():
    torch.manual_seed(0)
    vit = ViT(ViTConfig(image_size=16, patch_size=8, dim=16, depth=0, num_heads=2, pre_norm=True)).eval()
    vit.norm_pre.weight.zero_()
    vit.norm_pre.bias.copy_(torch.randn(16))  # norm_pre maps every token to its bias
    tokens, _ = vit(torch.randn(2, 3, 16, 16))
    expected = F.layer_norm(vit.norm_pre.bias, (16,), vit.norm.weight, vit.norm.bias, vit.norm.eps)
    torch.testing.assert_close(tokens, expected.expand(2, 5, 16), atol=1e-6, rtol=0)


def test_quick_gelu_formula():
    for x in (-3.0, -0.5, 0.0, 1.0, 2.5):
        assert abs(quick_gelu(torch.tensor(x)).item() - x / (1 + math.exp(-1.702 * x))) < 1e-6
    x = torch.linspace(-4, 4, 101)
    assert (quick_gelu(x) - F.gelu(x)).abs().max() < 0.03  # an approximation of GELU, not GELU itself
    assert (quick_gelu(x) - F.gelu(x)).abs().max() > 1e-3


# --------------------------------------------------------------------------- model shapes and invariants
@torch.no_grad()
def test_every_output_shape():
    m = _model()
    pixels = m.normalize(torch.rand(3, 3, 32, 32, generator=GEN))
    ids = m.tokenizer.encode(["a red circle", "a large blue star on a striped background"])["input_ids"]  # (2, 10)
    T, L = ids.shape
    assert m.encode_image(pixels).shape == (3, 16)
    assert m.encode_patches(pixels).shape == (3, 16, 16)  # 4x4 patches, E = 16
    assert m.encode_text(ids).shape == (2, 16)
    assert m.encode_prompts(["a red circle", "nothing", "a star"]).shape == (3, 16)
    tokens, attns = m.image_tokens(pixels, return_attn=True)
    assert tokens.shape == (3, 17, 32) and len(attns) == 2 and all(a.shape == (3, 4, 17, 17) for a in attns)
    ttok, tattn = m.text_tokens(ids, return_attn=True)
    assert ttok.shape == (T, L, 24) and len(tattn) == 2 and all(a.shape == (T, 3, L, L) for a in tattn)
    assert m.text_tokens(ids)[1] is None and m.image_tokens(pixels)[1] is None
    out = m(pixels, ids)
    assert isinstance(out, CLIPOutput)
    assert out.logits_per_image.shape == (3, 2) and out.logits_per_text.shape == (2, 3)
    assert out.image_embeds.shape == (3, 16) and out.text_embeds.shape == (2, 16)


@torch.no_grad()
def test_normalize_flag_and_logits_are_scaled_cosines():
    m = _model()
    with torch.no_grad():
        m.logit_scale.fill_(1.7)
    pixels = m.normalize(torch.rand(4, 3, 32, 32, generator=GEN))
    ids = m.tokenizer.encode(["a red circle", "a blue square", "nothing"])["input_ids"]
    img, txt = m.encode_image(pixels, normalize=False), m.encode_text(ids, normalize=False)
    assert not torch.allclose(img.norm(dim=-1), torch.ones(4), atol=1e-3)
    for e in (m.encode_image(pixels), m.encode_text(ids), m.encode_patches(pixels), m.encode_prompts(["a star"])):
        torch.testing.assert_close(e.norm(dim=-1), torch.ones(e.shape[:-1]), atol=1e-5, rtol=0)
    cos = torch.tensor([[float(F.cosine_similarity(img[i], txt[j], dim=0)) for j in range(3)] for i in range(4)])
    out = m(pixels, ids)
    torch.testing.assert_close(out.logits_per_image, math.exp(1.7) * cos, atol=1e-5, rtol=1e-5)
    assert torch.equal(out.logits_per_text, out.logits_per_image.t())
    # encode_patches pushes every patch through the same final LayerNorm + projection as [CLS]
    tokens, _ = m.image_tokens(pixels)
    torch.testing.assert_close(m.encode_patches(pixels, normalize=False), m.visual_projection(tokens[:, 1:]))
    torch.testing.assert_close(img, m.visual_projection(tokens[:, 0]))


@torch.no_grad()
def test_text_attention_is_causal_and_both_paths_agree():
    m = _model()
    ids = torch.randint(4, 56, (2, 9), generator=GEN)
    ids[:, -1] = 3
    tokens, attns = m.text_tokens(ids, return_attn=True)
    for a in attns:
        assert torch.all(a.triu(diagonal=1) == 0)  # nothing above the diagonal
        torch.testing.assert_close(a.sum(-1), torch.ones(2, 3, 9), atol=1e-5, rtol=0)
    assert torch.equal(causal_mask(3), torch.tensor([[1, 0, 0], [1, 1, 0], [1, 1, 1]], dtype=torch.bool))
    torch.testing.assert_close(m.text_tokens(ids)[0], tokens, atol=1e-5, rtol=0)  # SDPA == explicit softmax
    changed = ids.clone()
    changed[:, 5] = (ids[:, 5] + 1 - 4) % 52 + 4  # another word at position 5 ...
    after, _ = m.text_tokens(changed)
    torch.testing.assert_close(after[:, :5], tokens[:, :5], atol=1e-6, rtol=0)  # ... leaves 0..4 untouched
    assert (after[:, 5:] - tokens[:, 5:]).abs().max() > 1e-3  # and changes the rest


@torch.no_grad()
def test_padding_after_the_end_token_changes_nothing():
    m = _model()
    one = m.tokenizer.encode(["a red circle"])["input_ids"]  # (1, 5), ends in <|endoftext|>
    batch = m.tokenizer.encode(["a red circle", "a small green triangle on a plain background"])["input_ids"]
    assert batch.shape[1] > one.shape[1] and (batch[0, one.shape[1]:] == m.tokenizer.pad_id).all()
    torch.testing.assert_close(m.encode_text(batch)[0], m.encode_text(one)[0], atol=1e-6, rtol=0)
    padded_with_eos = torch.cat([one, torch.full((1, 4), 3)], 1)  # CLIP pads with <|endoftext|>: the first one counts
    torch.testing.assert_close(m.encode_text(padded_with_eos), m.encode_text(one), atol=1e-6, rtol=0)


def test_eos_and_argmax_pooling():
    eos = _model()
    ids = _ids([[2, 40, 50, 3], [2, 3], [2, 9, 55, 7, 3, 3]])
    assert eos.text.eos_positions(ids).tolist() == [3, 1, 4]  # the first <|endoftext|> (id 3)
    argmax = _model(dataclasses.replace(SMALL, text=dataclasses.replace(SMALL.text, pool="argmax", eos_token_id=55)))
    assert argmax.text.eos_positions(ids).tolist() == [2, 1, 2]  # the largest id, wherever it is
    with torch.no_grad():
        tokens, _ = argmax.text_tokens(ids)
        want = argmax.text_projection(tokens[torch.arange(3), torch.tensor([2, 1, 2])])
        torch.testing.assert_close(argmax.encode_text(ids, normalize=False), want)


def test_rejects_bad_inputs():
    m = _model()
    with pytest.raises(ValueError, match="context length"):
        m.encode_text(torch.zeros(1, 13, dtype=torch.long))
    with pytest.raises(ValueError, match="no classification head"):
        CLIP(dataclasses.replace(SMALL, vision=dataclasses.replace(SMALL.vision, num_classes=3)))
    bare = CLIP(dataclasses.replace(SMALL, text=dataclasses.replace(SMALL.text, tokenizer="bpe")))
    assert bare.tokenizer is None
    with pytest.raises(ValueError, match="no tokenizer"):
        bare.encode_prompts(["a cat"])


# --------------------------------------------------------------------------- contrastive loss
def test_clip_loss_by_hand_2x2():
    logits = torch.tensor([[2.0, 0.0], [1.0, 3.0]])  # image i row, text j column
    # image -> text: row 0 picks 2 over 0, row 1 picks 3 over 1
    i2t = (math.log(1 + math.exp(-2)) + math.log(1 + math.exp(-2))) / 2
    # text -> image: column 0 picks 2 over 1, column 1 picks 3 over 0
    t2i = (math.log(1 + math.exp(-1)) + math.log(1 + math.exp(-3))) / 2
    assert abs(clip_loss(logits).item() - (i2t + t2i) / 2) < 1e-6


def test_clip_loss_by_hand_3x3_and_perfect_separation():
    logits = torch.tensor([[1.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 1.0, 0.0]])
    rows = [math.log(math.exp(1) + 2) - 1, math.log(2 + math.exp(2)) - 2, math.log(2 + math.exp(1)) - 0]
    cols = [math.log(math.exp(1) + 2) - 1, math.log(1 + math.exp(2) + math.exp(1)) - 2, math.log(3) - 0]
    assert abs(clip_loss(logits).item() - (sum(rows) / 3 + sum(cols) / 3) / 2) < 1e-6
    assert clip_loss(100 * torch.eye(4)).item() < 1e-6  # every pair far apart: no loss
    assert abs(clip_loss(torch.zeros(4, 4)).item() - math.log(4)) < 1e-6  # no idea: log(B)


def test_clip_loss_with_matches():
    logits = torch.randn(5, 5, generator=GEN) * 3
    assert torch.allclose(clip_loss(logits, torch.eye(5, dtype=torch.bool)), clip_loss(logits), atol=1e-6)
    # captions 0 and 1 are the same words ("a red circle"), so images 0 and 1 match both of them
    a, b = 3.0, 2.0
    dup = torch.tensor([[a, a, 0.0], [a, a, 0.0], [0.0, 0.0, b]])
    matches = torch.tensor([[1, 1, 0], [1, 1, 0], [0, 0, 1]], dtype=torch.bool)
    # rows 0, 1: target (1/2, 1/2, 0) -> -(1/2)(a - lse) - (1/2)(a - lse) = log(2 e^a + 1) - a
    row_dup = math.log(2 * math.exp(a) + 1) - a
    row_2 = math.log(2 + math.exp(b)) - b
    want = (2 * row_dup + row_2) / 3  # the matrix is symmetric: text -> image gives the same
    assert abs(clip_loss(dup, matches).item() - want) < 1e-6
    # the gradient on (image 0, caption 1): CLIP's loss pushes the duplicate caption away (descent
    # lowers a logit with a positive gradient), the loss with matches pulls it closer
    grads = []
    for m in (None, matches):
        x = dup.clone().requires_grad_(True)
        clip_loss(x, m).backward()
        grads.append(x.grad[0, 1].item())
    assert grads[0] > 0 > grads[1]
    assert abs(row_dup - math.log(2 + math.exp(-a))) < 1e-12  # -> log 2 as a grows: the floor of a duplicate


# --------------------------------------------------------------------------- shapes-world tokenizer
def test_shapes_tokenizer_ids_round_trip_and_unknowns():
    tok = shapes_tokenizer(24)
    assert tok.vocab_size == 56 == len(SPECIALS) + len(SHAPES_WORDS) and tok.eos_id == 3 and tok.pad_id == 0
    words = ["<pad>", "<unk>", "<|startoftext|>", "<|endoftext|>", *SHAPES_WORDS]
    ids = tok.ids("a red circle")
    assert ids == [2, words.index("a"), words.index("red"), words.index("circle"), 3]
    assert tok.tokens("A Red circle.") == ["<|startoftext|>", "a", "red", "circle", ".", "<|endoftext|>"]
    for text, norm in [("A Red circle.", "a red circle ."), ("a large   BLUE star, on a striped background",
                                                               "a large blue star , on a striped background")]:
        assert tok.decode(tok.ids(text)) == norm
    assert tok.unknown_words("a red circle") == []
    assert tok.unknown_words("A ZEBRA on a purple mat") == ["ZEBRA", "mat"]
    assert tok.ids("a zebra")[2] == 1  # <unk>
    rng = np.random.default_rng(0)
    for _ in range(40):  # every caption the world writes is in the vocabulary
        cap = TASKS["caption"].scene(rng).caption
        assert tok.unknown_words(cap) == [] and tok.decode(tok.ids(cap)) == cap


def test_shapes_tokenizer_truncates_and_pads():
    tok = shapes_tokenizer(6)
    ids = tok.ids("a large red circle on a striped background")
    assert len(ids) == 6 and ids[0] == 2 and ids[-1] == 3  # cut to the context, end token kept
    assert tok.decode(ids) == "a large red circle"
    enc = tok.encode(["a red circle", "nothing", "a small green triangle on a plain background"])
    assert enc["input_ids"].shape == (3, 6) and enc["input_ids"].dtype == torch.long
    assert enc["attention_mask"].tolist() == [[1, 1, 1, 1, 1, 0], [1, 1, 1, 0, 0, 0], [1] * 6]
    assert enc["input_ids"][1].tolist() == [2, tok.ids("nothing")[1], 3, 0, 0, 0]
    assert torch.equal(tok.encode("nothing")["input_ids"], torch.tensor([tok.ids("nothing")]))


# --------------------------------------------------------------------------- weights round trips
def test_load_embedded_round_trip(tmp_path):
    from mmviz.train.common import save_model
    from mmviz.weights import load_embedded

    m = _model(seed=3)
    with torch.no_grad():
        m.logit_scale.fill_(2.0)
    card = save_model(m, SMALL, {"family": "clip", "classes": None}, tmp_path, "clip-small")
    assert card["config"]["text"]["pool"] == "eos"
    loaded = load_embedded(tmp_path / "clip-small.safetensors")
    assert isinstance(loaded, CLIP) and loaded.cfg == SMALL and not loaded.training
    assert loaded.tokenizer is not None and loaded.tokenizer.ids("a red circle") == m.tokenizer.ids("a red circle")
    for k, v in m.state_dict().items():  # weights travel as float16
        assert torch.equal(loaded.state_dict()[k], v.half().float()), k
    with torch.no_grad():
        pixels = torch.rand(2, 3, 32, 32, generator=GEN)
        a = loaded.encode_image(loaded.normalize(pixels))
        b = m.encode_image(m.normalize(pixels))
    assert (a - b).abs().max() < 5e-3


def test_untrained_clip_is_seeded():
    from mmviz.weights import available_models, load_model

    a, b = load_model("clip-untrained"), load_model("clip-untrained")
    assert isinstance(a, CLIP) and a.cfg == PRESETS["clip-tiny-shapes"] and not a.training
    for k, v in a.state_dict().items():
        assert torch.equal(v, b.state_dict()[k]), k
    assert a.tokenizer.vocab_size == 56
    names = {m.name for m in available_models("clip")}
    assert {"clip-tiny-shapes", "clip-untrained", "openai/clip-vit-base-patch32"} <= names


# --------------------------------------------------------------------------- the clip-tiny recipe's pieces
def test_caption_for_and_matches():
    from mmviz.data.captions import caption_for, clip_batch, matches

    rng = np.random.default_rng(1)
    scenes = [TASKS["caption"].scene(rng) for _ in range(30)]
    for s in scenes:
        assert len(s.objects) == 1
        text, attrs = caption_for(s)
        assert text == s.caption and attrs["kind"] == s.objects[0]["kind"] and attrs["background"] == s.background
    short, attrs = caption_for(scenes[0], {"size": False, "colour": True, "kind": False, "background": False})
    assert short == f"a {scenes[0].objects[0]['colour']} shape"
    full = [caption_for(s)[1] for s in scenes]
    m = matches(full, scenes)
    assert m.shape == (30, 30) and m.dtype == torch.bool and m.diagonal().all()
    m2 = matches([attrs], scenes)  # "a red shape" fits every scene with a shape of that colour
    assert m2[:, 0].tolist() == [s.objects[0]["colour"] == attrs["colour"] for s in scenes]
    b = clip_batch(16, seed=4, size=32)
    assert b["images"].shape == (16, 3, 32, 32) and 0 <= b["images"].min() and b["images"].max() <= 1
    assert len(b["captions"]) == 16 and b["matches"].diagonal().all()
    assert clip_batch(16, seed=4, size=32)["captions"] == b["captions"]  # seeded


def test_hard_negative_pairs_differ_only_in_kind():
    from mmviz.train.clip import clip_batch

    b = clip_batch(12, seed=7, size=32, hard=0.5)  # 3 pairs, then 6 ordinary scenes
    for i in range(0, 6, 2):
        x, y = b["scenes"][i].objects[0], b["scenes"][i + 1].objects[0]
        assert x["colour"] == y["colour"] and x["kind"] != y["kind"]
        assert b["captions"][i] == f"a {x['colour']} {x['kind']}" and b["captions"][i + 1] == f"a {y['colour']} {y['kind']}"
        assert not b["matches"][i, i + 1] and not b["matches"][i + 1, i]
    assert b["matches"].diagonal().all() and len(b["captions"]) == 12
    assert clip_batch(12, seed=7, size=32)["captions"] == clip_batch(12, seed=7, size=32, hard=0.0)["captions"]


def test_contrastive_updates_lower_the_loss_on_a_fixed_batch():
    from mmviz.data.captions import clip_batch
    from mmviz.models.clip import contrastive_loss
    from mmviz.optim import adamw, optimizer_step

    torch.set_num_threads(1)
    m = _model(seed=5).train()
    opt = adamw(m, 3e-3, 0.0)
    batch = clip_batch(8, seed=6, size=32)
    losses = []
    for _ in range(20):
        loss, logits = contrastive_loss(m, batch)
        optimizer_step(m, opt, loss, 3e-3)
        m.clamp_logit_scale()
        losses.append(loss.item())
    assert logits.shape == (8, 8) and m.training
    assert losses[-1] < 0.6 * losses[0], losses
    assert 0 <= m.logit_scale.item() <= math.log(100)


def test_evaluate_clip_returns_fractions():
    from mmviz.train.clip import evaluate_clip

    out = evaluate_clip(_model(), n=12, seed=9, candidates=4)
    assert set(out) == {"caption_top1", "kind_top1", "colour_top1", "n", "candidates"}
    assert out["n"] == 12 and out["candidates"] == 4
    for k in ("caption_top1", "kind_top1", "colour_top1"):
        assert 0.0 <= out[k] <= 1.0
    assert len(SHAPE_KINDS) == 6 and len(COLOURS) == 9  # the zero-shot prompt sets it scores against
