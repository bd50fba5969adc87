"""Tests of mmviz.lessons.clip_similarity: the numbers the CLIP similarity page shows."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from PIL import Image

from mmviz.data.shapes import COLOURS
from mmviz.lessons import clip_similarity as cl
from mmviz.lessons.clip_similarity import batch
from mmviz.lessons.clip_similarity import live as clive
from mmviz.models.clip import clip_loss
from mmviz.weights import ASSETS, load_embedded, load_model

TRAINED = ASSETS / "clip-tiny-shapes.safetensors"


@pytest.fixture(scope="module")
def model():
    return load_model("clip-untrained")


@pytest.fixture(scope="module")
def scenes():
    return [cl.compose_scene(k, c, s, b, seed=i).image for i, (s, c, k, b) in enumerate(cl.DEFAULT_SCENES)]


# --------------------------------------------------------------------------- inputs
BG_WORDS = {"plain": "a plain", "checker": "a checkered", "photo": "a photo", "noise": "a noisy"}


@pytest.mark.parametrize("kind,colour,size,bg", [("circle", "red", "large", "plain"), ("star", "white", "small", "checker"),
                                                 ("ring", "black", "medium", "photo"), ("cross", "cyan", "large", "noise")])
def test_compose_scene_has_the_chosen_attributes(kind, colour, size, bg):
    s = cl.compose_scene(kind, colour, size, bg, seed=3)
    assert s.image.shape == (64, 64, 3) and s.image.dtype == np.uint8
    assert s.objects[0]["kind"] == kind and s.objects[0]["colour"] == colour and s.background == bg
    assert s.caption == f"a {size} {colour} {kind} on {BG_WORDS[bg]} background"
    m = s.masks[0]
    assert m.shape == (64, 64) and m.any()
    mean = s.image[m].astype(float).mean(0)
    assert np.abs(mean - COLOURS[colour]).max() < 30  # the shape is painted in the chosen colour (+ noise)
    r = s.objects[0]["radius"] / 64
    lo, hi = {"small": (0.10, 0.14), "medium": (0.14, 0.19), "large": (0.19, 0.25)}[size]
    assert lo <= r <= hi
    np.testing.assert_array_equal(s.image, cl.compose_scene(kind, colour, size, bg, seed=3).image)  # seeded


def test_compose_scene_contrast_and_errors():
    # on a plain background the shape's colour stands out from what lies under it
    for seed in range(5):
        s = cl.compose_scene("square", "yellow", "large", "plain", seed=seed)
        bg = s.image[~s.masks[0]].astype(float).mean(0)
        assert np.abs(bg - COLOURS["yellow"]).sum() > 100
    with pytest.raises(ValueError, match="colour"):
        cl.compose_scene("circle", "magenta")
    with pytest.raises(ValueError, match="kind"):
        cl.compose_scene("hexagon", "red")


def test_prompts_and_template():
    assert cl.scene_prompt("red", "circle") == "a red circle"
    assert cl.scene_prompt("orange", "star") == "an orange star"
    assert cl.apply_template(["a cat", "An astronaut", "dog"], "a photo of a {}") == \
        ["a photo of a cat", "a photo of a astronaut", "a photo of a dog"]
    assert cl.apply_template(["a red circle"], "{} on a plain background") == ["red circle on a plain background"]
    with pytest.raises(ValueError, match="{}"):
        cl.apply_template(["a cat"], "a photo of a")


# --------------------------------------------------------------------------- the two towers
def test_model_images_square_crop(model):
    rng = np.random.default_rng(0)
    imgs = [Image.fromarray(rng.integers(0, 256, (30, 90, 3), dtype=np.uint8)), rng.integers(0, 256, (200, 120, 3),
                                                                                              dtype=np.uint8)]
    pixels, rgb = cl.model_images(imgs, model)
    assert pixels.shape == (2, 3, 64, 64) and rgb.shape == (2, 64, 64, 3) and rgb.dtype == np.uint8
    # the uint8 copy is the normalised tensor mapped back to pixels
    back = torch.from_numpy(rgb).permute(0, 3, 1, 2).float() / 255
    np.testing.assert_allclose(model.normalize(back).numpy(), pixels.numpy(), atol=2 / 255 / 0.5)


def test_encode_images_matches_the_model(model, scenes):
    E = cl.encode_images(model, scenes)
    pixels, _ = cl.model_images(scenes, model)
    with torch.no_grad():
        np.testing.assert_allclose(E["embeds"], model.encode_image(pixels).numpy(), atol=1e-5)
        np.testing.assert_allclose(E["patches"], model.encode_patches(pixels).numpy(), atol=1e-5)
    assert E["embeds"].shape == (4, 64) and E["patches"].shape == (4, 64, 64)
    assert E["grid"] == (8, 8) and E["patch_size"] == 8 and E["tokens_shape"] == (4, 65, 128)
    np.testing.assert_allclose(np.linalg.norm(E["embeds"], axis=1), 1, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(E["patches"], axis=2), 1, atol=1e-5)
    assert E["images"].shape == (4, 64, 64, 3) and (E["norms"] > 0).all()


def test_encode_texts_tokens_and_unknown_words(model):
    prompts = ["a red circle", "a cat wearing boots", " ".join(["red"] * 40)]
    X = cl.encode_texts(model, prompts)
    with torch.no_grad():
        np.testing.assert_allclose(X["embeds"], model.encode_prompts(prompts).numpy(), atol=1e-5)
    assert X["tokens"][0] == ["<|startoftext|>", "a", "red", "circle", "<|endoftext|>"]
    assert X["unknown"] == [[], ["cat", "wearing", "boots"], []]
    assert X["tokens"][1].count("<unk>") == 3
    assert X["truncated"] == [False, False, True] and len(X["ids"][2]) == 24
    assert X["input_ids_shape"] == (3, 24) and X["eos"][0] == 4
    # round trip through the tokenizer
    assert model.tokenizer.decode(X["ids"][0]) == "a red circle"


# --------------------------------------------------------------------------- the matrix
def _hand_loss(cos: np.ndarray, s: float) -> tuple[float, float, float]:
    z = s * cos
    K = len(z)
    i2t = -np.mean([z[i, i] - math.log(np.exp(z[i]).sum()) for i in range(K)])
    t2i = -np.mean([z[j, j] - math.log(np.exp(z[:, j]).sum()) for j in range(K)])
    return (i2t + t2i) / 2, i2t, t2i


def test_similarity_against_a_hand_computed_case():
    img = np.array([[1.0, 0.0], [0.0, 1.0]], np.float32)
    txt = np.array([[1.0, 0.0], [0.6, 0.8]], np.float32)
    S = cl.similarity_lesson(img, txt, 10.0)
    np.testing.assert_allclose(S["cos"], [[1.0, 0.6], [0.0, 0.8]], atol=1e-6)
    np.testing.assert_allclose(S["logits"], [[10.0, 6.0], [0.0, 8.0]], atol=1e-5)
    # row 0: softmax(10, 6) = (1/(1+e^-4), e^-4/(1+e^-4))
    p = 1 / (1 + math.exp(-4))
    np.testing.assert_allclose(S["probs"][0], [p, 1 - p], atol=1e-6)
    np.testing.assert_allclose(S["probs"].sum(1), 1, atol=1e-6)
    np.testing.assert_allclose(S["probs_t2i"].sum(0), 1, atol=1e-6)
    loss, i2t, t2i = _hand_loss(S["cos"], 10.0)
    # by hand: i2t = (log(1+e^-4) + log(1+e^8))/2 ... written out
    i2t_exact = (math.log(1 + math.exp(-4)) + math.log(1 + math.exp(-8))) / 2
    t2i_exact = (math.log(1 + math.exp(-10)) + math.log(1 + math.exp(-2))) / 2
    assert S["loss_i2t"] == pytest.approx(i2t_exact, abs=1e-5) == pytest.approx(i2t, abs=1e-5)
    assert S["loss_t2i"] == pytest.approx(t2i_exact, abs=1e-5) == pytest.approx(t2i, abs=1e-5)
    assert S["loss"] == pytest.approx((i2t_exact + t2i_exact) / 2, abs=1e-5)
    assert S["loss"] == pytest.approx(float(clip_loss(torch.tensor(S["logits"]))), abs=1e-6)
    np.testing.assert_allclose(S["row_losses"], [math.log(1 + math.exp(-4)), math.log(1 + math.exp(-8))], atol=1e-5)
    assert S["K"] == 2 and S["chance"] == pytest.approx(math.log(2)) and S["pair_acc"] == 1.0
    assert list(S["top1"]) == [0, 1]


def test_similarity_non_square_and_equal_embeddings():
    rng = np.random.default_rng(1)
    img = rng.normal(size=(5, 8)).astype(np.float32)
    img /= np.linalg.norm(img, axis=1, keepdims=True)
    txt = img[:3] + 0.01
    txt /= np.linalg.norm(txt, axis=1, keepdims=True)
    S = cl.similarity_lesson(img, txt, 20.0)
    assert S["cos"].shape == (5, 3) and S["K"] == 3
    assert S["loss"] == pytest.approx(_hand_loss(S["cos"][:3, :3], 20.0)[0], abs=1e-4)
    # every similarity equal -> the loss is exactly log K (chance)
    same = cl.similarity_lesson(np.ones((4, 2)) / math.sqrt(2), np.ones((4, 2)) / math.sqrt(2), 7.0)
    assert same["loss"] == pytest.approx(math.log(4), abs=1e-5) == pytest.approx(same["chance"])


def test_sharpening():
    cos = np.array([0.3, 0.2, 0.1, -0.1])
    scales = np.geomspace(1, 100, 20)
    P = cl.sharpening(cos, scales)
    assert P.shape == (20, 4)
    np.testing.assert_allclose(P.sum(1), 1, atol=1e-5)
    assert (np.diff(P[:, 0]) > 0).all() and P[-1, 0] > 0.99 and P[0].max() - P[0].min() < 0.2


def test_pca_2d_separates_two_clusters():
    rng = np.random.default_rng(0)
    base = np.zeros(16)
    base[0] = 3
    img = rng.normal(size=(6, 16)) * 0.1 + base
    txt = rng.normal(size=(5, 16)) * 0.1 - base
    R = cl.pca_2d(img, txt)
    assert R["image_xy"].shape == (6, 2) and R["text_xy"].shape == (5, 2)
    assert R["explained"][0] > 0.9 and R["explained"].sum() <= 1 + 1e-9
    # PC1 separates the modalities (the modality gap)
    assert np.sign(R["image_xy"][:, 0]).tolist().count(np.sign(R["image_xy"][0, 0])) == 6
    assert (np.sign(R["text_xy"][:, 0]) == -np.sign(R["image_xy"][0, 0])).all()
    assert R["gap"] == pytest.approx(np.linalg.norm(img.mean(0) - txt.mean(0)))
    assert R["cos_image_text"] == pytest.approx((img @ txt.T).mean())
    g = img @ img.T
    assert R["cos_image_image"] == pytest.approx(g[~np.eye(6, dtype=bool)].mean())
    # deterministic: the same input gives the same picture (no sign flips)
    np.testing.assert_array_equal(cl.pca_2d(img, txt)["image_xy"], R["image_xy"])
    one = cl.pca_2d(img[:1], txt[:1])  # two points: still two axes, NaN for undefined means
    assert one["image_xy"].shape == (1, 2) and math.isnan(one["cos_image_image"])


def test_patch_similarity():
    rng = np.random.default_rng(0)
    p = rng.normal(size=(2, 6, 4)).astype(np.float32)
    t = rng.normal(size=(3, 4)).astype(np.float32)
    M = cl.patch_similarity(p, t, (2, 3))
    assert M.shape == (2, 3, 2, 3)
    assert M[1, 2, 1, 0] == pytest.approx(float(p[1, 3] @ t[2]), rel=1e-5)


# --------------------------------------------------------------------------- training live
def test_heldout_and_easy_batches():
    h = clive.heldout_batch()
    assert h["images"].shape == (8, 3, 64, 64) and 0 <= h["images"].min() and h["images"].max() <= 1
    assert len(set(h["captions"])) == 8 and all(c.startswith("a ") for c in h["captions"])
    np.testing.assert_array_equal(clive.heldout_batch()["rgb"], h["rgb"])  # fixed
    b = clive.easy_batch(12, 5)
    assert b["images"].shape == (12, 3, 64, 64) and len(b["captions"]) == 12
    m = b["matches"].numpy()
    assert m.diagonal().all()
    caps = np.array(b["captions"])
    np.testing.assert_array_equal(m, caps[None, :] == caps[:, None])  # same colour + kind <-> same caption


def test_live_training_steps_and_evaluations():
    h = clive.heldout_batch()
    infos = list(clive.live_training(4, batch_size=8, eval_every=2, heldout=h, seed=1))
    assert [i["step"] for i in infos] == [0, 1, 2, 3, 4]
    assert [("cos" in i) for i in infos] == [True, False, True, False, True]
    assert infos[0]["cos"].shape == (8, 8) and np.isfinite(infos[-1]["cos"]).all()
    assert all(np.isfinite(i["loss"]) for i in infos[1:]) and 0 <= infos[-1]["heldout_acc"] <= 1
    assert infos[0]["heldout_loss"] == pytest.approx(
        float(clip_loss(torch.tensor(infos[0]["cos"]) * infos[0]["scale"])), abs=1e-4)
    again = list(clive.live_training(1, batch_size=8, heldout=h, seed=1))
    np.testing.assert_allclose(again[0]["cos"], infos[0]["cos"], atol=1e-6)  # seeded
    assert again[1]["loss"] == pytest.approx(infos[1]["loss"], abs=1e-5)
    stopped = list(clive.live_training(50, batch_size=8, heldout=h, max_seconds=0.0))
    assert [i["step"] for i in stopped] == [0, 1] and "cos" in stopped[-1]  # the time limit ends the run


def test_history_keeps_what_the_page_draws():
    h = clive.heldout_batch()
    runs = [dict(r, steps=list(r["steps"]), eval_steps=list(r["eval_steps"]))
            for r in clive.history(3, batch_size=8, data="easy", heldout=h, max_seconds=60.0)]
    assert [r["step"] for r in runs] == [0, 1, 2, 3] and [r["fresh"] for r in runs] == [True, False, False, True]
    last = runs[-1]
    assert last["steps"] == [1, 2, 3] and last["eval_steps"] == [0, 3] and last["cos"].shape == (8, 8)
    assert last["chance"] == pytest.approx(math.log(8)) and last["message"].startswith("Step 3/3 · batch loss ")
    run = None
    for run in clive.history(2, batch_size=8, data="easy", heldout=h, max_seconds=60.0):
        assert not run["done"]
    assert run["done"] and not run["limited"]
    assert run["summary"] == f"Done: all 2 steps in {run['seconds']:.0f} s. Last evaluation: " + run["message"] + "."


def test_a_run_stopped_by_the_time_limit_says_how_far_and_why():
    """Under load a run reached 245 of its 300 steps in the 180 s cap and only said 'stopped at the time limit'."""
    text = clive.stop_sentence(245, 300, 180.0, 180.0)
    assert text.startswith("Stopped after 245 of 300 steps: a run may take 180 s, and at 1.4 steps per second")
    assert "shared with the other students" in text and "would have needed 220 s" in text
    assert clive.stop_sentence(300, 300, 84.2, 180.0) == "Done: all 300 steps in 84 s."
    h = clive.heldout_batch()
    run = None
    for run in clive.history(50, batch_size=8, data="easy", heldout=h, max_seconds=0.0):
        pass
    assert run["limited"] and run["summary"].startswith(f"Stopped after {run['step']} of 50 steps")


def test_card_sentences():
    assert clive.card_summary({}) == "thousands of steps"
    card = {"phases": [{"steps": 1000, "wall_time_s": 600}, {"steps": 500, "wall_time_s": 300}],
            "recipe": {"batch_size": 64}, "heldout": {"n": 100, "colour_top1": 0.9, "kind_top1": 0.4,
                                                      "candidates": 8, "caption_top1": 0.75}}
    assert clive.card_summary(card) == "1500 steps of 64 pairs in 15 min"
    assert cl.card_numbers({}) == ""
    assert "among 9 “a … shape” prompts 90%" in cl.card_numbers(card) and "8 captions 75%" in cl.card_numbers(card)


def test_page_helpers():
    assert cl.candidate_prompts("kinds")[:2] == ["a circle", "a square"]
    assert cl.candidate_prompts("colours", "a photo of a {}")[0] == "a photo of a red shape"
    S = cl.similarity_lesson(np.eye(3, 4, dtype=np.float32), np.eye(2, 4, dtype=np.float32), 10.0)
    assert S["best"] == ["#0→#0", "#1→#1", "#2→#0"] and S["pair_cos"].tolist() == [1.0, 1.0]
    assert S["pair_cos_mean"] == 1.0
    pca = cl.pca_2d(np.eye(3, 4), np.eye(2, 4))
    assert "of an image and its own prompt **1.000**" in cl.pca_numbers(pca, S, 4)
    assert cl.learned_scale(load_model("clip-untrained")) == pytest.approx(1 / 0.07, rel=1e-5)


def test_batch_state_keeps_images_and_prompts_paired():
    state = {"clip_c_kind": "ring", "clip_c_colour": "orange", "clip_c_size": "small", "clip_c_bg": "plain"}
    batch.reset(state)
    assert len(state["clip_items"]) == 4 and batch.prompt_lines(state)[0] == "a red circle"
    batch.add_scene(state)
    assert state["clip_items"][-1]["spec"] == ("small", "orange", "ring", "plain", 5)
    assert batch.prompt_lines(state)[-1] == "an orange ring"
    state["clip_samples"] = ["chelsea.png"]
    batch.sync_samples(state)
    assert state["clip_items"][-1] == {"kind": "sample", "name": "chelsea.png"} and batch.prompt_lines(state)[-1] == "a cat"
    batch.remove_last(state)  # the sample and its prompt
    assert len(state["clip_items"]) == 5 and "a cat" not in batch.prompt_lines(state)
    batch.remove_last(state)  # the scene and its prompt (the last line)
    assert len(state["clip_items"]) == 4 and len(batch.prompt_lines(state)) == 4
    state["clip_prompts"] = "a red circle\n\n  a blue square  \n" + "x" * 300
    prompts, over, error = batch.prompts(state, "a photo of a {}", max_prompts=2)
    assert prompts == ["a photo of a red circle", "a photo of a blue square"] and over and error is None
    assert batch.prompts(state, "no slot")[2] == 'the template needs a "{}" where the prompt goes, e.g. "a photo of a {}"'
    state["clip_photos"] = {"k": {"name": "up", "image": None}}
    state["clip_items"].append({"kind": "photo", "key": "k", "name": "up", "source": "upload"})
    images, over = batch.images(state, batch.scene_image, lambda n: {"name": n, "key": n, "image": None}, limit=4)
    assert [im["name"] for im in images] == ["red circle", "blue square", "yellow triangle", "green star"] and over
    assert images[0]["image"].shape == (64, 64, 3) and not images[0]["photo"]


def _photo(name: str) -> dict:
    return {"name": name, "key": f"key-{name}", "image": name}


@pytest.mark.parametrize("seed", range(12))
def test_pairs_stay_correct_under_any_order_of_operations(seed):
    """Random sequences of uploads (added, removed, emptied by a page visit), sample photos, composed scenes,
    the sidebar's image, prompt edits and removals: image i is always paired with the prompt it came with (or
    the one the student wrote on its line)."""
    rng = np.random.default_rng(seed)
    state = {"clip_c_kind": "ring", "clip_c_colour": "orange", "clip_c_size": "small", "clip_c_bg": "plain",
             "clip_c_prompt": True}
    batch.reset(state)
    want = {i: p for i, p in enumerate(batch.prompt_lines(state))}  # item identity -> its prompt
    ident = [id(it) for it in state["clip_items"]]
    want = {ident[i]: p for i, p in want.items()}
    uploader: list[dict] = []
    samples = ["astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg"]

    def check():
        items, lines = state["clip_items"], batch.prompt_lines(state)
        assert len(lines) >= len(items)  # every image has its prompt line; extra lines are candidates
        for it, line in zip(items, lines):
            assert line == want[id(it)], (it, line)

    alive = list(state["clip_items"])  # every item ever made stays referenced: its id() is never reused

    def newest(before):
        alive.extend(state["clip_items"])
        for it in state["clip_items"]:
            if id(it) not in before:
                want[id(it)] = batch.prompt_lines(state)[state["clip_items"].index(it)]

    for _ in range(40):
        before = {id(it) for it in state["clip_items"]}
        op = rng.integers(0, 8)
        if op == 0:
            batch.add_scene(state)
        elif op == 1:
            state["clip_samples"] = sorted(set(rng.choice(samples, rng.integers(0, 4), replace=False)))
            batch.sync_samples(state)
        elif op == 2 and len(uploader) < 3:
            uploader = uploader + [_photo(f"up{rng.integers(100)}.png")]
            batch.sync_uploads(state, uploader, changed=True)
        elif op == 3 and uploader:
            uploader = uploader[1:]
            batch.sync_uploads(state, uploader, changed=True)
        elif op == 4:
            uploader = []  # a visit to another page empties the widget: no change by the student
            batch.sync_uploads(state, uploader, changed=False)
        elif op == 5 and state["clip_items"]:
            j = int(rng.integers(0, len(state["clip_items"])))
            lines = batch.prompt_lines(state)
            lines[j] = f"typed {rng.integers(1000)}"
            state["clip_prompts"] = "\n".join(lines)
            want[id(state["clip_items"][j])] = lines[j]
        elif op == 6:
            batch.remove_last(state)
        elif op == 7:
            batch.add_photo(state, _photo(f"side{rng.integers(100)}.png"), "sidebar")
        newest(before)
        check()
    assert len(state["clip_items"]) <= batch.MAX_IMAGES


def test_uploads_stay_when_the_widget_is_emptied_by_a_page_visit():
    state = {}
    batch.reset(state)
    files = [_photo("a.png"), _photo("b.png")]
    batch.sync_uploads(state, files, changed=True)
    assert len(state["clip_items"]) == 6 and batch.prompt_lines(state)[4:] == ["a photo of a", "a photo of b"]
    batch.sync_uploads(state, [], changed=False)  # back from another page: the uploader is empty, the photos stay
    assert len(state["clip_items"]) == 6 and set(state["clip_photos"]) == {"key-a.png", "key-b.png"}
    batch.sync_uploads(state, [_photo("c.png")], changed=True)  # a new file into the emptied uploader: added
    assert [it["name"] for it in state["clip_items"][4:]] == ["a.png", "b.png", "c.png"]
    batch.sync_uploads(state, [], changed=True)  # the student removes c.png
    assert [it["name"] for it in state["clip_items"][4:]] == ["a.png", "b.png"] and "key-c.png" not in state["clip_photos"]
    assert batch.photo_prompt("my_dog-2.final.JPG") == "a photo of my dog 2 final"


@pytest.mark.skipif(not TRAINED.is_file(), reason="the embedded clip-tiny-shapes weights are not trained yet")
def test_trained_model_first_view_is_diagonal(scenes):
    model = load_embedded(TRAINED)
    E = cl.encode_images(model, scenes)
    X = cl.encode_texts(model, [cl.scene_prompt(c, k) for _, c, k, _ in cl.DEFAULT_SCENES])
    S = cl.similarity_lesson(E["embeds"], X["embeds"], model.logit_scale.exp().item())
    assert S["pair_acc"] == 1.0 and S["loss"] < S["chance"] / 2
    assert (S["probs"].diagonal() > 0.5).all()


def test_the_lesson_sentences_in_korean():
    """The page passes its language: the live run's status lines, the card and the template's refusal in Korean."""
    text = clive.stop_sentence(245, 300, 180.0, 180.0, "ko")
    assert text.startswith("300단계 중 245단계에서 멈췄습니다") and "초당 1.4단계" in text and "220초" in text
    assert clive.stop_sentence(300, 300, 84.2, 180.0, "ko") == "완료: 300단계를 모두 84초에 마쳤습니다."
    assert "한 단계도" in clive.stop_sentence(0, 300, 180.0, 180.0, "ko")
    assert clive.stop_sentence(0, 300, 180.0, 180.0).endswith("runs) it made no step. Fewer steps, a smaller batch or "
                                                             "a quieter moment finish the run.")
    card = {"phases": [{"steps": 1000, "wall_time_s": 600}, {"steps": 500, "wall_time_s": 300}],
            "recipe": {"batch_size": 64}}
    assert clive.card_summary(card, "ko") == "쌍 64개짜리 배치로 1500단계를 15분 동안"
    assert clive.card_summary({}, "ko") == "수천 단계를"
    state = {"clip_prompts": "a cat"}
    assert batch.prompts(state, "no slot", lang="ko")[2] == "템플릿에는 프롬프트가 들어갈 자리 “{}”가 있어야 합니다. 예: " \
                                                          "“a photo of a {}”"
    run = None
    for run in clive.history(1, batch_size=8, data="easy", heldout=clive.heldout_batch(), max_seconds=60.0, lang="ko"):
        pass
    assert run["message"].startswith("1/1단계 · 배치 손실 ") and "보류 손실" in run["message"]
    assert run["summary"] == f"완료: 1단계를 모두 {run['seconds']:.0f}초에 마쳤습니다. 마지막 평가: {run['message']}."
