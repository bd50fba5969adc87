"""Parity of mmviz's CLIP with transformers' CLIPModel on random weights (no download).

- openai/clip-vit-base-patch32's architecture at full size (vision 768 x 12 layers, patch 32,
  224 px; text 512 x 12 layers, 8 heads, 77 tokens, 49408 ids; projection 512; the legacy
  eos_token_id 2 of its config.json, so pooling is by argmax): embeddings, logits and every
  layer's attention of both towers within 1e-4.
- a tiny CLIP for the "eos" pooling path (eos_token_id != 2, not the largest id) with padding.
- CLIP's byte-level BPE: a transformers CLIPTokenizer built offline from a small vocab.json +
  merges.txt, saved to tokenizer.json, read by mmviz.tokenizers.Tokenizer: same ids, same
  decoding, same embeddings.
"""

from __future__ import annotations

import fnmatch
import json
import shutil

import pytest
import torch

transformers = pytest.importorskip("transformers")

from mmviz import download as dl  # noqa: E402
from mmviz import weights  # noqa: E402
from mmviz.models.clip import CLIP, PRESETS  # noqa: E402
from mmviz.hf.clip import convert_hf_clip_state_dict, hf_clip_config, load_hf_clip  # noqa: E402
from mmviz.models.clip import OPENAI_MEAN, OPENAI_STD  # noqa: E402
from mmviz.tokenizers import Tokenizer, shapes_tokenizer  # noqa: E402
from mmviz.weights import UnsupportedModelError, load_hf  # noqa: E402

TOL = 1e-4
MAXDIFF: dict[str, float] = {}  # every measured max |diff| of this module's tests, printed at its end (pytest -s)


@pytest.fixture(scope="module", autouse=True)
def report_max_diffs():
    """Print every parity comparison that ran (each test asserts its own diffs; no test depends on another)."""
    yield
    for k, v in sorted(MAXDIFF.items()):
        print(f"{k:60s} {v:.2e}")

# openai/clip-vit-base-patch32 config.json (architecture fields; its text eos_token_id is the legacy 2)
VIT_B32_TEXT = dict(vocab_size=49408, hidden_size=512, intermediate_size=2048, num_hidden_layers=12,
                    num_attention_heads=8, max_position_embeddings=77, hidden_act="quick_gelu", layer_norm_eps=1e-5,
                    bos_token_id=0, eos_token_id=2, pad_token_id=1)
VIT_B32_VISION = dict(hidden_size=768, intermediate_size=3072, num_hidden_layers=12, num_attention_heads=12,
                      image_size=224, patch_size=32, hidden_act="quick_gelu", layer_norm_eps=1e-5)
PROMPTS = ["a photo of a cat", "A Photo of the RED dog.", "zebra!!  crossing", "it's 2024, ok?",
           "the cat's photo, of a red-dog"]
BOS, EOS = "<|startoftext|>", "<|endoftext|>"


def _diff(name: str, a: torch.Tensor, b: torch.Tensor) -> float:
    assert a.shape == b.shape, (name, a.shape, b.shape)
    d = (a - b).abs().max().item()
    MAXDIFF[name] = max(d, MAXDIFF.get(name, 0.0))
    return d


def _perturb(model: torch.nn.Module, seed: int, qk_gain: float) -> torch.nn.Module:
    """Make random weights a sharp test.

    HF's init leaves LayerNorms at (1, 0) and biases at 0 (every 1-D tensor gets random values
    here), and its small q / k weights give near-uniform attention, which would hide a mix-up of
    heads or of q / k: they are scaled by qk_gain so each query's largest weight is ~0.45 on average.
    """
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith(("q_proj.weight", "k_proj.weight")):
                p.mul_(qk_gain)
            if p.ndim != 1:
                continue
            noise = torch.randn(p.shape, generator=g)
            p.copy_(1 + 0.1 * noise if ("norm" in name and name.endswith("weight")) else 0.02 * noise)
        model.logit_scale.fill_(3.3)
    return model.eval()


def _write_bpe(folder, fillers: int = 0):
    """A CLIP byte-level BPE with a handful of merges, built by transformers from vocab.json + merges.txt.

    Ids: the 256 byte symbols, the same with `</w>`, one per merge, `fillers` unused tokens, then
    `<|startoftext|>`, `<|endoftext|>` last (as in OpenAI's vocabulary). Writes tokenizer.json
    (save_pretrained) into folder and returns the transformers tokenizer.
    """
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    chars = list(bytes_to_unicode().values())
    merges = [("p", "h"), ("ph", "o"), ("pho", "t"), ("phot", "o</w>"), ("o", "f</w>"), ("c", "a"),
              ("ca", "t</w>"), ("d", "o"), ("do", "g</w>"), ("t", "h"), ("th", "e</w>"), ("r", "e"),
              ("re", "d</w>"), ("i", "t</w>"), ("o", "k</w>")]
    tokens = chars + [c + "</w>" for c in chars] + [a + b for a, b in merges]
    tokens += [f"<unused{i}>" for i in range(fillers)] + [BOS, EOS]
    src = folder / "bpe_src"
    src.mkdir(parents=True, exist_ok=True)
    (src / "vocab.json").write_text(json.dumps({t: i for i, t in enumerate(tokens)}))
    (src / "merges.txt").write_text("#version: 0.2\n" + "\n".join(f"{a} {b}" for a, b in merges) + "\n")
    tok = transformers.CLIPTokenizer.from_pretrained(src)
    tok.save_pretrained(folder)
    shutil.rmtree(src)
    assert (folder / "tokenizer.json").is_file() and len(tok) == len(tokens)
    return tok


def _hf_tokens(tok, prompts, max_length):
    return tok(prompts, padding=True, truncation=True, max_length=max_length, return_tensors="pt")


# --------------------------------------------------------------------------- ViT-B/32 at full size
@pytest.fixture(scope="module")
def b32(tmp_path_factory):
    """(folder, transformers CLIPModel, its tokenizer): random weights, openai/clip-vit-base-patch32 sizes."""
    torch.manual_seed(0)
    cfg = transformers.CLIPConfig(text_config=VIT_B32_TEXT, vision_config=VIT_B32_VISION, projection_dim=512)
    hf = _perturb(transformers.CLIPModel(cfg), 1, qk_gain=8.0)
    d = tmp_path_factory.mktemp("clip_b32")
    hf.save_pretrained(d)
    tok = _write_bpe(d, fillers=49408 - 2 - 512 - 15)  # <|endoftext|> = 49407, the largest id, as OpenAI's
    hf.set_attn_implementation("eager")
    return d, hf, tok


@pytest.fixture(scope="module")
def b32_ours(b32):
    return load_hf(b32[0])  # through the registry's dispatch on model_type "clip"


@pytest.fixture(scope="module")
def b32_inputs(b32):
    """Two images and five prompts: the BPE's own ids (padded with <|endoftext|>) and raw ids up to 77 long."""
    g = torch.Generator().manual_seed(5)
    pixels = torch.randn(2, 3, 224, 224, generator=g)
    raw = torch.randint(0, 49406, (3, 77), generator=g)
    raw[:, 0] = 49406
    for row, n in enumerate([77, 12, 5]):  # <|endoftext|> then padding with it, as CLIP pads
        raw[row, n - 1:] = 49407
    return pixels, _hf_tokens(b32[2], PROMPTS, 77), raw


def test_b32_config_equals_the_preset(b32_ours):
    assert isinstance(b32_ours, CLIP) and not b32_ours.training
    assert b32_ours.cfg == PRESETS["clip-vit-base-patch32"]  # eos 2 -> argmax, eos id from tokenizer.json
    assert b32_ours.cfg.text.pool == "argmax" and b32_ours.cfg.text.eos_token_id == 49407
    assert b32_ours.visual.norm_pre is not None and b32_ours.visual.patch_embed.proj.bias is None
    assert b32_ours.tokenizer.vocab_size == 49408 and b32_ours.tokenizer.context_length == 77
    assert b32_ours.tokenizer.eos_id == 49407


@torch.no_grad()
def test_b32_embeddings_and_logits(b32, b32_ours, b32_inputs):
    _, hf, tok = b32
    pixels, enc, raw = b32_inputs
    ours = b32_ours
    ids = ours.tokenizer.encode(PROMPTS)
    assert torch.equal(ids["input_ids"], enc["input_ids"]) and torch.equal(ids["attention_mask"], enc["attention_mask"])
    img = hf.get_image_features(pixel_values=pixels).pooler_output  # (2, 512) unnormalised
    assert _diff("b32 image_embeds", ours.encode_image(pixels, normalize=False), img) <= TOL
    for name, x, mask in [("b32 text_embeds (BPE prompts)", enc["input_ids"], enc["attention_mask"]),
                          ("b32 text_embeds (raw ids, 77 ctx)", raw, (raw != 49407).long().cumsum(1).ne(0).long())]:
        txt = hf.get_text_features(input_ids=x, attention_mask=mask).pooler_output
        assert _diff(name, ours.encode_text(x, normalize=False), txt) <= TOL
        assert _diff(name + " normalised", ours.encode_text(x), txt / txt.norm(dim=-1, keepdim=True)) <= TOL
    ref_txt = torch.nn.functional.normalize(hf.get_text_features(**enc).pooler_output, dim=-1)
    assert _diff("b32 text_embeds (encode_prompts)", ours.encode_prompts(PROMPTS), ref_txt) <= TOL
    ref = hf(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"], pixel_values=pixels)
    out = ours(pixels, enc["input_ids"])
    assert _diff("b32 logits_per_image", out.logits_per_image, ref.logits_per_image) <= TOL
    assert _diff("b32 logits_per_text", out.logits_per_text, ref.logits_per_text) <= TOL
    assert _diff("b32 image_embeds normalised", out.image_embeds, ref.image_embeds) <= TOL
    assert _diff("b32 text_embeds normalised (forward)", out.text_embeds, ref.text_embeds) <= TOL
    assert abs(ours.logit_scale.item() - 3.3) < 1e-6


@torch.no_grad()
def test_b32_every_attention_both_towers(b32, b32_ours, b32_inputs):
    _, hf, _ = b32
    pixels, enc, raw = b32_inputs
    ours = b32_ours
    ref_v = hf.vision_model(pixel_values=pixels, output_attentions=True)
    tokens, attns = ours.image_tokens(pixels, return_attn=True)
    assert len(attns) == len(ref_v.attentions) == 12 and attns[0].shape == (2, 12, 50, 50)
    assert min(a.amax(-1).mean().item() for a in attns) > 0.2  # far from uniform (1/50): a sharp comparison
    assert max(_diff(f"b32 vision attention {i}", a, b) for i, (a, b) in enumerate(zip(attns, ref_v.attentions))) <= TOL
    assert _diff("b32 vision [CLS] after post_layernorm", tokens[:, 0], ref_v.pooler_output) <= TOL
    assert _diff("b32 vision tokens sdpa vs eager", ours.image_tokens(pixels)[0], tokens) <= 1e-5
    # text: plain causal attention on the raw ids (77 tokens) ...
    ref_t = hf.text_model(input_ids=raw, output_attentions=True)
    ttok, tattn = ours.text_tokens(raw, return_attn=True)
    assert len(tattn) == 12 and tattn[0].shape == (3, 8, 77, 77)
    assert max(_diff(f"b32 text attention {i}", a, b) for i, (a, b) in enumerate(zip(tattn, ref_t.attentions))) <= TOL
    assert _diff("b32 text tokens", ttok, ref_t.last_hidden_state) <= TOL
    # ... and with transformers' padding mask: every real token's row is the same
    ref_m = hf.text_model(**enc, output_attentions=True)
    _, mattn = ours.text_tokens(enc["input_ids"], return_attn=True)
    lengths = enc["attention_mask"].sum(1).tolist()
    for a, b in zip(mattn, ref_m.attentions):
        for row, n in enumerate(lengths):
            assert _diff("b32 text attention (padded prompts, real tokens)",
                         a[row, :, :n, :n], b[row, :, :n, :n]) <= TOL


# --------------------------------------------------------------------------- tiny CLIP, both pooling rules
TINY_TEXT = dict(vocab_size=64, hidden_size=48, intermediate_size=96, num_hidden_layers=2, num_attention_heads=4,
                 max_position_embeddings=16, hidden_act="gelu", layer_norm_eps=1e-6, bos_token_id=2, pad_token_id=0)
TINY_VISION = dict(hidden_size=32, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4, image_size=32,
                   patch_size=8, hidden_act="quick_gelu", layer_norm_eps=1e-5)


@pytest.fixture(scope="module", params=[3, 2], ids=["eos3", "legacy-eos2"])
def tiny(request, tmp_path_factory):
    """A tiny CLIP with the shapes-world word tokenizer (56 ids, eos 3) as its tokenizer.json."""
    eos = request.param
    torch.manual_seed(10 + eos)
    cfg = transformers.CLIPConfig(text_config={**TINY_TEXT, "eos_token_id": eos}, vision_config=TINY_VISION,
                                  projection_dim=24)
    d = tmp_path_factory.mktemp(f"clip_tiny_{eos}")
    _perturb(transformers.CLIPModel(cfg), eos, qk_gain=3.0).save_pretrained(d)
    shapes_tokenizer(16).backend.save(str(d / "tokenizer.json"))
    (d / "preprocessor_config.json").write_text(json.dumps({"image_mean": [0.4, 0.5, 0.6], "image_std": [0.2] * 3}))
    hf = transformers.CLIPModel.from_pretrained(d, attn_implementation="eager").eval()
    return eos, d, hf


def _tiny_ids(eos_pos: list[int], eos: int, pad: int, L: int = 12, lo: int = 4, top: int | None = None):
    g = torch.Generator().manual_seed(7)
    ids = torch.randint(lo, 60, (len(eos_pos), L), generator=g)
    for row, p in enumerate(eos_pos):
        ids[row, p] = eos if top is None else top
        ids[row, p + 1:] = pad
    return ids


@torch.no_grad()
def test_tiny_parity_both_pooling_rules_with_padding(tiny):
    eos, d, hf = tiny
    ours = load_hf_clip(d, json.loads((d / "config.json").read_text()))
    t = ours.cfg.text
    assert (t.pool, t.eos_token_id) == (("eos", 3) if eos == 3 else ("argmax", 3))  # 3 = the tokenizer's eos
    assert (t.dim, t.depth, t.num_heads, t.mlp_ratio, t.hidden_act, t.layer_norm_eps, t.context_length) == (
        48, 2, 4, 2.0, "gelu", 1e-6, 16)
    v = ours.cfg.vision
    assert (v.dim, v.mlp_ratio, v.hidden_act, v.image_size, v.patch_size) == (32, 4.0, "quick_gelu", 32, 8)
    assert v.image_mean == (0.4, 0.5, 0.6) and v.image_std == (0.2, 0.2, 0.2) and ours.cfg.embed_dim == 24
    if eos == 3:  # <|endoftext|> mid-sequence is not the largest id: pooling by argmax would be wrong
        variants = {"pad 0": _tiny_ids([3, 11, 6], 3, 0), "pad = eos": _tiny_ids([3, 11, 6], 3, 3)}
        assert not torch.equal(ours.text.eos_positions(variants["pad 0"]), variants["pad 0"].argmax(-1))
    else:  # legacy: the largest id marks the end
        variants = {"pad 0": _tiny_ids([3, 11, 6], 3, 0, top=63)}
    pixels = torch.randn(3, 3, 32, 32, generator=torch.Generator().manual_seed(8))
    img = hf.get_image_features(pixel_values=pixels).pooler_output
    assert _diff(f"tiny[{eos}] image_embeds", ours.encode_image(pixels, normalize=False), img) <= TOL
    for name, ids in variants.items():
        mask = torch.ones_like(ids)
        for row, p in enumerate(ours.text.eos_positions(ids).tolist()):
            mask[row, p + 1:] = 0
        txt = hf.get_text_features(input_ids=ids, attention_mask=mask).pooler_output
        assert _diff(f"tiny[{eos}] text_embeds ({name})", ours.encode_text(ids, normalize=False), txt) <= TOL
        ref = hf(input_ids=ids, attention_mask=mask, pixel_values=pixels)
        out = ours(pixels, ids)
        assert _diff(f"tiny[{eos}] logits_per_image", out.logits_per_image, ref.logits_per_image) <= TOL
        assert _diff(f"tiny[{eos}] logits_per_text", out.logits_per_text, ref.logits_per_text) <= TOL
        ref_t = hf.text_model(input_ids=ids, output_attentions=True)
        _, attns = ours.text_tokens(ids, return_attn=True)
        assert max(_diff(f"tiny[{eos}] text attention", a, b) for a, b in zip(attns, ref_t.attentions)) <= TOL
    ref_v = hf.vision_model(pixel_values=pixels, output_attentions=True)
    _, vattn = ours.image_tokens(pixels, return_attn=True)
    assert max(_diff(f"tiny[{eos}] vision attention", a, b) for a, b in zip(vattn, ref_v.attentions)) <= TOL
    if eos == 3:  # the word tokenizer's own ids (padded with <pad> = 0) through both models
        prompts = ["a red circle", "a large blue star on a striped background", "nothing"]
        enc = ours.tokenizer.encode(prompts)
        ref = hf.get_text_features(**enc).pooler_output
        assert _diff("tiny[3] encode_prompts", ours.encode_prompts(prompts, normalize=False), ref) <= TOL


# --------------------------------------------------------------------------- CLIP's BPE tokenizer
@pytest.fixture(scope="module")
def bpe(tmp_path_factory):
    """A tiny CLIP whose vocabulary is the small BPE's (529 ids, <|endoftext|> = 528), saved with its tokenizer."""
    d = tmp_path_factory.mktemp("clip_bpe")
    tok = _write_bpe(d)
    torch.manual_seed(20)
    cfg = transformers.CLIPConfig(text_config={**TINY_TEXT, "vocab_size": len(tok), "eos_token_id": tok.eos_token_id,
                                               "bos_token_id": tok.bos_token_id, "pad_token_id": tok.pad_token_id},
                                  vision_config=TINY_VISION, projection_dim=24)
    _perturb(transformers.CLIPModel(cfg), 21, qk_gain=3.0).save_pretrained(d)
    hf = transformers.CLIPModel.from_pretrained(d, attn_implementation="eager").eval()
    return d, tok, hf


def test_bpe_tokenizer_ids_tokens_decode_match_transformers(bpe):
    d, tok, _ = bpe
    ours = Tokenizer.from_file(d / "tokenizer.json", context_length=16)
    n = len(tok)  # 512 byte symbols + 15 merges + 2 specials
    assert ours.vocab_size == n == 529 and ours.eos_id == tok.eos_token_id == n - 1 and ours.pad_id == n - 1
    for p in PROMPTS:
        ids = ours.ids(p)
        assert ids == tok(p, truncation=True, max_length=16)["input_ids"], p
        assert ours.tokens(p) == tok.convert_ids_to_tokens(ids)
        assert ours.decode(ids) == tok.decode(ids, skip_special_tokens=True)
        assert ours.unknown_words(p) == []  # byte-level: nothing is unknown
    assert ours.tokens("a photo of a cat") == [BOS, "a</w>", "photo</w>", "of</w>", "a</w>", "cat</w>", EOS]
    assert ours.tokens("zebra")[1:-1] == ["z", "e", "b", "r", "a</w>"]  # an unknown word falls apart into bytes
    assert ours.decode(ours.ids("A Photo of the RED dog.")) == "a photo of the red dog ."
    long = "a photo of a cat " * 10
    ids = ours.ids(long)
    assert len(ids) == 16 and ids[0] == tok.bos_token_id and ids[-1] == n - 1  # truncated, end token kept
    assert ids == tok(long, truncation=True, max_length=16)["input_ids"]
    enc, ref = ours.encode(PROMPTS), _hf_tokens(tok, PROMPTS, 16)
    assert torch.equal(enc["input_ids"], ref["input_ids"]) and torch.equal(enc["attention_mask"], ref["attention_mask"])


@torch.no_grad()
def test_bpe_prompts_through_both_models(bpe):
    d, tok, hf = bpe
    ours = load_hf(d)
    assert ours.cfg.text.pool == "eos" and ours.cfg.text.eos_token_id == tok.eos_token_id == 528
    assert ours.tokenizer.context_length == 16
    prompts = PROMPTS + ["a photo of a cat " * 10]
    ref = hf.get_text_features(**_hf_tokens(tok, prompts, 16)).pooler_output
    assert _diff("bpe encode_prompts", ours.encode_prompts(prompts, normalize=False), ref) <= TOL
    assert _diff("bpe encode_prompts normalised", ours.encode_prompts(prompts),
                 torch.nn.functional.normalize(ref, dim=-1)) <= TOL


# --------------------------------------------------------------------------- conversion details, errors
def test_old_checkpoint_buffers_dropped_and_key_mapping(bpe):
    from safetensors.torch import load_file

    sd = load_file(str(bpe[0] / "model.safetensors"))
    old = {**sd, "text_model.embeddings.position_ids": torch.arange(16)[None],
           "vision_model.embeddings.position_ids": torch.arange(17)[None]}
    a, b = convert_hf_clip_state_dict(sd), convert_hf_clip_state_dict(old)
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    assert a["visual.cls_token"].shape == (1, 1, 32) and a["visual.pos_embed"].shape == (1, 17, 32)
    assert a["text.pos_embed"].shape == (16, 48)
    q, k, v = (sd[f"text_model.encoder.layers.1.self_attn.{n}_proj.weight"] for n in "qkv")
    assert torch.equal(a["text.blocks.1.attn.qkv.weight"], torch.cat([q, k, v]))  # q rows first
    assert torch.equal(a["visual.blocks.0.attn.proj.bias"], sd["vision_model.encoder.layers.0.self_attn.out_proj.bias"])
    assert set(a) == set(CLIP(hf_clip_config(json.loads((bpe[0] / "config.json").read_text()))).state_dict())


def test_config_defaults_and_legacy_dicts():
    cfg = hf_clip_config({"model_type": "clip", "text_config": {"eos_token_id": 2}, "text_config_dict": None,
                          "vision_config": {}, "vision_config_dict": None})
    assert cfg == PRESETS["clip-vit-base-patch32"]  # no tokenizer: the last id (49407) is the end token
    assert cfg.vision.image_mean == OPENAI_MEAN and cfg.vision.image_std == OPENAI_STD
    cfg = hf_clip_config({"text_config": {}, "text_config_dict": {"hidden_size": 768, "num_attention_heads": 12},
                          "vision_config": {"patch_size": [14, 14], "image_size": 336}})
    assert cfg.text.dim == 768 and cfg.text.pool == "eos" and cfg.text.eos_token_id == 49407
    assert cfg.vision.patch_size == 14 and cfg.vision.image_size == 336


def test_rejects_what_it_cannot_convert(bpe, tmp_path):
    d = bpe[0]
    hf = json.loads((d / "config.json").read_text())
    with pytest.raises(UnsupportedModelError, match="not a CLIP"):
        load_hf_clip(d, {**hf, "model_type": "vit"})
    with pytest.raises(UnsupportedModelError, match="unexpected key"):
        convert_hf_clip_state_dict({"text_model.encoder.layers.0.self_attn.rotary.weight": torch.zeros(1)})
    with pytest.raises(UnsupportedModelError, match="unexpected key"):
        convert_hf_clip_state_dict({"vision_model.head.weight": torch.zeros(1)})
    with pytest.raises(UnsupportedModelError, match="incomplete q/k/v"):
        convert_hf_clip_state_dict({"text_model.encoder.layers.0.self_attn.q_proj.weight": torch.zeros(1)})
    with pytest.raises(UnsupportedModelError, match="not a full CLIPModel"):
        convert_hf_clip_state_dict({"text_projection.weight": torch.zeros(1)})
    with pytest.raises(UnsupportedModelError, match="hidden_act 'mish'"):
        hf_clip_config({"text_config": {"hidden_act": "mish"}})
    with pytest.raises(UnsupportedModelError, match="non-square"):
        hf_clip_config({"vision_config": {"image_size": [224, 160]}})
    with pytest.raises(UnsupportedModelError, match="does not fit"):  # config says 3 layers, weights have 2
        load_hf_clip(d, {**hf, "text_config": {**hf["text_config"], "num_hidden_layers": 3}})
    with pytest.raises(UnsupportedModelError, match="ids but the text tower embeds only"):
        load_hf_clip(d, {**hf, "text_config": {**hf["text_config"], "vocab_size": 100}})
    for f in ("config.json", "model.safetensors"):
        shutil.copy(d / f, tmp_path / f)
    with pytest.raises(FileNotFoundError, match="no tokenizer.json.*mmviz.download"):
        load_hf(tmp_path)
    (tmp_path / "model.safetensors").unlink()
    shutil.copy(d / "tokenizer.json", tmp_path / "tokenizer.json")
    with pytest.raises(FileNotFoundError, match="neither model.safetensors"):
        load_hf(tmp_path)


# --------------------------------------------------------------------------- download CLI
def test_download_fetches_what_load_hf_clip_needs(bpe, tmp_path, monkeypatch, capsys):
    import huggingface_hub

    name = "openai/clip-vit-base-patch32"
    assert name in dl.pretrained_names()
    hub = tmp_path / "hub"  # a local "hub" repo with the files the real one has
    hub.mkdir()
    for f in ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"):
        shutil.copy(bpe[0] / f, hub / f)
    (hub / "preprocessor_config.json").write_text(json.dumps({"image_mean": list(OPENAI_MEAN),
                                                              "image_std": list(OPENAI_STD)}))
    (hub / "flax_model.msgpack").write_bytes(b"not needed")
    calls = []

    def fake(repo_id, *, local_dir, allow_patterns, **kw):
        calls.append((repo_id, list(allow_patterns)))
        for f in hub.iterdir():
            if any(fnmatch.fnmatch(f.name, p) for p in allow_patterns):
                shutil.copy(f, local_dir)
        return str(local_dir)

    monkeypatch.setenv("MMVIZ_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(huggingface_hub, "snapshot_download", fake)
    assert weights.extra_files("facebook/dino-vits16") == []  # other families need nothing more
    assert dl.main([name]) == 0 and "is ready in" in capsys.readouterr().out
    assert calls == [(name, ["config.json", "*.safetensors", "preprocessor_config.json", "tokenizer.json"])]
    target = tmp_path / "cache" / "openai" / "clip-vit-base-patch32"
    assert sorted(p.name for p in target.iterdir()) == ["config.json", "model.safetensors",
                                                        "preprocessor_config.json", "tokenizer.json"]
    model = weights.load_model(name)
    assert isinstance(model, CLIP) and model.tokenizer.eos_id == 528
    assert dl.main([name]) == 0 and len(calls) == 1  # complete: no second fetch
    (target / "tokenizer.json").unlink()  # a folder fetched before tokenizer.json was needed ...
    assert dl.main([name]) == 0 and len(calls) == 2 and (target / "tokenizer.json").is_file()  # ... is completed


def test_download_offline_names_the_embedded_clip(tmp_path, monkeypatch, capsys):
    import huggingface_hub

    def offline(*a, **kw):
        raise ConnectionError("Failed to resolve 'huggingface.co'")

    monkeypatch.setenv("MMVIZ_CACHE", str(tmp_path))
    monkeypatch.setattr(huggingface_hub, "snapshot_download", offline)
    assert dl.main(["openai/clip-vit-base-patch32"]) == 1
    err = capsys.readouterr().err
    assert "Are you online?" in err and "clip-tiny-shapes" in err
