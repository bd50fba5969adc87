"""mmviz.models.gpt / bert / encdec and mmviz.sampling: shapes, masks, the KV cache and generation."""

from __future__ import annotations

import pytest
import torch

from mmviz.models.bert import BERT, BertConfig, mask_tokens
from mmviz.models.encdec import EncDecConfig, EncoderDecoder
from mmviz.models.gpt import GPT, GPTConfig
from mmviz.sampling import next_token_probs, sample_next

GPT_CFG = GPTConfig(vocab_size=50, context_length=32, dim=32, depth=2, num_heads=4, hidden_act="gelu", bos_id=1,
                    eos_id=2, pad_id=0, tokenizer="none")
BERT_CFG = BertConfig(vocab_size=50, context_length=32, dim=32, depth=2, num_heads=4, pad_id=0, mask_id=3,
                      tokenizer="none")
ED_CFG = EncDecConfig(src_vocab_size=40, tgt_vocab_size=30, shared_vocab=False, context_length=32, dim=32,
                      enc_depth=2, dec_depth=2, num_heads=4, hidden_act="relu", pad_id=0, bos_id=1, eos_id=2,
                      src_tokenizer="none", tgt_tokenizer="none")


def _gpt(positions="learned"):
    torch.manual_seed(0)
    return GPT(GPTConfig(**{**GPT_CFG.__dict__, "positions": positions})).eval()


@pytest.mark.parametrize("positions", ["learned", "sinusoidal"])
def test_gpt_is_causal_and_the_cache_changes_nothing(positions):
    g = _gpt(positions)
    ids = torch.randint(3, 50, (2, 9))
    hidden, attns = g(ids, return_attn=True)
    assert hidden.shape == (2, 9, 32) and len(attns) == 2 and attns[0].shape == (2, 4, 9, 9)
    assert all(torch.all(a.triu(1) == 0) for a in attns)  # nothing above the diagonal
    changed = ids.clone()
    changed[:, 6:] = 7  # the future does not change the past
    torch.testing.assert_close(g(changed)[0][:, :6], hidden[:, :6])
    cache = g.new_cache()
    h1, _ = g(ids[:, :5], cache=cache)
    h2, a2 = g(ids[:, 5:], cache=cache, return_attn=True)
    assert len(cache) == 9 and a2[0].shape == (2, 4, 4, 9)
    torch.testing.assert_close(torch.cat([h1, h2], 1), hidden, atol=1e-5, rtol=0)
    assert g.logits(hidden).shape == (2, 9, 50)


def test_gpt_generation_with_and_without_cache_and_limits():
    g = _gpt()
    start = torch.ones(3, 1, dtype=torch.long)
    a = g.generate(start, 12, greedy=True)
    b = g.generate(start, 12, greedy=True, use_cache=False)
    assert torch.equal(a, b) and a.shape == (3, 13)
    s1 = g.generate(start, 8, generator=torch.Generator().manual_seed(5))
    s2 = g.generate(start, 8, generator=torch.Generator().manual_seed(5))
    assert torch.equal(s1, s2)  # a seed reproduces a sample
    assert g.generate(start, 1000).shape[1] == 32  # never past the context
    with pytest.raises(ValueError, match="context length"):
        g(torch.ones(1, 33, dtype=torch.long))


def test_sampling_rules():
    logits = torch.tensor([[2.0, 1.0, 0.0, -1.0]])
    p = next_token_probs(logits)
    torch.testing.assert_close(p, logits.softmax(-1))
    assert (next_token_probs(logits, top_k=2)[0, 2:] == 0).all()
    cold, hot = next_token_probs(logits, temperature=0.2), next_token_probs(logits, temperature=5.0)
    assert cold[0, 0] > p[0, 0] > hot[0, 0]
    nucleus = next_token_probs(logits, top_p=0.7)  # 0.64 + 0.24 >= 0.7: the first two stay
    assert (nucleus[0, :2] > 0).all() and (nucleus[0, 2:] == 0).all()
    torch.testing.assert_close(nucleus.sum(), torch.tensor(1.0))
    assert sample_next(logits, greedy=True).item() == 0
    with pytest.raises(ValueError):
        next_token_probs(logits, temperature=0)


def test_bert_sees_both_sides_and_ignores_padding():
    torch.manual_seed(0)
    b = BERT(BERT_CFG).eval()
    ids = torch.randint(4, 50, (2, 7))
    hidden, attns = b(ids, return_attn=True)
    assert hidden.shape == (2, 7, 32) and attns[0].shape == (2, 4, 7, 7)
    assert attns[0][..., 0, 6].min() > 0  # the first token attends to the last one
    padded = torch.cat([ids, torch.zeros(2, 3, dtype=torch.long)], 1)
    mask = torch.cat([torch.ones(2, 7), torch.zeros(2, 3)], 1).long()
    h2, a2 = b(padded, attention_mask=mask, return_attn=True)
    torch.testing.assert_close(h2[:, :7], hidden, atol=1e-5, rtol=0)
    assert a2[0][..., 7:].abs().max() == 0
    assert b.mlm_logits(hidden).shape == (2, 7, 50)


def test_mask_tokens_follows_the_80_10_10_recipe():
    ids = torch.randint(5, 50, (200, 50))
    special = torch.zeros_like(ids, dtype=torch.bool)
    special[:, 0] = True
    out, labels, how = mask_tokens(ids, mask_id=3, vocab_size=50, special=special,
                                   generator=torch.Generator().manual_seed(0))
    chosen = labels != -100
    assert abs(chosen.float().mean().item() - 0.15) < 0.01 and not chosen[:, 0].any()
    share = torch.bincount(how[chosen], minlength=4)[1:].float() / chosen.sum()
    assert abs(share[0] - 0.8) < 0.03 and abs(share[1] - 0.1) < 0.03 and abs(share[2] - 0.1) < 0.03
    assert (out[how == 1] == 3).all() and torch.equal(out[how == 3], ids[how == 3]) and torch.equal(labels[chosen], ids[chosen])
    assert torch.equal(out[~chosen], ids[~chosen])


def test_encoder_decoder_attention_kinds_cache_and_greedy():
    torch.manual_seed(0)
    m = EncoderDecoder(ED_CFG).eval()
    src = torch.randint(3, 40, (2, 6))
    tgt = torch.randint(3, 30, (2, 5))
    hidden, att = m(src, tgt, return_attn=True)
    assert hidden.shape == (2, 5, 32)
    assert att["encoder"][0].shape == (2, 4, 6, 6) and att["decoder"][0].shape == (2, 4, 5, 5)
    assert att["cross"][0].shape == (2, 4, 5, 6) and torch.all(att["decoder"][0].triu(1) == 0)
    memory, _ = m.encode(src)
    cache, steps = m.new_cache(), []
    for t in range(5):
        steps.append(m.decode(tgt[:, t:t + 1], memory, cache=cache)[0])
    torch.testing.assert_close(torch.cat(steps, 1), hidden, atol=1e-5, rtol=0)
    assert torch.equal(m.greedy(src, 10), m.greedy(src, 10, use_cache=False))
    assert m.logits(hidden).shape == (2, 5, 30)
    assert not torch.equal(m.src_embed.weight[:30], m.tgt_embed.weight)  # separate vocabularies
