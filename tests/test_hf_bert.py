"""Parity of mmviz's BERT with transformers' BERT on random weights (no download).

- a small BertForMaskedLM and a BertModel saved with save_pretrained, loaded by mmviz: hidden
  states, MLM logits and every layer's attention within 1e-4, with padding (attention_mask) and
  two segments (token_type_ids); old TensorFlow-era keys (gamma / beta, pooler, NSP head,
  position_ids, the tied decoder) convert the same.
- bert-base-uncased's config (BertConfig defaults) converts to PRESETS["bert-base-uncased"].
- BERT's WordPiece: a BertTokenizerFast built offline from a small vocab.txt, saved to
  tokenizer.json, read by mmviz.tokenizers.hf: same ids, segments, word ids and decoding; its
  padded batches through both models give the same hidden states.
"""

from __future__ import annotations

import json

import pytest
import torch

transformers = pytest.importorskip("transformers")

from mmviz.hf.bert import convert_hf_bert_state_dict, hf_bert_config, load_hf_bert  # noqa: E402
from mmviz.models.bert import BERT, PRESETS  # noqa: E402
from mmviz.weights import UnsupportedModelError, load_hf  # noqa: E402
from test_hf_gpt2 import TOL, check_download, diff, max_diff, report_max_diffs, sharpen  # noqa: E402,F401

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
WORDS = ["the", "a", "cat", "dog", "sat", "on", "mat", "play", "run", "walk", "is", "it", ".", ",", "!", "?", "'",
         "##s", "##ing", "##ed", "##er", "big", "small"]
PAIRS = [("The cat sat on the mat.", "A dog is playing!"), ("Cats, dogs and walkers?", "it walked"),
         ("the", "RUNNING")]


@pytest.fixture(scope="module")
def bert(tmp_path_factory):
    """(BertForMaskedLM folder with tokenizer.json, BertModel folder, HF MLM model, HF BertModel, HF tokenizer)."""
    d = tmp_path_factory.mktemp("bert")
    (d / "vocab.txt").write_text("\n".join(SPECIALS + WORDS) + "\n")
    tok = transformers.BertTokenizerFast.from_pretrained(d)
    tok.save_pretrained(d)
    for f in ("vocab.txt", "tokenizer_config.json"):
        (d / f).unlink(missing_ok=True)
    torch.manual_seed(3)
    cfg = transformers.BertConfig(vocab_size=len(tok), hidden_size=64, num_hidden_layers=3, num_attention_heads=4,
                                  intermediate_size=96, max_position_embeddings=24, type_vocab_size=2,
                                  initializer_range=0.3, hidden_act="gelu")
    sharpen(transformers.BertForMaskedLM(cfg), 4).save_pretrained(d)
    base = tmp_path_factory.mktemp("bert_base")
    sharpen(transformers.BertModel(cfg, add_pooling_layer=True), 5).save_pretrained(base)
    mlm = transformers.BertForMaskedLM.from_pretrained(d, attn_implementation="eager").eval()
    hf_base = transformers.BertModel.from_pretrained(base, attn_implementation="eager").eval()
    return d, base, mlm, hf_base, tok


@pytest.fixture(scope="module")
def inputs():
    """Random ids (2, 20): row 1 padded after 13 tokens; segments A (0) then B (1)."""
    g = torch.Generator().manual_seed(6)
    ids = torch.randint(5, 28, (2, 20), generator=g)
    mask = torch.ones_like(ids)
    mask[1, 13:] = 0
    ids[1, 13:] = 0
    types = torch.zeros_like(ids)
    types[0, 9:] = 1
    types[1, 7:13] = 1
    return ids, mask, types


@torch.no_grad()
def test_bert_mlm_and_base_parity_with_padding_and_segments(bert, inputs):
    d, base, mlm, hf_base, _ = bert
    ids, mask, types = inputs
    ours = load_hf(d)
    assert isinstance(ours, BERT) and ours.mlm is not None and not ours.training
    assert (ours.cfg.dim, ours.cfg.depth, ours.cfg.mlp_ratio, ours.cfg.context_length) == (64, 3, 1.5, 24)
    assert (ours.cfg.pad_id, ours.cfg.cls_id, ours.cfg.sep_id, ours.cfg.mask_id) == (0, 2, 3, 4)  # tokenizer's
    ref = mlm(input_ids=ids, attention_mask=mask, token_type_ids=types, output_attentions=True,
              output_hidden_states=True)
    hidden, attns = ours(ids, attention_mask=mask, token_type_ids=types, return_attn=True)
    assert len(attns) == 3 and attns[0].shape == (2, 4, 20, 20)
    assert diff("bert (MLM) hidden", hidden, ref.hidden_states[-1]) <= TOL
    assert diff("bert (MLM) logits", ours.mlm_logits(hidden), ref.logits) <= TOL
    assert max_diff("bert (MLM) attention", attns, ref.attentions) <= TOL
    assert attns[1][1, :, :, 13:].abs().max() == 0  # padding is never attended to
    assert attns[0][0].amax(-1).mean() > 0.3  # peaked (uniform rows: 0.05)
    fast, _ = ours(ids, attention_mask=mask, token_type_ids=types)
    assert diff("bert hidden (fused SDPA path)", fast, ref.hidden_states[-1]) <= TOL
    plain = load_hf(base)  # BertModel: no "bert." prefix, a pooler (dropped), no MLM head
    assert plain.mlm is None and not plain.cfg.mlm_head
    ref = hf_base(input_ids=ids, attention_mask=mask, token_type_ids=types, output_attentions=True)
    hidden, attns = plain(ids, attention_mask=mask, token_type_ids=types, return_attn=True)
    assert diff("bert (BertModel) hidden", hidden, ref.last_hidden_state) <= TOL
    assert max_diff("bert (BertModel) attention", attns, ref.attentions) <= TOL
    with pytest.raises(ValueError, match="no masked-LM head"):
        plain.mlm_logits(hidden)


def test_bert_old_checkpoint_keys_and_refusals(bert):
    from safetensors.torch import load_file

    d = bert[0]
    sd = load_file(str(d / "model.safetensors"))
    new = convert_hf_bert_state_dict(sd)
    # bert-base-uncased as on the hub: a BertForPreTraining converted from TensorFlow
    old = {k.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta"): t
           for k, t in sd.items()}
    old.update({"bert.embeddings.position_ids": torch.arange(24)[None], "bert.pooler.dense.weight": torch.zeros(64, 64),
                "bert.pooler.dense.bias": torch.zeros(64), "cls.seq_relationship.weight": torch.zeros(2, 64),
                "cls.seq_relationship.bias": torch.zeros(2), "cls.predictions.decoder.bias": sd["cls.predictions.bias"],
                "cls.predictions.decoder.weight": sd["bert.embeddings.word_embeddings.weight"]})
    conv = convert_hf_bert_state_dict(old)
    assert conv.keys() == new.keys() and all(torch.equal(conv[k], new[k]) for k in new)
    q, k, v = (sd[f"bert.encoder.layer.2.attention.self.{n}.weight"] for n in ("query", "key", "value"))
    assert torch.equal(new["blocks.2.attn.qkv.weight"], torch.cat([q, k, v]))  # q rows first
    assert torch.equal(new["blocks.0.norm1.bias"], sd["bert.encoder.layer.0.attention.output.LayerNorm.bias"])
    assert torch.equal(new["blocks.0.norm2.bias"], sd["bert.encoder.layer.0.output.LayerNorm.bias"])
    cfg = hf_bert_config(json.loads((d / "config.json").read_text()), mlm_head=True)
    assert set(new) == set(BERT(cfg).state_dict())
    with pytest.raises(UnsupportedModelError, match="untied MLM decoder"):
        convert_hf_bert_state_dict(old, tied=False)
    with pytest.raises(UnsupportedModelError, match="unexpected key"):
        convert_hf_bert_state_dict({"bert.encoder.layer.0.crossattention.self.query.weight": torch.zeros(1)})
    with pytest.raises(UnsupportedModelError, match="incomplete q/k/v"):
        convert_hf_bert_state_dict({"encoder.layer.0.attention.self.query.weight": torch.zeros(1)})
    for bad in ({"position_embedding_type": "relative_key"}, {"is_decoder": True}):
        with pytest.raises(UnsupportedModelError, match="not supported"):
            hf_bert_config(bad, mlm_head=True)
    with pytest.raises(UnsupportedModelError, match="does not fit"):  # config says 4 layers, weights have 3
        load_hf_bert(d, {**json.loads((d / "config.json").read_text()), "num_hidden_layers": 4})


def test_bert_full_size_config_is_the_preset():
    assert hf_bert_config(transformers.BertConfig().to_dict(), mlm_head=True) == PRESETS["bert-base-uncased"]
    assert hf_bert_config({}, mlm_head=True) == PRESETS["bert-base-uncased"]  # no tokenizer: 103, 101, 102


# --------------------------------------------------------------------------- WordPiece
@torch.no_grad()
def test_bert_tokenizer_matches_transformers(bert):
    d, _, mlm, _, tok = bert
    model = load_hf(d)
    ours = model.tokenizer
    assert ours.name == "WordPiece" and ours.vocab_size == len(tok) == 28 and ours.pad_id == 0
    for a, b in PAIRS:
        for enc, ref in ((ours.encode(a), tok(a)), (ours.encode(a, b), tok(a, b))):
            assert enc.ids == ref["input_ids"] and enc.type_ids == ref["token_type_ids"], (a, b)
            assert enc.word_ids == ref.word_ids() and enc.tokens == tok.convert_ids_to_tokens(enc.ids)
            assert ours.decode(enc.ids) == tok.decode(enc.ids, skip_special_tokens=True)
            assert ours.decode(enc.ids, skip_special_tokens=False) == tok.decode(enc.ids)
    enc = ours.encode("The cat is playing!")
    assert enc.tokens == ["[CLS]", "the", "cat", "is", "play", "##ing", "!", "[SEP]"]
    assert enc.word_ids == [None, 0, 1, 2, 3, 3, 4, None]  # "play ##ing" is one word
    assert ours.encode("zebra").tokens == ["[CLS]", "[UNK]", "[SEP]"]
    texts = [a for a, _ in PAIRS]
    batch, ref = ours.batch(texts), tok(texts, padding=True, return_tensors="pt")
    for k in ("input_ids", "attention_mask", "token_type_ids"):
        assert torch.equal(batch[k], ref[k]), k
    hidden, _ = model(batch["input_ids"], attention_mask=batch["attention_mask"])
    assert diff("bert hidden (WordPiece batch)", hidden, mlm.bert(**ref).last_hidden_state) <= TOL


def test_download_fetches_bert_with_its_tokenizer(bert, tmp_path, monkeypatch):
    src = tmp_path / "src"
    src.mkdir()
    for f in ("config.json", "model.safetensors", "tokenizer.json"):
        (src / f).write_bytes((bert[0] / f).read_bytes())
    model = check_download("google-bert/bert-base-uncased", src, ["tokenizer.json"], tmp_path, monkeypatch, BERT)
    assert model.tokenizer.vocab_size == 28 and model.cfg.mask_id == 4
