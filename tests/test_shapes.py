
import numpy as np
import pytest
import torch

from mmviz.data.shapes import BACKGROUNDS, COLOURS, SHAPE_KINDS, SIZES, TASKS, generate_scene, make_batch, shape_mask


def _grid(n=65):
    yy, xx = np.mgrid[0:n, 0:n].astype(np.float32)
    return yy, xx


@pytest.mark.parametrize(
    "kind, area",
    [
        ("circle", np.pi),
        ("square", 2.0),  # inscribed square of a unit circle
        ("triangle", 3 * np.sqrt(3) / 4),
        ("ring", np.pi * (1 - 0.55**2)),
        ("cross", 2 * 0.6 * 1.9 - 0.6**2),
        ("star", 5 * 0.45 * np.sin(np.pi / 5)),  # 10 triangles (0, tip, inner corner)
    ],
)
def test_shape_areas_match_geometry(kind, area):
    yy, xx = _grid(201)
    r = 80.0
    m = shape_mask(kind, yy, xx, 100.0, 100.0, r, 0.3)
    assert abs(m.sum() / r**2 - area) / area < 0.02


def test_shape_mask_rotation_and_unknown():
    yy, xx = _grid()
    sq = shape_mask("square", yy, xx, 32, 32, 20, 0.0)
    # at angle 0 the corners sit on the axes: (0, 19) from the centre is inside, (19, 19) is not
    assert sq[32, 32] and sq[32, 32 + 19] and not sq[32 + 19, 32 + 19]
    turned = shape_mask("square", yy, xx, 32, 32, 20, np.pi / 4)
    assert turned[32 + 13, 32 + 13] and not turned[32, 32 + 19]
    with pytest.raises(ValueError, match="unknown shape kind"):
        shape_mask("hexagon", yy, xx, 32, 32, 20, 0.0)


def test_scene_fields_and_determinism():
    s1 = generate_scene(np.random.default_rng(7), 64, n_objects=3)
    s2 = generate_scene(np.random.default_rng(7), 64, n_objects=3)
    assert s1.image.shape == (64, 64, 3) and s1.image.dtype == np.uint8
    assert s1.masks.shape == (3, 64, 64) and s1.masks.dtype == bool
    assert np.array_equal(s1.image, s2.image) and s1.caption == s2.caption
    assert s1.label == SHAPE_KINDS.index(s1.objects[0]["kind"])
    # occlusion: visible masks are disjoint, the last object is fully visible
    assert s1.masks.sum(0).max() <= 1
    last = s1.objects[-1]
    full = shape_mask(last["kind"], *np.mgrid[0:64, 0:64].astype(np.float32) + 0.5, last["cx"], last["cy"],
                      last["radius"], last["angle"])
    assert np.array_equal(s1.masks[-1], full)


def test_object_pixels_carry_their_colour():
    rng = np.random.default_rng(3)
    for _ in range(20):
        s = generate_scene(rng, 64, backgrounds=("stripes",))
        px = s.image[s.masks[0]].astype(float)
        assert px.std(0).max() < 1.0  # a flat fill (jittered once per object)
        assert s.caption.endswith("on a striped background")


def test_captions():
    rng = np.random.default_rng(0)
    s = generate_scene(rng, 64, n_objects=2, backgrounds=("plain",))
    a, b = s.objects
    assert s.caption.startswith(f"a {a['size']} {a['colour']} {a['kind']} ")
    assert f"a {b['size']} {b['colour']} {b['kind']} on a plain background" in s.caption
    assert any(rel in s.caption for rel in ("above", "below", "to the left of", "to the right of"))
    one = generate_scene(rng, 64, backgrounds=("checker",))
    assert one.caption.count(" a ") == 1 and one.caption.endswith("on a checkered background")


def test_every_background_and_size():
    rng = np.random.default_rng(1)
    for bg in BACKGROUNDS:
        s = generate_scene(rng, 48, backgrounds=(bg,))
        assert s.background == bg and s.image.shape == (48, 48, 3)
    for word, (lo, hi) in SIZES.items():
        s = generate_scene(rng, 64, sizes=(word,))
        assert lo * 64 <= s.objects[0]["radius"] <= hi * 64


def test_largest_rule():
    rng = np.random.default_rng(5)
    for _ in range(10):
        s = generate_scene(rng, 64, n_objects=3, label_rule="largest")
        biggest = s.masks.reshape(3, -1).sum(1).argmax()
        assert s.label == SHAPE_KINDS.index(s.objects[biggest]["kind"])


def test_make_batch_tensors():
    b = make_batch(200, seed=0)
    assert b["images"].shape == (200, 3, 64, 64) and b["images"].dtype == torch.float32
    assert 0 <= b["images"].min() and b["images"].max() <= 1
    assert b["labels"].shape == (200,) and set(b["labels"].tolist()) == set(range(len(SHAPE_KINDS)))
    assert b["masks"].shape == (200, 64, 64) and len(b["captions"]) == 200
    assert torch.equal(make_batch(5, seed=1)["images"], make_batch(5, seed=1)["images"])
    with pytest.raises(ValueError, match="unknown task"):
        make_batch(2, 0, task="color")


def test_colour_task_labels_name_the_colour():
    rng = np.random.default_rng(3)
    for _ in range(20):
        sc = TASKS["colour"].scene(rng)
        assert list(COLOURS)[sc.label] == sc.objects[0]["colour"]
        # the pixels of the object really are that colour (+- the generator's jitter)
        rgb = sc.image[sc.masks[0]].astype(float).mean(0)
        assert np.abs(rgb - COLOURS[sc.objects[0]["colour"]]).max() < 40
    b = make_batch(300, seed=5, task="colour")
    assert set(b["labels"].tolist()) == set(range(len(COLOURS)))
