"""Numbers and arrays for the multimodal fusion lesson: six ways two token streams meet (NumPy out).

One question about one image goes through the six fusion models (a)-(f) of
``mmviz.models.fusion`` with ``return_attn=True``; :func:`answer_all` keeps, for every model, its
answer, its top probabilities, every block's attention and the block's mask (``layer_masks``), and
counts what the tensors hold: tokens per stream, attention scores per block, parameters.
`clip` is the no-fusion contrast (CLIP's dual encoder), `cards` the table of the six trained models.

Shapes: L question tokens, N = 64 image patches (8 x 8 grid of 8 px), T = L + N tokens of
[question ; image] (N for early summation), h heads, A = 19 answers.
"""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image

from mmviz.data import vqa
from mmviz.device import torch_threads
from mmviz.models.fusion import PRESETS, STRATEGIES, CrossBlock, FusionVQA
from mmviz.patches.grid import fit_image, uint8_to_tensor
from mmviz.tokenizers.bounded import bounded, words
from mmviz.weights import UNTRAINED_SEED, load_model

__all__ = [
    "LETTERS", "NAMES", "RULES", "KINDS", "untrained", "vqa_scene", "sample_questions", "true_answer",
    "prepare_image", "prepare_question", "answer_all", "block_rows", "stage_maps", "meeting_blocks", "word_maps", "token_names", "cost_formula",
    "FusionVQA", "CrossBlock",
]

LETTERS: tuple[str, ...] = tuple(STRATEGIES)
#: registry name of each strategy's model
NAMES: dict[str, str] = {k: f"fusion-{k}" for k in LETTERS}
# the survey's names of (a)-(f) (Xu, Zhu & Clifton, "Multimodal Learning with Transformers: A Survey", Fig. 3) are in
# the catalogues (mmviz.i18n, ``fusion.survey_<k>`` and the short ``fusion.short_<k>``)
#: what each model computes, as a rule (w: question tokens, v: image tokens, Block: self-attention + MLP)
RULES: dict[str, str] = {
    "a": r"x_k = v_k + w_k\ (k < L),\ x_k = v_k\ (k \ge L);\quad x \leftarrow \mathrm{Block}(x)\ \times 4",
    "b": r"x = [w\,;\,v];\quad x \leftarrow \mathrm{Block}(x)\ \times 4",
    "c": r"w \leftarrow \mathrm{Block}_w(w),\ v \leftarrow \mathrm{Block}_v(v)\ \times 2;\quad "
         r"x = [w\,;\,v] \leftarrow \mathrm{Block}(x)\ \times 2",
    "d": r"x = [w\,;\,v] \leftarrow \mathrm{Block}(x)\ \times 2;\quad "
         r"w \leftarrow \mathrm{Block}_w(w),\ v \leftarrow \mathrm{Block}_v(v)\ \times 2",
    "e": r"w \leftarrow w + \mathrm{CA}(w \to v),\ \ v \leftarrow v + \mathrm{CA}(v \to w)\ \times 4",
    "f": r"w \leftarrow w + \mathrm{CA}(w \to v),\ v \leftarrow v + \mathrm{CA}(v \to w)\ \times 2;\quad "
         r"x = [w\,;\,v] \leftarrow \mathrm{Block}(x)\ \times 2",
}
#: the kinds of block (FusionVQA.plan); the page says each in words (catalogue ``fusion.kind_<kind>``)
KINDS: tuple[str, ...] = ("joint", "text", "image", "text<-image", "image<-text")
#: the model's module list behind each kind of block (all blocks of one kind have the same size)
_MODULES = {"joint": "joint", "text": "text_blocks", "image": "image_blocks", "text<-image": "text_from_image",
            "image<-text": "image_from_text"}


def untrained(letter: str, device: str | torch.device = "cpu") -> FusionVQA:
    """The architecture of one strategy with seeded random weights (what training starts from): the fusion
    blocks random (seed ``mmviz.weights.UNTRAINED_SEED``), the frozen CNN a copy of ``cnn-kind-judge`` as
    in training (random too when that model is missing). Eval mode."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(UNTRAINED_SEED)
        model = FusionVQA(PRESETS[NAMES[letter]])
    try:
        model.cnn.load_state_dict(load_model("cnn-kind-judge").state_dict())
    except FileNotFoundError:
        pass
    model.class_names = list(vqa.ANSWERS)
    return model.to(device).eval()


def _norm(question: str) -> str:
    return " ".join(question.lower().replace("?", " ? ").split())


def vqa_scene(seed: int) -> dict:
    """A shapes-world scene of two or three shapes (``mmviz.data.vqa.scene``) with one question of each type.

    Returns:
        dict(seed, what ("red circle, blue star": the shapes in the models' words), key, image (64, 64, 3) uint8,
        objects ((kind, colour, cx, cy, r), ...), questions [(question, answer, type)], one per type that can be
        asked about this scene).
    """
    rng = np.random.default_rng(seed)
    s = vqa.scene(rng)
    qs = [(qa[0], qa[1], t) for t in vqa.QUESTION_TYPES if (qa := vqa.ask(s, t, rng)) is not None]
    what = ", ".join(f"{c} {k}" for k, c, *_ in s.objects)
    return {"seed": seed, "what": what, "key": f"vqa-scene-{seed}", "image": s.image, "objects": s.objects,
            "questions": qs}


#: questions offered for an image that is not a composed scene
GENERIC_QUESTIONS = ("what colour is the circle ?", "what shape is the red one ?", "is there a blue square ?",
                     "is the star left of the ring ?", "how many shapes are there ?")


def sample_questions(scene: dict | None) -> tuple[list[str], dict[str, str]]:
    """Questions to offer (the scene's own, else generic ones) and question -> true answer (scene only)."""
    if scene is None:
        return list(GENERIC_QUESTIONS), {}
    return [q for q, _, _ in scene["questions"]], {_norm(q): a for q, a, _ in scene["questions"]}


def true_answer(truths: dict[str, str], question: str) -> str | None:
    """The true answer of a question when it is one of the scene's own (case, spaces and "?" spacing aside)."""
    return truths.get(_norm(question))


def prepare_image(image, size: int = 64, patch_size: int = 8) -> dict:
    """Any image -> the (S, S, 3) uint8 the models read: RGB, centre-cropped to a square, resized (bicubic).

    Returns:
        dict(image (S, S, 3) uint8, original (W, H), changed (bool: the image was not already S x S), size S,
        patch_size, patches (the S / patch_size squared patches it makes)).
    """
    w, h = image.size if isinstance(image, Image.Image) else (np.shape(image)[1], np.shape(image)[0])
    seen = fit_image(image, size, patch_size, max_aspect=1.0)  # (S, S, 3)
    return {"image": seen, "original": (int(w), int(h)), "changed": (w, h) != (size, size), "size": size,
            "patch_size": patch_size, "patches": (size // patch_size) ** 2}


def prepare_question(tokenizer, question: str, max_tokens: int) -> dict:
    """Tokenise a typed question for the fusion models: cut to ``max_tokens``, unknown words named.

    Args:
        tokenizer: the models' TextTokenizer (``FusionVQA.tokenizer``: one id per question word).
        question: anything typed (empty, 100 000 characters, emoji).
        max_tokens: the models' question length.

    Returns:
        dict(ids (L,), tokens (L,), unknown (L,) bool, unknown_words (the typed words that became
        [UNK], each once), empty (bool: no token at all), cut (bool), n_tokens (before the cut, "+" in
        ``more`` when even the characters were cut), max_tokens, vocabulary (the words the models know)).
    """
    enc = bounded(tokenizer, question, max_tokens=max_tokens)
    said = words(tokenizer, question[: enc["chars_read"]])
    unknown = list(dict.fromkeys(said[w] for w, u in zip(enc["word_ids"], enc["unknown"])
                                 if u and w is not None and w < len(said)))
    return {"ids": enc["ids"], "tokens": enc["tokens"], "unknown": enc["unknown"], "unknown_words": unknown,
            "empty": not enc["ids"], "cut": enc["cut"], "n_tokens": enc["n_pieces"], "max_tokens": max_tokens,
            "more": "+" if enc["chars_read"] < enc["n_chars"] else "", "vocabulary": list(vqa.QUESTION_WORDS)}


def _params(module: torch.nn.Module, trainable: bool | None = None) -> int:
    return sum(p.numel() for p in module.parameters() if trainable is None or p.requires_grad == trainable)


def parameter_parts(model: FusionVQA) -> dict[tuple, int]:
    """Parameters of a fusion model by part, read from its modules (blocks of one kind summed): part -> count, a
    part being ("image",), ("cnn",), ("question",), ("modality",), ("blocks", kind, how many) or ("head",)."""
    parts = {("image",): _params(model.patch_embed) + _params(model.cnn_proj) + model.image_pos.numel(),
             ("cnn",): _params(model.cnn),
             ("question",): _params(model.word_embed) + model.text_pos.numel(),
             ("modality",): model.modality.numel()}
    for kind, attr in _MODULES.items():
        if len(getattr(model, attr)):
            parts[("blocks", kind, len(getattr(model, attr)))] = _params(getattr(model, attr))
    parts[("head",)] = _params(model.norm) + _params(model.head)
    return parts


def cost_formula(letter: str, L: int, N: int, h: int) -> tuple[str, int]:
    """The attention scores of one forward pass as a formula of L, N, h (LaTeX) and its value.

    Each self-attention block over T tokens computes h·T² scores q·k; a cross block computes h·Tq·Tk.
    """
    T = L + N
    if letter == "a":
        return rf"4\,h\,N^2 = 4\cdot{h}\cdot{N}^2", 4 * h * N * N
    if letter == "b":
        return rf"4\,h\,(L+N)^2 = 4\cdot{h}\cdot{T}^2", 4 * h * T * T
    if letter in "cd":
        return (rf"2\,h\,(L^2+N^2) + 2\,h\,(L+N)^2 = 2\cdot{h}\cdot({L}^2+{N}^2) + 2\cdot{h}\cdot{T}^2",
                2 * h * (L * L + N * N) + 2 * h * T * T)
    if letter == "e":
        return rf"4\cdot 2\,h\,L\,N = 8\cdot{h}\cdot{L}\cdot{N}", 8 * h * L * N
    return (rf"2\cdot 2\,h\,L\,N + 2\,h\,(L+N)^2 = 4\cdot{h}\cdot{L}\cdot{N} + 2\cdot{h}\cdot{T}^2",
            4 * h * L * N + 2 * h * T * T)


def _streams(letter: str, L: int, N: int) -> dict[str, int]:
    """Tokens in each stream a strategy runs: the two inputs, then the one stream (summed or concatenated; 0 for
    cross-attention, which never forms one)."""
    return {"question": L, "image": N, "one_stream": N if letter == "a" else L + N if letter in "bcdf" else 0}


def _frame(kind: str, L: int, N: int, summed: bool) -> tuple[slice, slice]:
    """Where a block's (Tq, Tk) attention sits in the (T, T) matrix over [question ; image]."""
    if summed or kind == "joint":
        return slice(None), slice(None)
    q, i = slice(0, L), slice(L, L + N)
    return {"text": (q, q), "image": (i, i), "text<-image": (q, i), "image<-text": (i, q)}[kind]


@torch.no_grad()
def _answer_one(model: FusionVQA, pixels: torch.Tensor, ids: torch.Tensor, top_k: int) -> dict:
    """One model, one (image, question): answer, probabilities, every block's attention, mask and cost."""
    logits, attns = model(model.normalize(pixels), ids, torch.ones_like(ids), return_attn=True)
    probs = logits.softmax(-1)[0]  # (A,)
    names = model.class_names or list(vqa.ANSWERS)
    p, idx = probs.topk(min(top_k, probs.numel()))
    L, N = ids.shape[1], model.cfg.num_patches
    summed = model.cfg.strategy == "a"
    T = N if summed else L + N
    blocks = []
    for (stage, kind, a), (_, _, mask) in zip(attns, model.layer_masks(L)):  # a: (1, h, Tq, Tk)
        a = a[0].float().cpu().numpy()  # (h, Tq, Tk)
        full = np.zeros((a.shape[0], T, T), np.float32)  # the block's weights in the (T, T) frame
        rows, cols = _frame(kind, L, N, summed)
        full[:, rows, cols] = a
        mods = getattr(model, _MODULES[kind])
        blocks.append({"stage": stage, "kind": kind, "attn": full, "mask": mask.numpy(), "shape": a.shape,
                       "heads": a.shape[0], "Tq": a.shape[1], "Tk": a.shape[2],
                       "scores": int(a.shape[0] * a.shape[1] * a.shape[2]), "params": _params(mods[0])})
    return {"answer": names[int(idx[0])], "top": [(names[i], float(v)) for v, i in zip(p.tolist(), idx.tolist())],
            "probs": probs.cpu().numpy(), "blocks": blocks, "L": L, "N": N, "T": T,
            "streams": _streams(model.cfg.strategy, L, N),
            "scores": sum(b["scores"] for b in blocks), "formula": cost_formula(model.cfg.strategy, L, N, blocks[0]["heads"]),
            "parameters": _params(model), "trainable": _params(model, True), "parts": parameter_parts(model)}


def answer_all(models: dict[str, FusionVQA], image: np.ndarray, ids: list[int], *, device="cpu",
               top_k: int = 5) -> dict[str, dict]:
    """Every model answers one question about one image, with every block's attention kept.

    Args:
        models: strategy letter -> FusionVQA (trained or :func:`untrained`), eval mode.
        image: (S, S, 3) uint8 (:func:`prepare_image`).
        ids: (L,) question ids, 1 <= L <= the models' question length (:func:`prepare_question`).
        device: where the models are.
        top_k: answers kept per model.

    Returns:
        letter -> dict(answer, top [(answer, p)], probs (A,), L, N, T, streams {stream: tokens},
        blocks [dict(stage, kind, attn (h, T, T) float32: the block's weights in the frame of
        [question ; image] (zeros where it computes none), mask (T, T) bool (``layer_masks``), shape
        (h, Tq, Tk) of the attention tensor, heads, Tq, Tk, scores = h·Tq·Tk, params of the block)],
        scores (sum), formula (LaTeX, value), parameters, trainable, parts {part: parameters}).
    """
    pixels = uint8_to_tensor(image).to(device)  # (1, 3, S, S) in [0, 1]
    q = torch.tensor([ids], dtype=torch.long, device=device)  # (1, L)
    with torch_threads(1):
        return {k: _answer_one(m, pixels, q, top_k) for k, m in models.items()}


def token_names(tokens: list[str], N: int, grid: int, summed: bool) -> list[str]:
    """Names of the T tokens of [question ; image]: "w2 star", "p12 (1,4)"; early summation's N tokens are
    "p2 (0,2) + star" where a word was added to the patch."""
    patches = [f"p{k} ({k // grid},{k % grid})" for k in range(N)]
    if summed:
        return [p + (f" + {tokens[k]}" if k < len(tokens) else "") for k, p in enumerate(patches)]
    return [f"w{i} {t}" for i, t in enumerate(tokens)] + patches


def block_rows(result: dict) -> list[dict]:
    """A model's blocks without their arrays (what the diagrams and the cost chart read): stage, kind,
    shape (h, Tq, Tk), heads, Tq, Tk, scores, params."""
    return [{k: v for k, v in b.items() if k not in ("attn", "mask")} for b in result["blocks"]]


def stage_maps(result: dict, head: int | None) -> dict:
    """Each stage's attention in the (T, T) frame of [question ; image]: blocks that run side by side (a text
    block and an image block, or the two cross blocks) read disjoint pairs, so one matrix holds the stage.

    Args:
        result: one model's entry of :func:`answer_all`.
        head: a head index, or None for the mean over the heads.

    Returns:
        dict(weights (S, T, T) float32, NaN where no block of the stage lets the query read the key; shown
        (S, T, T) float32, each block's weights divided by that block's largest (so a block of 64 keys and one
        of 6 keys are both visible); titles (S,) "cross 0: text<-image + image<-text"; allowed (S,) pairs).
    """
    blocks = result["blocks"]
    stages = list(dict.fromkeys(b["stage"] for b in blocks))
    T = result["T"]
    weights = np.full((len(stages), T, T), np.nan, np.float32)
    shown = weights.copy()
    for b in blocks:
        i, m = stages.index(b["stage"]), b["mask"]
        a = b["attn"].mean(0) if head is None else b["attn"][head]  # (T, T)
        weights[i][m] = a[m]
        shown[i][m] = a[m] / max(float(a[m].max()), 1e-12)
    titles = [f"{st}: " + " + ".join(b["kind"] for b in blocks if b["stage"] == st) for st in stages]
    return {"weights": weights, "shown": shown, "titles": titles,
            "allowed": [int(np.isfinite(w).sum()) for w in weights]}


def meeting_blocks(result: dict, *, reads: bool = True) -> list[int]:
    """Indices of the blocks in which the words read image patches (``reads``) or patches read words."""
    L, N, T = result["L"], result["N"], result["T"]
    img = slice(0, N) if T == N else slice(L, L + N)
    return [i for i, b in enumerate(result["blocks"])
            if (b["mask"][:L, img] if reads else b["mask"][img, :L]).any()]


def word_maps(result: dict, block: int, word: int, *, reads: bool = True) -> dict:
    """One word and the image patches in one block, per head, as maps over the 8 x 8 grid.

    Args:
        result: one model's entry of :func:`answer_all`.
        block: index into its blocks (one in which words read patches, or patches read words).
        word: question token index (early summation: the patch the word was added to).
        reads: True: the word's row (what it reads among the patches); False: the patches' column
            (how much each patch reads the word).

    Returns:
        dict(maps (h, g, g) float32, share (h,) the part of the word's attention that lands on image
        patches (reads) or the mean weight patches give it, top (h,) the heaviest patch index per head).
    """
    b = result["blocks"][block]
    L, N = result["L"], result["N"]
    g = int(round(N ** 0.5))
    img0 = 0 if result["T"] == N else L  # where the patches start in the frame
    a = b["attn"]  # (h, T, T)
    m = a[:, word, img0:img0 + N] if reads else a[:, img0:img0 + N, word]  # (h, N)
    share = m.sum(-1) if reads else m.mean(-1)
    return {"maps": m.reshape(-1, g, g).astype(np.float32), "share": share.astype(np.float32),
            "top": m.argmax(-1)}
