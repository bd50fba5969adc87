"""mmviz.lessons.fusion: the six designs answer one question, their masks, counts and maps come from the tensors,
and any question or image gets a sentence, never an exception. Untrained architectures (seeded): no training."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from mmviz.data import vqa
from mmviz.lessons import fusion as fu
from mmviz.lessons.fusion import cards
from mmviz.lessons.fusion import clip as fclip
from mmviz.weights import load_model


@pytest.fixture(scope="module")
def models():
    torch.set_num_threads(1)
    return {k: fu.untrained(k) for k in fu.LETTERS}


@pytest.fixture(scope="module")
def scene():
    return fu.vqa_scene(3)


@pytest.fixture(scope="module")
def question(models):
    return fu.prepare_question(models["a"].tokenizer, "what colour is the ring ?", 12)


@pytest.fixture(scope="module")
def results(models, scene, question):
    return fu.answer_all(models, fu.prepare_image(scene["image"])["image"], question["ids"])


def test_untrained_is_seeded_and_keeps_the_frozen_cnn(models):
    again = fu.untrained("e")
    for (n, p), q in zip(models["e"].state_dict().items(), again.state_dict().values()):
        assert torch.equal(p, q), n
    judge = load_model("cnn-kind-judge").state_dict()
    assert all(torch.equal(v, models["c"].cnn.state_dict()[k]) for k, v in judge.items())
    assert not models["c"].training and models["c"].class_names == list(vqa.ANSWERS)


def test_scene_has_two_or_three_shapes_and_one_question_per_type(scene):
    assert scene["image"].shape == (64, 64, 3) and scene["image"].dtype == np.uint8
    assert 2 <= len(scene["objects"]) <= 3
    for q, a, t in scene["questions"]:
        assert a in vqa.ANSWERS and t in vqa.QUESTION_TYPES and q.endswith("?")
    assert fu.vqa_scene(3)["key"] == scene["key"] and np.array_equal(fu.vqa_scene(3)["image"], scene["image"])
    samples, truths = fu.sample_questions(scene)
    assert samples == [q for q, _, _ in scene["questions"]]
    assert truths["what colour is the ring ?"] == "purple"
    assert fu.sample_questions(None)[1] == {}


@pytest.mark.parametrize("text, tokens, unknown", [
    ("What colour is the star?", ["what", "colour", "is", "the", "star", "?"], []),
    ("what colour is the star, please ?", ["what", "colour", "is", "the", "star", "[UNK]", "[UNK]", "?"],
     [",", "please"]),
    ("🙂 마음 \x00", ["[UNK]"] * 3, ["🙂", "마음", "\x00"]),
    ("", [], []),
    ("   ", [], []),
])
def test_questions_become_tokens_with_what_to_say(models, text, tokens, unknown):
    q = fu.prepare_question(models["a"].tokenizer, text, 12)
    assert q["tokens"] == tokens and q["unknown_words"] == unknown
    assert q["empty"] == (not tokens) and not q["cut"] and q["max_tokens"] == 12
    assert "star" in q["vocabulary"] and "please" not in q["vocabulary"]


def test_a_long_question_is_cut_to_the_question_length(models):
    q = fu.prepare_question(models["a"].tokenizer, "how many shapes are there ? " * 20_000, 12)
    assert len(q["ids"]) == 12 and q["cut"] and q["more"] == "+"  # not even every character was read
    q = fu.prepare_question(models["a"].tokenizer, "red " * 13, 12)
    assert len(q["ids"]) == 12 and q["n_tokens"] == 13 and q["cut"] and q["more"] == ""


@pytest.mark.parametrize("image", [
    Image.new("RGB", (1, 1), "red"), Image.new("L", (300, 20), 128), Image.new("RGBA", (640, 480)),
    np.zeros((5, 900, 3), np.uint8), Image.new("RGB", (64, 64)),
])
def test_any_image_becomes_64_by_64(image):
    out = fu.prepare_image(image)
    assert out["image"].shape == (64, 64, 3) and out["image"].dtype == np.uint8
    size = image.size if isinstance(image, Image.Image) else (image.shape[1], image.shape[0])
    assert out["original"] == size and out["changed"] == (size != (64, 64))


def test_every_model_answers_with_a_distribution(results):
    for k, r in results.items():
        assert abs(r["probs"].sum() - 1) < 1e-5, k
        assert r["answer"] in vqa.ANSWERS and r["top"][0][0] == r["answer"]
        assert [p for _, p in r["top"]] == sorted((p for _, p in r["top"]), reverse=True)


def test_the_attention_path_gives_the_plain_forward_logits(models, scene, question):
    """answer_all (return_attn=True, manual attention) and the fused path give the same answer."""
    image = fu.prepare_image(scene["image"])["image"]
    R = fu.answer_all(models, image, question["ids"])
    pixels = torch.tensor(image).permute(2, 0, 1)[None].float() / 255
    ids = torch.tensor([question["ids"]])
    for k, m in models.items():
        with torch.no_grad():
            logits, _ = m(m.normalize(pixels), ids, torch.ones_like(ids))
        np.testing.assert_allclose(logits.softmax(-1)[0].numpy(), R[k]["probs"], atol=1e-5)


def test_blocks_follow_the_plan_and_the_masks(models, results):
    L, N = 6, 64
    for k, r in results.items():
        m = models[k]
        assert [(b["stage"], b["kind"]) for b in r["blocks"]] == m.plan()
        T = N if k == "a" else L + N
        assert r["T"] == T and r["L"] == L and r["N"] == N
        for b, (_, _, mask) in zip(r["blocks"], m.layer_masks(L)):
            assert np.array_equal(b["mask"], mask.numpy())
            a = b["attn"]  # (h, T, T) in the frame of [question ; image]
            assert a.shape == (4, T, T)
            assert np.all(a[:, ~b["mask"]] == 0), (k, b["stage"], b["kind"])  # nothing outside the mask
            rows = b["mask"].any(1)
            np.testing.assert_allclose(a[:, rows].sum(-1), 1, atol=1e-5)  # every reading row sums to 1
            assert b["scores"] == np.prod(b["shape"]) and b["shape"][0] == 4
            assert b["Tq"] * b["Tk"] == b["mask"].sum()  # the tensor computes exactly the allowed pairs


@pytest.mark.parametrize("L", [1, 6, 12])
def test_costs_formula_matches_the_tensors(models, scene, L):
    ids = [models["a"].tokenizer.token_to_id("red")] * L
    R = fu.answer_all(models, fu.prepare_image(scene["image"])["image"], ids)
    for k, r in R.items():
        formula, value = fu.cost_formula(k, L, 64, 4)
        assert value == r["scores"] == sum(b["scores"] for b in r["blocks"]), k
        assert r["formula"] == (formula, value)
    assert R["e"]["scores"] == 8 * 4 * L * 64 and R["b"]["scores"] == 4 * 4 * (L + 64) ** 2


def test_streams_and_parameters(models, results):
    assert results["a"]["streams"] == {"question": 6, "image": 64, "one_stream": 64}
    assert results["b"]["streams"]["one_stream"] == 70 and results["e"]["streams"]["one_stream"] == 0
    for k, r in results.items():
        assert r["parameters"] == sum(p.numel() for p in models[k].parameters())
        assert r["trainable"] == r["parameters"] - sum(p.numel() for p in models[k].cnn.parameters())
        assert sum(r["parts"].values()) == r["parameters"], k
        kinds = {b["kind"] for b in r["blocks"]}
        assert {p[1] for p in r["parts"] if p[0] == "blocks"} == kinds
    assert results["e"]["parameters"] > results["b"]["parameters"]  # two cross blocks side by side per stage


def test_stage_maps_put_side_by_side_blocks_in_one_matrix(results):
    M = fu.stage_maps(results["c"], None)
    assert M["weights"].shape == (4, 70, 70) and M["titles"][0] == "apart 0: text + image"
    assert M["allowed"][0] == 6 * 6 + 64 * 64 and M["allowed"][2] == 70 * 70
    w0 = M["weights"][0]
    assert np.isnan(w0[:6, 6:]).all() and np.isfinite(w0[6:, 6:]).all()  # words never read patches apart
    shown = M["shown"][np.isfinite(M["shown"])]
    assert shown.min() >= 0 and shown.max() == pytest.approx(1)
    e = fu.stage_maps(results["e"], 2)
    np.testing.assert_allclose(e["weights"][0][:6, 6:], results["e"]["blocks"][0]["attn"][2][:6, 6:])
    assert np.isnan(e["weights"][0][:6, :6]).all() and np.isnan(e["weights"][0][6:, 6:]).all()


def test_meeting_blocks_and_word_maps(results):
    assert fu.meeting_blocks(results["c"]) == [4, 5]  # only the joint blocks let a word read a patch
    assert fu.meeting_blocks(results["d"]) == [0, 1]
    assert fu.meeting_blocks(results["e"]) == [0, 2, 4, 6] and fu.meeting_blocks(results["e"], reads=False) == [1, 3, 5, 7]
    wm = fu.word_maps(results["e"], 0, 4)
    assert wm["maps"].shape == (4, 8, 8)
    np.testing.assert_allclose(wm["share"], 1, atol=1e-5)  # a cross block's word reads only patches
    np.testing.assert_allclose(wm["maps"].reshape(4, -1), results["e"]["blocks"][0]["attn"][:, 4, 6:], atol=0)
    joint = fu.word_maps(results["b"], 3, 4)
    assert np.all(joint["share"] < 1) and np.all(joint["share"] > 0)  # the rest reads words
    col = fu.word_maps(results["e"], 1, 2, reads=False)
    np.testing.assert_allclose(col["maps"].reshape(4, -1), results["e"]["blocks"][1]["attn"][:, 6:, 2])
    summed = fu.word_maps(results["a"], 0, 2)  # early summation: the patch the word was added to
    np.testing.assert_allclose(summed["maps"].reshape(4, -1), results["a"]["blocks"][0]["attn"][:, 2, :])


def test_token_names_are_unique():
    names = fu.token_names(["what", "is", "the", "the"], 64, 8, False)
    assert len(set(names)) == len(names) == 68 and names[4] == "p0 (0,0)" and names[-1] == "p63 (7,7)"
    summed = fu.token_names(["red", "?"], 64, 8, True)
    assert len(summed) == 64 and summed[1] == "p1 (0,1) + ?" and summed[2] == "p2 (0,2)"


@pytest.fixture(scope="module")
def clip_model():
    torch.set_num_threads(1)
    return load_model("clip-untrained")


@pytest.mark.parametrize("tokens, answers", [
    ("what colour is the ring ?".split(), "colours"), ("what shape is the red one ?".split(), "kinds"),
    ("is there a blue square ?".split(), None), ("how many shapes are there ?".split(), None),
    ("is the star left of the ring ?".split(), None), ([], None),
])
def test_clip_scores_captions_where_a_question_can_be_one(clip_model, scene, tokens, answers):
    from mmviz.data.shapes import COLOURS, SHAPE_KINDS

    C = fclip.clip_contrast(clip_model, scene["image"], tokens)
    assert len(C["top"]) == 5 and C["n_captions"] == len(COLOURS) * len(SHAPE_KINDS)
    assert C["what"]["key"] == {"colours": "colour", "kinds": "shape"}.get(answers, C["what"]["key"])
    if answers is None:
        assert C["answer"] is None and not C["question"]
    else:
        assert C["answer"] in (COLOURS if answers == "colours" else SHAPE_KINDS)
        assert sum(p for *_, p in C["question"]) == pytest.approx(1)
        assert C["bars"]["percent"] and C["bars"]["captions"][0] == C["question"][0][0]
    if tokens[:2] == ["is", "there"]:
        assert C["rank"][0] == "a blue square" and 1 <= C["rank"][1] <= C["n_captions"]
        assert "a blue square" in C["bars"]["captions"]
    vis = [b for b in C["blocks"] if b[0] == "image"]
    assert [b[2] for b in vis] == [(4, 65, 65)] * 4 and C["scores"] == sum(b[3] for b in C["blocks"])
    assert sum(C["parameters"].values()) == sum(p.numel() for p in clip_model.parameters())


def test_accuracy_table_reads_the_cards(results):
    card = {"heldout": {"n": 10, "accuracy": 0.5, "by_type": dict.fromkeys(vqa.QUESTION_TYPES, 0.5),
                        "chance_by_type": dict(zip(vqa.QUESTION_TYPES, (0.2, 0.2, 0.5, 0.5, 0.5))),
                        "parameters": 1},
            "extra": {"trainable_parameters": 2}, "train_wall_time_s": 600}
    T = cards.accuracy_table({"b": card}, results)
    assert T["trained"] == ["b"] and T["n"] == 10 and T["accuracy"].shape == (6, 5)
    assert np.isnan(T["accuracy"][0]).all() and np.all(T["accuracy"][1] == 0.5)
    np.testing.assert_allclose(T["chance"], (0.2, 0.2, 0.5, 0.5, 0.5))
    b, a = T["rows"][1], T["rows"][0]
    assert b["parameters"] == 1 and b["trainable"] == 2 and b["train_min"] == 10 and b["status"] == "trained"
    assert a["accuracy"] is None and a["status"] == "untrained"
    assert a["parameters"] == results["a"]["parameters"] and a["scores"] == results["a"]["scores"]
    row = cards.clip_row({"name": "clip-tiny-shapes", "heldout": {"caption_top1": 0.9, "n": 5, "candidates": 8}}, None)
    assert row["accuracy"] is None and row["status"] == "clip" and row["caption_top1"] == 0.9
