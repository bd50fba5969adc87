"""mmviz.models.vq / dalle / parti: the codebook lookup, straight-through gradients, EMA, generation."""

from __future__ import annotations

import torch

from mmviz.models.dalle import DalleConfig, DalleTiny
from mmviz.models.parti import PartiConfig, PartiTiny
from mmviz.models.vq import VectorQuantizer, VQConfig, VQVAE

SMALL_VQ = VQConfig(image_size=32, hidden=16, latent_dim=8, codebook_size=16, downsample=8)


def test_quantizer_picks_the_nearest_code_and_passes_gradients_straight_through():
    q = VectorQuantizer(4, 2).eval()
    q.codebook.copy_(torch.tensor([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [5.0, 5.0]]))
    z = torch.tensor([[[[0.9]], [[0.1]]], [[[4.0]], [[4.5]]]], requires_grad=True)  # (2, C=2, 1, 1)
    z_q, codes, info = q(z)
    assert codes.flatten().tolist() == [1, 3]
    torch.testing.assert_close(z_q.detach().flatten(1), q.codebook[[1, 3]])
    z_q.sum().backward()
    torch.testing.assert_close(z.grad, torch.ones_like(z))  # straight-through: d z_q / d z = 1
    torch.testing.assert_close(info["distance"].flatten(), torch.tensor([0.1414, 1.1180]), atol=1e-3, rtol=0)
    assert 1.0 <= info["perplexity"] <= 2.0


def test_codebook_starts_from_data_and_dead_codes_are_restarted():
    torch.manual_seed(0)
    q = VectorQuantizer(8, 3).train()
    z = torch.randn(4, 3, 4, 4) + 10.0  # far from the random init
    q(z)
    assert bool(q.initialised) and (q.codebook.mean() - 10).abs() < 1.0  # set from the first batch
    for _ in range(100):  # always the same few vectors: unused codes fall below the threshold
        q(torch.full((1, 3, 1, 1), 10.0))
    assert (q.cluster_size >= q.dead_below).all()  # dead codes were restarted (on the data)


def test_vqvae_shapes_and_round_trip():
    torch.manual_seed(0)
    m = VQVAE(SMALL_VQ).eval()
    x = m.normalize(torch.rand(2, 3, 32, 32))
    recon, codes, _ = m(x)
    assert recon.shape == x.shape and codes.shape == (2, 4, 4) and codes.max() < 16
    torch.testing.assert_close(m.decode_codes(codes), recon)
    c2, _ = m.encode(x)
    assert torch.equal(c2, codes) and m.to_pixels(recon).min() >= 0


def test_dalle_and_parti_generate_reproducibly_with_and_without_cache():
    torch.manual_seed(0)
    for model in (DalleTiny(DalleConfig(vq=SMALL_VQ, dim=32, depth=2, num_heads=4)),
                  PartiTiny(PartiConfig(vq=SMALL_VQ, dim=32, enc_depth=1, dec_depth=2, num_heads=4))):
        a = model.generate_steps("a large red circle", seed=3, record=True)
        b = model.generate_steps("a large red circle", seed=3, use_cache=False)
        assert torch.equal(a["codes"], b["codes"]) and a["codes"].shape == (4, 4)
        assert a["image"].shape == (32, 32, 3) and a["image"].dtype.name == "uint8"
        assert abs(a["log_prob"] - b["log_prob"]) < 1e-3 and a["log_prob"] < 0
        assert len(a["steps"]) == 16 and abs(sum(a["steps"][0]["top_p"]) - 1) < 0.7
        loss = model.loss(torch.randint(0, 56, (2, 12)), torch.randint(0, 16, (2, 4, 4)))
        assert loss.ndim == 0 and loss.item() > 0
        assert (model.generate("a blue star", seed=1) == model.generate("a blue star", seed=1)).all()
