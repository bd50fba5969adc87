import math

import pytest
import torch

from mmviz.attention import (
    attention_entropy,
    attention_rollout,
    mean_attention_distance,
)


def test_rollout_single_layer_by_hand():
    # 2 tokens, one head. A = [[.5,.5],[.2,.8]]; (A+I) = [[1.5,.5],[.2,1.8]] -> rows /2
    a = torch.tensor([[[[0.5, 0.5], [0.2, 0.8]]]])
    r = attention_rollout([a])
    expected = torch.tensor([[[0.75, 0.25], [0.1, 0.9]]])
    torch.testing.assert_close(r, expected)


def test_rollout_two_layers_multiplies_and_fuses_heads():
    a1 = torch.tensor([[[[0.5, 0.5], [0.2, 0.8]], [[0.5, 0.5], [0.2, 0.8]]]])  # 2 equal heads
    a2 = torch.tensor([[[[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]]])
    r = attention_rollout([a1, a2], head_fusion="mean")
    l1 = torch.tensor([[0.75, 0.25], [0.1, 0.9]])
    l2 = torch.tensor([[0.75, 0.25], [0.25, 0.75]])  # mean head = 0.5 everywhere, +I, /2
    torch.testing.assert_close(r[0], l2 @ l1)
    rmax = attention_rollout([a2], head_fusion="max")  # max head = all ones -> (1+I)/3
    torch.testing.assert_close(rmax[0], torch.tensor([[2 / 3, 1 / 3], [1 / 3, 2 / 3]]))
    rmin = attention_rollout([a2], head_fusion="min")  # min head = zeros -> identity
    torch.testing.assert_close(rmin[0], torch.eye(2))
    with pytest.raises(ValueError):
        attention_rollout([a2], head_fusion="median")


def test_rollout_discard_keeps_cls_column():
    # 3 tokens, weakest 4 of 9 weights dropped; column 0 ([CLS]) is kept even when tiny.
    a = torch.tensor([[[[0.01, 0.49, 0.50], [0.02, 0.90, 0.08], [0.03, 0.07, 0.90]]]])
    r = attention_rollout([a], discard_ratio=4 / 9)
    # smallest 4: .01,.02,.03 (column 0, kept) and .07 -> zeroed; (.08 survives)
    kept = torch.tensor([[0.01, 0.49, 0.50], [0.02, 0.90, 0.08], [0.03, 0.0, 0.90]])
    expected = kept + torch.eye(3)
    expected = expected / expected.sum(-1, keepdim=True)
    torch.testing.assert_close(r[0], expected)


def test_mean_attention_distance_by_hand():
    # 1 prefix token + 2x2 grid, patch 16 px. Head 0: every patch looks at itself -> 0.
    # Head 1: every patch looks at its horizontal neighbour -> 16 px.
    # Head 2: uniform over the 4 patches: distances from any corner 0,16,16,16*sqrt2.
    N = 5
    attn = torch.zeros(1, 3, N, N)
    attn[0, 0] = torch.eye(N)
    attn[0, 1, 0, 0] = 1
    for q, k in [(1, 2), (2, 1), (3, 4), (4, 3)]:
        attn[0, 1, q, k] = 1
    attn[0, 2] = 0.2  # 0.2 on CLS is dropped, remaining 0.8 renormalised
    d = mean_attention_distance(attn, (2, 2), 16)
    expected = torch.tensor([[0.0, 16.0, (16 + 16 + 16 * math.sqrt(2)) / 4]])
    torch.testing.assert_close(d, expected)
    with pytest.raises(ValueError):
        mean_attention_distance(attn, (3, 3), 16)


def test_attention_entropy_by_hand():
    attn = torch.zeros(1, 2, 4, 4)
    attn[0, 0] = torch.eye(4)  # one-hot rows -> 0
    attn[0, 1] = 0.25  # uniform -> log 4
    e = attention_entropy(attn)
    torch.testing.assert_close(e, torch.tensor([[0.0, math.log(4)]]))
