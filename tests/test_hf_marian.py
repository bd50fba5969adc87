"""Parity of mmviz's EncoderDecoder with transformers' Marian on random weights (no download).

- a small MarianMTModel (and MarianModel) saved with save_pretrained, loaded by mmviz: encoder and
  decoder hidden states, logits and every attention (encoder self, decoder self, cross) within
  1e-4, with a padded source; the decoder's KV-cache path equals the full pass; greedy translation
  equals MarianMTModel.generate(num_beams=1, do_sample=False); old-checkpoint keys (embed_positions,
  embed_tokens copies, lm_head) convert the same; separate source / target embeddings work too.
- Helsinki-NLP/opus-mt-en-de's config.json converts to PRESETS["opus-mt-en-de"].
- Marian's SentencePiece tokenizers: source.spm / target.spm trained here on a few sentences plus
  a vocab.json in Marian's own order, read by transformers' MarianTokenizer and by
  mmviz.tokenizers.hf: same ids, tokens and decoding; the whole translation (tokenize, greedy,
  detokenize) gives the same text.
"""

from __future__ import annotations

import io
import json
import random

import pytest
import torch

transformers = pytest.importorskip("transformers")
sentencepiece = pytest.importorskip("sentencepiece")

from mmviz.hf.marian import convert_hf_marian_state_dict, hf_marian_config, load_hf_marian  # noqa: E402
from mmviz.models.encdec import PRESETS, EncoderDecoder  # noqa: E402
from mmviz.pos_embed.sinusoidal import sinusoidal_1d  # noqa: E402
from mmviz.tokenizers.hf import SentencePieceTokenizer  # noqa: E402
from mmviz.weights import UnsupportedModelError, load_hf  # noqa: E402
from test_hf_gpt2 import TOL, check_download, diff, max_diff, report_max_diffs, sharpen  # noqa: E402,F401

pytestmark = pytest.mark.filterwarnings("ignore:Recommended. pip install sacremoses")

EN = ["The cat sat on the mat.", "A small frog jumped over the old wall!", "Tom asked his teacher for advice.",
      "I am a small frog.", "The weather is nice today, isn't it?", "Numbers like 42 and 3.14 are fine."]
DE = ["Die Katze saß auf der Matte.", "Ein kleiner Frosch sprang über die alte Mauer!",
      "Tom bat seinen Lehrer um Rat.", "Ich bin ein kleiner Frosch.", "Das Wetter ist heute schön, nicht wahr?"]
TEXTS = EN[:3] + ["  Hello   world  ", "Zürich 😀 naïve", ">>de<< A small frog.", "", "x"]
# Helsinki-NLP/opus-mt-en-de config.json (the fields that describe the architecture)
OPUS_EN_DE = dict(model_type="marian", activation_function="swish", d_model=512, encoder_layers=6, decoder_layers=6,
                  encoder_attention_heads=8, decoder_attention_heads=8, encoder_ffn_dim=2048, decoder_ffn_dim=2048,
                  max_position_embeddings=512, scale_embedding=True, vocab_size=58101, decoder_vocab_size=58101,
                  pad_token_id=58100, eos_token_id=0, bos_token_id=0, decoder_start_token_id=58100,
                  forced_eos_token_id=0, bad_words_ids=[[58100]], normalize_before=False,
                  static_position_embeddings=True, share_encoder_decoder_embeddings=True)


def _write_spm(folder) -> dict[str, int]:
    """source.spm (English), target.spm (German) and a vocab.json over both in Marian's own order
    (</s> 0, <unk> 1, pieces shuffled, a few left out so that they become <unk>, <pad> last)."""
    pieces = []
    for name, corpus in (("source", EN), ("target", DE)):
        buf = io.BytesIO()
        sentencepiece.SentencePieceTrainer.train(sentence_iterator=iter(corpus * 20), model_writer=buf, vocab_size=50,
                                                 character_coverage=1.0, hard_vocab_limit=False, minloglevel=2)
        (folder / f"{name}.spm").write_bytes(buf.getvalue())
        sp = sentencepiece.SentencePieceProcessor(model_proto=buf.getvalue())
        pieces += [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    pieces = [p for p in dict.fromkeys(pieces) if p not in ("<unk>", "<s>", "</s>")]
    random.Random(0).shuffle(pieces)
    vocab = {"</s>": 0, "<unk>": 1, **{p: i + 2 for i, p in enumerate(pieces[:-5])}}
    vocab["<pad>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab))
    return vocab


def _config(vocab: int, **kw) -> transformers.MarianConfig:
    return transformers.MarianConfig(
        vocab_size=vocab, d_model=64, encoder_layers=2, decoder_layers=3, encoder_attention_heads=4,
        decoder_attention_heads=4, encoder_ffn_dim=128, decoder_ffn_dim=128, max_position_embeddings=40,
        scale_embedding=True, activation_function="swish", pad_token_id=vocab - 1, decoder_start_token_id=vocab - 1,
        eos_token_id=0, forced_eos_token_id=None, init_std=0.2, **kw)


@pytest.fixture(scope="module")
def marian(tmp_path_factory):
    """(MarianMTModel folder with source.spm / target.spm / vocab.json, MarianModel folder, HF MT model,
    HF MarianModel, HF MarianTokenizer)."""
    d = tmp_path_factory.mktemp("marian")
    vocab = _write_spm(d)
    tok = transformers.MarianTokenizer(source_spm=str(d / "source.spm"), target_spm=str(d / "target.spm"),
                                       vocab=str(d / "vocab.json"))
    torch.manual_seed(7)
    sharpen(transformers.MarianMTModel(_config(len(vocab))), 8).save_pretrained(d)
    base = tmp_path_factory.mktemp("marian_base")
    sharpen(transformers.MarianModel(_config(len(vocab))), 9).save_pretrained(base)
    mt = transformers.MarianMTModel.from_pretrained(d, attn_implementation="eager").eval()
    hf_base = transformers.MarianModel.from_pretrained(base, attn_implementation="eager").eval()
    return d, base, mt, hf_base, tok


@pytest.fixture(scope="module")
def inputs(marian):
    """Source ids (2, 16), row 1 padded after 9 tokens; decoder ids (2, 12) starting with the start token."""
    V = len(marian[4])
    g = torch.Generator().manual_seed(10)
    src = torch.randint(1, V - 1, (2, 16), generator=g)
    src[:, -1] = 0
    src[1, 8], src[1, 9:] = 0, V - 1
    mask = (torch.arange(16) < torch.tensor([[16], [9]])).long()
    tgt = torch.randint(1, V - 1, (2, 12), generator=g)
    tgt[:, 0] = V - 1
    return src, mask, tgt


def _check_model(name, ours, ref, src, mask, tgt, logits=None):
    """Every hidden state, logit and attention of ours (EncoderDecoder) against a transformers output."""
    hidden, att = ours(src, tgt, attention_mask=mask, return_attn=True)
    assert diff(f"{name} decoder hidden", hidden, ref.last_hidden_state if logits is None else
                ref.decoder_hidden_states[-1]) <= TOL
    memory, _ = ours.encode(src, attention_mask=mask)
    assert diff(f"{name} encoder hidden", memory, ref.encoder_last_hidden_state) <= TOL
    assert max_diff(f"{name} encoder attention", att["encoder"], ref.encoder_attentions) <= TOL
    assert max_diff(f"{name} decoder self-attention", att["decoder"], ref.decoder_attentions) <= TOL
    assert max_diff(f"{name} cross-attention", att["cross"], ref.cross_attentions) <= TOL
    if logits is not None:
        assert diff(f"{name} logits", ours.logits(hidden), logits) <= TOL
    return att


@torch.no_grad()
def test_marian_parity_every_attention_with_padding(marian, inputs):
    d, base, mt, hf_base, _ = marian
    src, mask, tgt = inputs
    ours = load_hf(d)
    assert isinstance(ours, EncoderDecoder) and not ours.training and ours.src_embed is ours.tgt_embed
    c = ours.cfg
    assert (c.dim, c.enc_depth, c.dec_depth, c.num_heads, c.mlp_ratio, c.hidden_act) == (64, 2, 3, 4, 2.0, "swish")
    assert (c.pad_id, c.bos_id, c.eos_id, c.context_length, c.scale_embedding) == (len(marian[4]) - 1,) * 2 + (
        0, 40, True)
    ref = mt(input_ids=src, attention_mask=mask, decoder_input_ids=tgt, output_attentions=True,
             output_hidden_states=True)
    att = _check_model("marian (MT)", ours, ref, src, mask, tgt, logits=ref.logits)
    assert len(att["cross"]) == 3 and att["cross"][0].shape == (2, 4, 12, 16)
    assert att["cross"][0][1, :, :, 9:].abs().max() == 0 and att["encoder"][0][1, :, :, 9:].abs().max() == 0
    assert att["decoder"][0][0, :, 2, 3:].abs().max() == 0  # causal
    assert att["cross"][1][0].amax(-1).mean() > 0.2  # peaked (uniform rows: 0.06)
    fast, _ = ours(src, tgt, attention_mask=mask)
    assert diff("marian hidden (fused SDPA path)", fast, ref.decoder_hidden_states[-1]) <= TOL
    plain = load_hf(base)  # MarianModel: no "model." prefix, no LM head, zero final_logits_bias
    assert plain.final_logits_bias.abs().max() == 0
    ref = hf_base(input_ids=src, attention_mask=mask, decoder_input_ids=tgt, output_attentions=True)
    _check_model("marian (MarianModel)", plain, ref, src, mask, tgt)


@torch.no_grad()
def test_marian_decoder_kv_cache_equals_the_full_pass(marian, inputs):
    ours = load_hf(marian[0])
    src, mask, tgt = inputs
    memory, _ = ours.encode(src, attention_mask=mask)
    full, selfs, crosses = ours.decode(tgt, memory, attention_mask=mask, return_attn=True)
    cache = ours.new_cache()
    steps = [(0, 5), *[(t, t + 1) for t in range(5, 12)]]  # a prefix, then one token at a time
    outs = []
    for a, b in steps:
        h, sa, ca = ours.decode(tgt[:, a:b], memory, attention_mask=mask, return_attn=True, cache=cache)
        outs.append(h)
        for layer in range(3):
            assert diff("marian KV cache self-attention", sa[layer], selfs[layer][:, :, a:b, :b]) <= TOL
            assert diff("marian KV cache cross-attention", ca[layer], crosses[layer][:, :, a:b]) <= TOL
    assert len(cache) == 12 and cache.cross[0].k.shape == (2, 4, 16, 16)  # the memory's keys, computed once
    assert diff("marian KV cache decoder hidden", torch.cat(outs, 1), full) <= TOL


def _pad_after_eos(ids: torch.Tensor, eos: int, pad: int) -> torch.Tensor:
    """mmviz's greedy repeats <eos> in finished rows; transformers pads them."""
    done = (ids == eos).long().cumsum(1) - (ids == eos).long()
    return torch.where(done > 0, torch.full_like(ids, pad), ids)


@torch.no_grad()
def test_marian_greedy_translation_equals_generate(marian, inputs):
    d, _, mt, _, tok = marian
    ours = load_hf(d)
    src, mask, _ = inputs
    ref = mt.generate(input_ids=src, attention_mask=mask, max_new_tokens=20, num_beams=1, do_sample=False)
    for cache in (True, False):
        out = ours.greedy(src, 20, attention_mask=mask, use_cache=cache)
        assert torch.equal(_pad_after_eos(out, 0, ours.cfg.pad_id), ref), (cache, out, ref)
    # the whole translation: tokenize, translate, detokenize
    batch = tok(EN[:3], padding=True, return_tensors="pt")
    ref = tok.batch_decode(mt.generate(**batch, max_new_tokens=20, num_beams=1, do_sample=False),
                           skip_special_tokens=True)
    mine = ours.src_tokenizer.batch(EN[:3])
    assert torch.equal(mine["input_ids"], batch["input_ids"])
    out = ours.greedy(mine["input_ids"], 20, attention_mask=mine["attention_mask"])
    assert [ours.tgt_tokenizer.decode(row) for row in out.tolist()] == ref


def test_marian_old_checkpoint_keys_and_refusals(marian):
    from safetensors.torch import load_file

    d = marian[0]
    hf = json.loads((d / "config.json").read_text())
    sd = load_file(str(d / "model.safetensors"))
    new = convert_hf_marian_state_dict(sd, hf)
    old = dict(sd)  # as on the hub: positions, tied copies of the embedding and the LM head are stored
    table = marian[2].model.encoder.embed_positions.weight.detach()  # transformers' own sinusoids
    assert diff("marian positions vs transformers' table", sinusoidal_1d(40, 64, split=True), table) <= 1e-6
    shared = sd["model.shared.weight"]
    old.update({"model.encoder.embed_positions.weight": table, "model.decoder.embed_positions.weight": table,
                "model.encoder.embed_tokens.weight": shared, "model.decoder.embed_tokens.weight": shared,
                "lm_head.weight": shared})
    conv = convert_hf_marian_state_dict(old, hf)
    assert conv.keys() == new.keys() and all(torch.equal(conv[k], new[k]) for k in new)
    q, k, v = (sd[f"model.decoder.layers.1.self_attn.{n}_proj.weight"] for n in "qkv")
    assert torch.equal(new["decoder.1.attn.qkv.weight"], torch.cat([q, k, v]))  # q rows first
    k, v = (sd[f"model.decoder.layers.2.encoder_attn.{n}_proj.bias"] for n in "kv")
    assert torch.equal(new["decoder.2.cross.kv.bias"], torch.cat([k, v]))  # k rows first
    assert torch.equal(new["decoder.0.cross.q.weight"], sd["model.decoder.layers.0.encoder_attn.q_proj.weight"])
    assert torch.equal(new["decoder.0.norm_cross.bias"], sd["model.decoder.layers.0.encoder_attn_layer_norm.bias"])
    assert new["final_logits_bias"].shape == (len(marian[4]),)
    assert set(new) == set(EncoderDecoder(hf_marian_config(hf)).state_dict())
    with pytest.raises(UnsupportedModelError, match="not Marian's sinusoids"):
        convert_hf_marian_state_dict({**old, "model.decoder.embed_positions.weight": table + 0.01}, hf)
    with pytest.raises(UnsupportedModelError, match="lm_head not tied"):
        convert_hf_marian_state_dict(old, {**hf, "tie_word_embeddings": False})
    with pytest.raises(UnsupportedModelError, match="unexpected key"):
        convert_hf_marian_state_dict({"model.encoder.layernorm_embedding.weight": torch.zeros(1)}, hf)
    with pytest.raises(UnsupportedModelError, match="unexpected key"):
        convert_hf_marian_state_dict({"model.other.weight": torch.zeros(1)}, hf)
    with pytest.raises(UnsupportedModelError, match="incomplete q/k/v"):
        convert_hf_marian_state_dict({"model.decoder.layers.0.encoder_attn.k_proj.weight": torch.zeros(1)}, hf)
    with pytest.raises(UnsupportedModelError, match="one value for both"):
        hf_marian_config({**hf, "decoder_attention_heads": 8})
    with pytest.raises(UnsupportedModelError, match="does not fit"):
        load_hf_marian(d, {**hf, "decoder_layers": 2})


@torch.no_grad()
def test_marian_separate_source_and_target_embeddings(tmp_path, inputs):
    """share_encoder_decoder_embeddings false: own source and target matrices, a target vocabulary of its own."""
    src, mask, tgt = inputs
    torch.manual_seed(11)
    V = int(src.max()) + 2
    cfg = _config(V, share_encoder_decoder_embeddings=False, decoder_vocab_size=V + 7)
    sharpen(transformers.MarianMTModel(cfg), 12).save_pretrained(tmp_path)
    mt = transformers.MarianMTModel.from_pretrained(tmp_path, attn_implementation="eager").eval()
    ours = load_hf(tmp_path)
    assert not ours.cfg.shared_vocab and ours.src_embed is not ours.tgt_embed and ours.src_tokenizer is None
    assert (ours.cfg.src_vocab_size, ours.cfg.tgt_vocab_size) == (V, V + 7)
    tgt = tgt.clamp(max=V + 6)
    tgt[:, 0] = V - 1
    ref = mt(input_ids=src, attention_mask=mask, decoder_input_ids=tgt, output_attentions=True,
             output_hidden_states=True)
    _check_model("marian (separate vocabularies)", ours, ref, src, mask, tgt, logits=ref.logits)


def test_marian_full_size_config_is_the_preset():
    assert hf_marian_config(OPUS_EN_DE) == PRESETS["opus-mt-en-de"]


# --------------------------------------------------------------------------- SentencePiece
def test_marian_tokenizers_match_transformers(marian):
    d, _, _, _, tok = marian
    model = load_hf(d)
    src, tgt = model.src_tokenizer, model.tgt_tokenizer
    assert isinstance(src, SentencePieceTokenizer) and src.vocab_size == tgt.vocab_size == len(tok)
    assert (src.eos_id, src.unk_id, src.pad_id) == (0, 1, len(tok) - 1) == (0, 1, model.cfg.pad_id)
    for text in TEXTS + DE:
        enc, ref = src.encode(text), tok(text)["input_ids"]
        assert enc.ids == ref and enc.tokens == tok.convert_ids_to_tokens(ref), text
        assert tgt.ids(text) == tok(text_target=text)["input_ids"], text
        for ids in (ref, tok(text_target=text)["input_ids"], ref + [src.pad_id] * 2):
            for skip in (True, False):
                assert tgt.decode(ids, skip_special_tokens=skip) == tok.decode(ids, skip_special_tokens=skip)
    enc = src.encode("The cat sat.")
    assert enc.tokens[-1] == "</s>" and enc.word_ids[-1] is None and enc.type_ids == [0] * len(enc.ids)
    assert [enc.word_ids[i] for i, t in enumerate(enc.tokens[:-1]) if t.startswith("▁")] == [0, 1, 2]
    assert "<unk>" in src.encode("Zürich 😀").tokens  # characters the pieces do not cover
    assert src.encode(">>de<< A frog").word_ids[:2] == [0, 1]  # the language code is a word of its own
    batch, ref = src.batch(EN), tok(EN, padding=True, return_tensors="pt")
    assert torch.equal(batch["input_ids"], ref["input_ids"]) and torch.equal(batch["attention_mask"],
                                                                              ref["attention_mask"])


def test_download_fetches_marian_with_its_sentencepiece_files(marian, tmp_path, monkeypatch):
    src = tmp_path / "src"
    src.mkdir()
    for f in ("config.json", "model.safetensors", "source.spm", "target.spm", "vocab.json"):
        (src / f).write_bytes((marian[0] / f).read_bytes())
    model = check_download("Helsinki-NLP/opus-mt-en-de", src, ["source.spm", "target.spm", "vocab.json"], tmp_path,
                           monkeypatch, EncoderDecoder)
    assert model.src_tokenizer.vocab_size == len(marian[4])
