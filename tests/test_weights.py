"""Parity of mmviz's ViT with transformers' ViT on random weights (no download), the registry
and the download CLI (against local files, never the network)."""

import fnmatch
import json
import re
import shutil

import pytest
import torch

transformers = pytest.importorskip("transformers")

from mmviz import download as dl  # noqa: E402
from mmviz import weights  # noqa: E402
from mmviz.hf.vit import convert_vit_encoder  # noqa: E402
from mmviz.weights import UnsupportedModelError, available_models, load_hf, load_model  # noqa: E402

TOL = 1e-4


def _randomise(model, seed):
    """Random values in every parameter (biases and LayerNorms too), so nothing matches by luck."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=g) * 0.05
            p.copy_(1 + noise if name.endswith("layernorm.weight") or "layernorm_" in name and name.endswith("weight") else noise)
    return model.eval()


def _hf_cfg(**kw):
    return transformers.ViTConfig(attn_implementation="eager", hidden_dropout_prob=0.0,
                                  attention_probs_dropout_prob=0.0, **kw)


# dino-vits16 architecture (hidden 384, 6 heads, patch 16, 224 px, eps 1e-6), 3 of its 12 layers
DINO = dict(hidden_size=384, num_hidden_layers=3, num_attention_heads=6, intermediate_size=1536,
            image_size=224, patch_size=16, layer_norm_eps=1e-6, qkv_bias=True)
# vit-base-patch16-224 architecture (hidden 768, 12 heads, eps 1e-12, 1000 classes), 2 of 12 layers
BASE = dict(hidden_size=768, num_hidden_layers=2, num_attention_heads=12, intermediate_size=3072,
            image_size=224, patch_size=16, layer_norm_eps=1e-12, qkv_bias=True, num_labels=1000)


@pytest.fixture(scope="module")
def dino_dir(tmp_path_factory):
    torch.manual_seed(0)
    hf = _randomise(transformers.ViTModel(_hf_cfg(**DINO)), seed=1)
    d = tmp_path_factory.mktemp("dino")
    hf.save_pretrained(d)
    (d / "preprocessor_config.json").write_text(json.dumps(
        {"image_mean": [0.485, 0.456, 0.406], "image_std": [0.229, 0.224, 0.225]}))
    return hf, d


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory):
    torch.manual_seed(0)
    hf = _randomise(transformers.ViTForImageClassification(_hf_cfg(**BASE)), seed=2)
    d = tmp_path_factory.mktemp("base")
    hf.save_pretrained(d)
    return hf, d


def _max_diffs(ours, theirs_out):
    tokens, attns = ours
    diffs = {"tokens": (tokens - theirs_out.last_hidden_state).abs().max().item()}
    assert len(attns) == len(theirs_out.attentions)
    for i, (a, b) in enumerate(zip(attns, theirs_out.attentions)):
        assert a.shape == b.shape
        diffs[f"attn{i}"] = (a - b).abs().max().item()
    return diffs


@torch.no_grad()
def test_dino_parity_tokens_and_every_attention(dino_dir):
    hf, d = dino_dir
    assert (d / "model.safetensors").is_file()
    ours = load_hf(d)
    assert ours.cfg.dim == 384 and ours.cfg.num_heads == 6 and ours.cfg.layer_norm_eps == 1e-6
    assert ours.head is None and ours.cfg.image_mean == (0.485, 0.456, 0.406)
    x = torch.randn(2, 3, 224, 224, generator=torch.Generator().manual_seed(3))
    ref = hf(pixel_values=x, output_attentions=True)
    diffs = _max_diffs(ours(x, return_attn=True), ref)
    print("dino 224 max abs diffs", diffs)
    assert max(diffs.values()) <= TOL
    fast, _ = ours(x)  # fused sdpa path agrees too
    assert (fast - ref.last_hidden_state).abs().max().item() <= TOL


@torch.no_grad()
@pytest.mark.parametrize("hw", [(160, 240), (288, 288)])
def test_dino_parity_interpolated_positions(dino_dir, hw):
    hf, d = dino_dir
    ours = load_hf(d)
    x = torch.randn(1, 3, *hw, generator=torch.Generator().manual_seed(4))
    ref = hf(pixel_values=x, output_attentions=True, interpolate_pos_encoding=True)
    diffs = _max_diffs(ours(x, return_attn=True), ref)
    print(f"dino {hw} max abs diffs", diffs)
    assert max(diffs.values()) <= TOL


@torch.no_grad()
def test_vit_base_classifier_parity(base_dir):
    hf, d = base_dir
    ours = load_hf(d)
    assert ours.cfg.num_classes == 1000 and ours.cfg.layer_norm_eps == 1e-12
    assert ours.class_names[:2] == ["LABEL_0", "LABEL_1"]
    x = torch.randn(2, 3, 224, 224, generator=torch.Generator().manual_seed(5))
    ref = hf(pixel_values=x, output_attentions=True, output_hidden_states=True)
    tokens, attns = ours(x, return_attn=True)
    # HF's classifier sees the final-normed [CLS]; hidden_states[-1] is before the final norm
    logit_diff = (ours.classify(x) - ref.logits).abs().max().item()
    attn_diff = max((a - b).abs().max().item() for a, b in zip(attns, ref.attentions))
    print("vit-base logits", logit_diff, "attn", attn_diff)
    assert logit_diff <= TOL and attn_diff <= TOL
    hf_tokens = hf.vit(pixel_values=x).last_hidden_state
    assert (tokens - hf_tokens).abs().max().item() <= TOL


@torch.no_grad()
def test_pytorch_bin_fallback_and_prefix(tmp_path, base_dir):
    hf, d = base_dir
    shutil.copy(d / "config.json", tmp_path / "config.json")
    torch.save(hf.state_dict(), tmp_path / "pytorch_model.bin")
    ours = load_hf(tmp_path)
    x = torch.randn(1, 3, 224, 224)
    assert (ours.classify(x) - hf(pixel_values=x).logits).abs().max().item() <= TOL


def test_unsupported_and_missing(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "t5"}))
    with pytest.raises(UnsupportedModelError, match="model_type 't5'"):
        load_hf(tmp_path)
    with pytest.raises(FileNotFoundError, match="config.json"):
        load_hf(tmp_path / "nothing")
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "vit"}))
    with pytest.raises(FileNotFoundError, match="model.safetensors"):
        load_hf(tmp_path)


def test_convert_new_style_keys():
    # transformers 5 module names (layers.i.attention.q_proj ...) map like the classic ones
    sd = {"layers.0.attention.q_proj.weight": torch.ones(2, 2),
          "layers.0.attention.k_proj.weight": 2 * torch.ones(2, 2),
          "layers.0.attention.v_proj.weight": 3 * torch.ones(2, 2),
          "layers.0.attention.o_proj.bias": torch.zeros(2),
          "layers.0.mlp.fc1.weight": torch.zeros(4, 2),
          "layers.0.layernorm_before.weight": torch.ones(2)}
    out = convert_vit_encoder(sd)
    assert out["blocks.0.attn.qkv.weight"][:, 0].tolist() == [1, 1, 2, 2, 3, 3]
    assert set(out) == {"blocks.0.attn.qkv.weight", "blocks.0.attn.proj.bias", "blocks.0.mlp.fc1.weight",
                        "blocks.0.norm1.weight"}
    with pytest.raises(UnsupportedModelError, match="unexpected key"):
        convert_vit_encoder({"encoder.layer.0.weird.weight": torch.ones(1)})


def test_registry_and_cache(tmp_path, monkeypatch, dino_dir):
    monkeypatch.setenv("MMVIZ_CACHE", str(tmp_path))
    infos = {m.name: m for m in available_models("vit")}
    assert set(infos) == {"vit-tiny-shapes", "untrained", "facebook/dino-vits16", "google/vit-base-patch16-224"}
    assert {m.family for m in available_models()} == set(weights.FAMILIES)  # every family is listed
    assert "python -m mmviz.train vit-tiny" in weights.available_models("vit")[0].how_to_get or infos[
        "vit-tiny-shapes"].available
    assert infos["untrained"].available
    dino = infos["facebook/dino-vits16"]
    assert not dino.available and "python -m mmviz.download facebook/dino-vits16" in dino.how_to_get
    assert weights.how_to_get(dino) == dino.how_to_get and weights.how_to_get(infos["untrained"]) == ""
    said = weights.how_to_get(dino, "ko")
    assert "`python -m mmviz.download facebook/dino-vits16`" in said and re.search("[가-힣]", said)
    with pytest.raises(FileNotFoundError, match="mmviz.download"):
        load_model("facebook/dino-vits16")
    shutil.copytree(dino_dir[1], tmp_path / "facebook" / "dino-vits16")
    assert {m.name: m for m in available_models()}["facebook/dino-vits16"].available
    assert load_model("facebook/dino-vits16").cfg.dim == 384
    with pytest.raises(KeyError):
        load_model("nope")


def test_untrained_is_seeded():
    a, b = load_model("untrained"), load_model("untrained")
    assert torch.equal(a.blocks[0].attn.qkv.weight, b.blocks[0].attn.qkv.weight)
    assert a.cfg.image_size == 64 and not a.training


# --- download CLI against a local "hub" ---------------------------------------------------------

def _fake_snapshot(src, calls):
    def fake(repo_id, *, local_dir, allow_patterns, **kw):
        calls.append((repo_id, list(allow_patterns)))
        for f in src.iterdir():
            if any(fnmatch.fnmatch(f.name, p) for p in allow_patterns):
                shutil.copy(f, local_dir)
        return str(local_dir)
    return fake


def test_download_cli_copies_and_loads(tmp_path, monkeypatch, dino_dir, capsys):
    import huggingface_hub

    monkeypatch.setenv("MMVIZ_CACHE", str(tmp_path / "cache"))
    calls = []
    monkeypatch.setattr(huggingface_hub, "snapshot_download", _fake_snapshot(dino_dir[1], calls))
    assert dl.main(["facebook/dino-vits16"]) == 0
    assert calls == [("facebook/dino-vits16", ["config.json", "*.safetensors", "preprocessor_config.json"])]
    target = tmp_path / "cache" / "facebook" / "dino-vits16"
    assert sorted(p.name for p in target.iterdir()) == ["config.json", "model.safetensors", "preprocessor_config.json"]
    assert "is ready in" in capsys.readouterr().out
    assert load_model("facebook/dino-vits16").cfg.depth == 3
    assert dl.main(["facebook/dino-vits16"]) == 0 and len(calls) == 1  # already there: no second fetch


def test_download_offline_message(tmp_path, monkeypatch, capsys):
    import huggingface_hub

    def offline(*a, **kw):
        raise ConnectionError("Failed to resolve 'huggingface.co'")

    monkeypatch.setenv("MMVIZ_CACHE", str(tmp_path))
    monkeypatch.setattr(huggingface_hub, "snapshot_download", offline)
    assert dl.main(["google/vit-base-patch16-224"]) == 1
    err = capsys.readouterr().err
    assert "could not download google/vit-base-patch16-224" in err and "Are you online?" in err
    with pytest.raises(SystemExit):
        dl.main(["not/a-model"])


def test_every_registry_entry_names_a_known_family_and_loader():
    for spec in weights.MODELS.values():
        assert spec.family in weights.FAMILIES
        model_cls, cfg_cls, presets = weights._family(spec.family)
        assert spec.preset in presets and isinstance(presets[spec.preset], cfg_cls)
        if spec.tier == "embedded":
            assert spec.recipe, spec.name
    from mmviz.hf import HF_LOADERS

    for target in HF_LOADERS.values():
        module, fn = target.split(":")
        assert callable(getattr(__import__(module, fromlist=[fn]), fn))


def test_every_model_is_described_in_english_and_korean():
    for name, spec in weights.MODELS.items():
        assert spec.description == weights.describe(name) == weights.describe(name, "en")
        assert re.fullmatch(r"[A-Z][^\n]{20,200}\.", spec.description), name
        ko = weights.describe(name, "ko")
        assert ko != spec.description and re.search("[가-힣]", ko), name
    trained = weights.ModelInfo("vit-tiny-shapes", "embedded", "vit-tiny-shapes", "", "vit", False, None, "")
    assert weights.how_to_get(trained) == ("Run `python -m mmviz.train vit-tiny` to train it "
                                           "(assets/models/vit-tiny-shapes.safetensors is missing).")
    assert weights.how_to_get(trained, "ko").startswith("`python -m mmviz.train vit-tiny`")
