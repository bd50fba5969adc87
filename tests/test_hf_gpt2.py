"""Parity of mmviz's GPT with transformers' GPT-2 on random weights (no download).

- a small GPT2LMHeadModel (and its GPT2Model) saved with save_pretrained, loaded by mmviz:
  hidden states, logits and every layer's attention within 1e-4; old-checkpoint keys (mask
  buffers, a tied lm_head) convert the same; the KV-cache path equals the full pass; greedy
  generation equals GPT2LMHeadModel.generate.
- openai-community/gpt2's config (GPT2Config defaults) converts to PRESETS["gpt2"].
- GPT-2's byte-level BPE: a GPT2TokenizerFast built offline from a small vocab.json + merges.txt,
  saved to tokenizer.json, read by mmviz.tokenizers.hf: same ids, word ids and decoding.

The helpers ``sharpen``, ``diff``, ``report_max_diffs`` and ``check_download`` are shared with
test_hf_bert.py and test_hf_marian.py.
"""

from __future__ import annotations

import json
import shutil

import pytest
import torch

transformers = pytest.importorskip("transformers")

from mmviz import download as dl  # noqa: E402
from mmviz import weights  # noqa: E402
from mmviz.hf.gpt2 import convert_hf_gpt2_state_dict, hf_gpt2_config  # noqa: E402
from mmviz.models.gpt import GPT, PRESETS  # noqa: E402
from mmviz.tokenizers.hf import JsonTokenizer, readable_bytes  # noqa: E402
from mmviz.weights import UnsupportedModelError, load_hf  # noqa: E402
from test_weights import _fake_snapshot  # noqa: E402

TOL = 1e-4
MAXDIFF: dict[str, float] = {}  # every measured max |diff|, printed at the end of each module (pytest -s)
EOT = "<|endoftext|>"
TEXTS = ["The cat sat on the mat.", " the cat\n\nsat on café 😀 42", "on the"]


@pytest.fixture(scope="module", autouse=True)
def report_max_diffs():
    """Print the parity comparisons of the module that ran (each test asserts its own)."""
    yield
    for k, v in sorted(MAXDIFF.items()):
        print(f"{k:60s} {v:.2e}")
    MAXDIFF.clear()


def diff(name: str, a: torch.Tensor, b: torch.Tensor) -> float:
    """max |a - b| (same shapes), recorded under name."""
    assert a.shape == b.shape, (name, a.shape, b.shape)
    d = (a - b).abs().max().item()
    MAXDIFF[name] = max(d, MAXDIFF.get(name, 0.0))
    return d


def max_diff(name: str, xs, ys) -> float:
    """The largest diff over paired lists (every layer's attention)."""
    assert len(xs) == len(ys), name
    return max(diff(f"{name} {i}", a, b) for i, (a, b) in enumerate(zip(xs, ys)))


def sharpen(model: torch.nn.Module, seed: int) -> torch.nn.Module:
    """Make random weights a sharp test: HF's init leaves LayerNorms at (1, 0) and biases (and
    Marian's final_logits_bias) at 0, so a swapped norm or bias would pass unnoticed; here every
    such vector gets random values (LayerNorm scales around 1, the rest around 0). The configs'
    larger initializer_range (0.2 - 0.3, HF: 0.02) makes attention peaked, so a mix-up of q / k
    or of heads shows too."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, t in [*model.named_parameters(), *model.named_buffers()]:
            if t.is_floating_point() and (t.ndim == 1 or name.endswith("final_logits_bias")):
                scale = name.endswith("weight") and ("norm" in name.lower() or ".ln_" in name)
                t.copy_(float(scale) + 0.2 * torch.randn(t.shape, generator=g))
    return model.eval()


def check_download(name: str, src, files: list[str], tmp_path, monkeypatch, model_cls: type) -> torch.nn.Module:
    """``python -m mmviz.download name`` against a local "hub" folder ``src`` (test_weights' fake
    snapshot_download): fetches config, weights and exactly ``files``, nothing else the folder has;
    load_model then works. Returns the loaded model."""
    import huggingface_hub

    (src / "flax_model.msgpack").write_bytes(b"not needed")
    calls = []
    monkeypatch.setenv("MMVIZ_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(huggingface_hub, "snapshot_download", _fake_snapshot(src, calls))
    assert name in dl.pretrained_names() and weights.extra_files(name) == files
    with pytest.raises(FileNotFoundError, match="mmviz.download"):
        weights.load_model(name)
    assert dl.main([name]) == 0
    assert calls == [(name, ["config.json", "*.safetensors", "preprocessor_config.json", *files])]
    target = tmp_path / "cache" / name
    assert sorted(p.name for p in target.iterdir()) == sorted(["config.json", "model.safetensors", *files])
    assert {m.name: m for m in weights.available_models()}[name].available
    model = weights.load_model(name)
    assert isinstance(model, model_cls) and not model.training
    return model


# --------------------------------------------------------------------------- a small GPT-2
def _write_bpe(folder):
    """GPT-2's byte-level BPE over a few merges (256 byte symbols, 10 merges, <|endoftext|> = 266),
    built by transformers from vocab.json + merges.txt and saved as tokenizer.json in folder."""
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    merges = [("Ġ", "t"), ("h", "e"), ("Ġt", "he"), ("Ġ", "c"), ("a", "t"), ("Ġc", "at"), ("Ġ", "s"), ("Ġs", "at"),
              ("o", "n"), ("Ġ", "on")]
    tokens = list(bytes_to_unicode().values()) + [a + b for a, b in merges] + [EOT]
    src = folder / "bpe_src"
    src.mkdir()
    (src / "vocab.json").write_text(json.dumps({t: i for i, t in enumerate(tokens)}))
    (src / "merges.txt").write_text("#version: 0.2\n" + "\n".join(f"{a} {b}" for a, b in merges) + "\n")
    tok = transformers.GPT2TokenizerFast.from_pretrained(src)
    tok.save_pretrained(folder)
    shutil.rmtree(src)
    (folder / "tokenizer_config.json").unlink()
    return tok


@pytest.fixture(scope="module")
def gpt2(tmp_path_factory):
    """(folder of a GPT2LMHeadModel + tokenizer.json, folder of its GPT2Model, HF LM model, HF tokenizer)."""
    d = tmp_path_factory.mktemp("gpt2")
    tok = _write_bpe(d)
    torch.manual_seed(0)
    cfg = transformers.GPT2Config(vocab_size=len(tok), n_positions=32, n_embd=64, n_layer=3, n_head=4,
                                  initializer_range=0.2, bos_token_id=len(tok) - 1, eos_token_id=len(tok) - 1)
    lm = sharpen(transformers.GPT2LMHeadModel(cfg), 1)
    lm.save_pretrained(d)
    base = tmp_path_factory.mktemp("gpt2_base")
    lm.transformer.save_pretrained(base)  # a GPT2Model checkpoint: no "transformer." prefix
    lm = transformers.GPT2LMHeadModel.from_pretrained(d, attn_implementation="eager").eval()
    return d, base, lm, tok


@pytest.fixture(scope="module")
def ids(gpt2):
    return torch.randint(0, len(gpt2[3]), (2, 32), generator=torch.Generator().manual_seed(2))


@torch.no_grad()
def test_gpt2_hidden_logits_attention_parity(gpt2, ids):
    d, base, lm, _ = gpt2
    ours = load_hf(d)
    assert isinstance(ours, GPT) and not ours.training
    assert (ours.cfg.dim, ours.cfg.depth, ours.cfg.num_heads, ours.cfg.context_length) == (64, 3, 4, 32)
    ref = lm(ids, output_attentions=True, output_hidden_states=True)
    hidden, attns = ours(ids, return_attn=True)
    assert len(attns) == 3 and attns[0].shape == (2, 4, 32, 32)
    assert diff("gpt2 hidden", hidden, ref.hidden_states[-1]) <= TOL  # after ln_f, as transformers' last
    assert diff("gpt2 logits", ours.logits(hidden), ref.logits) <= TOL
    assert max_diff("gpt2 attention", attns, ref.attentions) <= TOL
    assert attns[0][0, 0, 0, 0] == 1 and attns[0][0, :, 3, 4:].abs().max() == 0  # causal
    assert attns[0].amax(-1).mean() > 0.3  # peaked (uniform rows: 0.13), so a q/k mix-up cannot hide
    # a GPT2Model checkpoint (no prefix, no head) gives the same model
    hf_base = transformers.GPT2Model.from_pretrained(base, attn_implementation="eager").eval()
    ref_b = hf_base(ids, output_attentions=True)
    hidden_b, attns_b = load_hf(base)(ids, return_attn=True)
    assert diff("gpt2 (GPT2Model) hidden", hidden_b, ref_b.last_hidden_state) <= TOL
    assert max_diff("gpt2 (GPT2Model) attention", attns_b, ref_b.attentions) <= TOL
    fast, none = ours(ids)
    assert none is None and diff("gpt2 hidden (fused SDPA path)", fast, ref.hidden_states[-1]) <= TOL


@torch.no_grad()
def test_gpt2_kv_cache_equals_the_full_pass(gpt2, ids):
    ours = load_hf(gpt2[0])
    full, attns = ours(ids, return_attn=True)
    cache = ours.new_cache()
    parts, rows = [], []
    for a, b in [(0, 20), (20, 21), (21, 22), (22, 32)]:  # a prompt, then single tokens, then a chunk
        h, at = ours(ids[:, a:b], return_attn=True, cache=cache)
        parts.append(h)
        rows.append(at)
    assert len(cache) == 32
    assert diff("gpt2 KV cache hidden", torch.cat(parts, 1), full) <= TOL
    for layer in range(3):  # the cached attention rows are the full pass's rows, over all keys so far
        for (a, b), at in zip([(0, 20), (20, 21), (21, 22), (22, 32)], rows):
            assert diff("gpt2 KV cache attention", at[layer], attns[layer][:, :, a:b, :b]) <= TOL


@torch.no_grad()
def test_gpt2_greedy_generation_equals_transformers(gpt2, ids):
    d, _, lm, tok = gpt2
    ours = load_hf(d)
    assert ours.cfg.eos_id == ours.cfg.bos_id == len(tok) - 1
    for row in range(2):
        prompt = ids[row:row + 1, :5]
        ref = lm.generate(prompt, max_new_tokens=12, do_sample=False, num_beams=1, pad_token_id=ours.cfg.eos_id)
        for cache in (True, False):
            out = ours.generate(prompt, 12, greedy=True, use_cache=cache, stop_id=ours.cfg.eos_id)
            assert torch.equal(out, ref), (row, cache, out, ref)


def test_gpt2_old_checkpoint_keys_and_refusals(gpt2):
    from safetensors.torch import load_file

    sd = load_file(str(gpt2[0] / "model.safetensors"))
    new = convert_hf_gpt2_state_dict(sd)
    old = {k.removeprefix("transformer."): t for k, t in sd.items()}  # the hub's gpt2: no prefix, mask buffers
    old.update({f"h.{i}.attn.bias": torch.ones(1, 1, 32, 32).tril() for i in range(3)})
    old.update({f"h.{i}.attn.masked_bias": torch.tensor(-1e4) for i in range(3)})
    old["lm_head.weight"] = old["wte.weight"]
    conv = convert_hf_gpt2_state_dict(old)
    assert conv.keys() == new.keys() and all(torch.equal(conv[k], new[k]) for k in new)
    assert torch.equal(new["blocks.1.attn.qkv.weight"], sd["transformer.h.1.attn.c_attn.weight"].t())  # (3D, D)
    assert new["blocks.0.mlp.fc1.weight"].shape == (256, 64) and new["pos_embed"].shape == (32, 64)
    assert set(new) == set(GPT(hf_gpt2_config(json.loads((gpt2[0] / "config.json").read_text()))).state_dict())
    with pytest.raises(UnsupportedModelError, match="untied lm_head"):
        convert_hf_gpt2_state_dict(old, tied=False)
    with pytest.raises(UnsupportedModelError, match="unexpected key"):
        convert_hf_gpt2_state_dict({"h.0.attn.rotary.weight": torch.zeros(1)})
    for bad in ({"scale_attn_by_inverse_layer_idx": True}, {"reorder_and_upcast_attn": True},
                {"scale_attn_weights": False}, {"add_cross_attention": True}):
        with pytest.raises(UnsupportedModelError, match="not supported"):
            hf_gpt2_config(bad)
    with pytest.raises(UnsupportedModelError, match="hidden_act 'mish'"):
        hf_gpt2_config({"activation_function": "mish"})


def test_gpt2_full_size_config_is_the_preset():
    assert hf_gpt2_config(transformers.GPT2Config().to_dict()) == PRESETS["gpt2"]
    assert hf_gpt2_config({}) == PRESETS["gpt2"]  # a config.json that leaves everything at the defaults


# --------------------------------------------------------------------------- byte-level BPE
def test_gpt2_tokenizer_matches_transformers(gpt2):
    d, _, _, tok = gpt2
    ours = load_hf(d).tokenizer
    assert isinstance(ours, JsonTokenizer) and ours.name == "byte-level BPE" and ours.vocab_size == len(tok) == 267
    assert ours.token_to_id(EOT) == 266 and ours.pad_id == 266
    for text in TEXTS + [f"{EOT}on the{EOT}"]:
        enc, ref = ours.encode(text), tok(text)
        assert enc.ids == ref["input_ids"] and enc.word_ids == ref.word_ids(), text
        assert enc.tokens == [readable_bytes(t) for t in tok.convert_ids_to_tokens(enc.ids)]
        assert ours.decode(enc.ids, skip_special_tokens=False) == tok.decode(enc.ids) == text
        assert ours.decode(enc.ids) == tok.decode(enc.ids, skip_special_tokens=True)
    enc = ours.encode(TEXTS[1])
    assert enc.tokens[:4] == [" the", " cat", "\n", "\n"]  # Ġ and Ċ shown as the space and newline they are
    assert enc.tokens[-7:] == ["\\xf0", "\\x9f", "\\x98", "\\x80", " ", "4", "2"]  # 😀's 4 bytes, one token each
    assert readable_bytes(EOT) == EOT and readable_bytes("Ġc" + "Ã©") == " cé"
    batch = ours.batch(TEXTS)  # GPT-2 has no padding token: padded with <|endoftext|>, masked out
    lengths = [len(ours.ids(t)) for t in TEXTS]
    assert batch["input_ids"].shape == (3, max(lengths)) and batch["attention_mask"].sum(1).tolist() == lengths
    assert batch["input_ids"][2, lengths[2]:].eq(266).all()


def test_download_fetches_gpt2_with_its_tokenizer(gpt2, tmp_path, monkeypatch):
    src = tmp_path / "src"
    shutil.copytree(gpt2[0], src)
    model = check_download("openai-community/gpt2", src, ["tokenizer.json"], tmp_path, monkeypatch, GPT)
    assert model.tokenizer.vocab_size == 267
