"""Lesson: multimodal fusion. Six ways the question's tokens and the image's tokens meet, (a)-(f), trained side by
side on one question-answering task, with CLIP's dual encoder as the design with no fusion at all."""

from mmviz import ui
from mmviz.figures import fusion as figs
from mmviz.lessons import fusion as lesson
from mmviz.lessons.fusion import cards, clip
from mmviz.ui import st

ui.start_page()
figs = ui.cached_figures(figs)  # a rerun rebuilds only the figures whose numbers changed
CLIP = "clip-tiny-shapes"


# --------------------------------------------------------------------------- cached backend calls
@st.cache_resource(max_entries=6, show_spinner="Building the untrained architecture…")
def _untrained(letter: str, device: str):
    return lesson.untrained(letter, device)


def _six(avail: tuple) -> dict:
    """letter -> the trained model where its weights are here, else its untrained architecture."""
    ok = dict(avail)
    return {k: ui.model(n) if ok[n] else _untrained(k, ui.device()) for k, n in lesson.NAMES.items()}


@ui.cached(max_entries=32, ttl=None)
def _scene(seed: int) -> dict:
    return lesson.vqa_scene(seed)


@ui.cached(max_entries=32)
def _image(image_key: str, _image) -> dict:
    return lesson.prepare_image(_image)


@ui.cached(max_entries=32, spinner="Six models read your question…")
def _answers(image_key: str, ids: tuple, avail: tuple, device: str, _image) -> dict:
    return lesson.answer_all(_six(avail), _image, list(ids), device=device)


@ui.cached(max_entries=32, spinner="CLIP scores captions…")
def _clip(image_key: str, tokens: tuple, device: str, _image) -> dict:
    return clip.clip_contrast(ui.model(CLIP), _image, list(tokens), device=device)


# --------------------------------------------------------------------------- page
st.title("Multimodal fusion")
st.markdown(
    "Once an image is a row of patch tokens and a question a row of word tokens, a transformer can mix them. "
    "**Where the two streams meet** is the design choice. The survey the course follows (Xu, Zhu & Clifton, "
    "*Multimodal Learning with Transformers: A Survey*, Fig. (a)–(f)) names six ways. Here six tiny models, one per "
    "way, same width (96), same depth (4 blocks along the way), same data, answer questions about shapes. They all "
    "run the same attention; what differs is **which token may read which**, the mask M:")
st.latex(r"\mathrm{Attention}(Q,K,V)=\mathrm{softmax}\!\Big(\frac{QK^\top}{\sqrt d}+M\Big)V,\qquad "
         r"M_{ij}=\begin{cases}0 & \text{query } i \text{ may read key } j\\ -\infty & \text{otherwise}\end{cases}")
status = ui.family_status("fusion")
avail = tuple(sorted((n, status.get(n, False)) for n in lesson.NAMES.values()))
missing = [n for n, ok in avail if not ok]
if missing:
    st.warning(f"Not trained yet: **{', '.join(missing)}**. Until a model's weights are in assets/models/, its row "
               "shows the **untrained architecture** (random fusion blocks, the frozen CNN as in training): the "
               "diagrams, masks and counts are real, its answers are noise. Train one with `python -m mmviz.train "
               f"{missing[0]}` (about an hour on one CPU thread).")

# ---- inputs: the question (full width: its sample pills), then the image and the question's tokens ----
ask = st.container()
left, right = st.columns([1, 1.6], gap="medium")
with left:
    img = ui.vqa_image("fu", draw_scene=_scene, question_key="fu_q")
    if img is None:
        st.stop()
    try:
        seen = _image(img["key"], _image=img["image"])
    except (ValueError, OSError) as e:
        st.error(f"This image could not be read: {e}")
        st.stop()
    ui.chart(figs.fig_image_grid(seen["image"]), "fu_image", toolbar=False)
    w, h = seen["original"]
    st.caption(f"**{img['name']}** ({w}×{h}) → {seen['rule']}." if seen["changed"] else f"**{img['name']}**, 64×64 px.")
with ask:
    samples, truths = lesson.sample_questions(img["scene"])
    question = ui.text_box("Your question about the image below (ends with “?”; at most 12 words are read)", "fu_q",
                           samples=samples, height=80)
with right:
    if img["photo"]:
        st.info("The six models were trained only on **64×64 shapes-world scenes**: two or three shapes of different "
                "kinds and colours on a plain or gradient background. On a photo they still answer (they must pick one "
                "of their 19 answers), but about shapes that are not there. Try **Shapes scene** for data they know.")
    models = _six(avail)
    qlen = models["a"].cfg.question_length
    Q = lesson.prepare_question(models["a"].tokenizer, question, qlen)
    ui.text_notes(Q["notes"])
    if Q["empty"]:
        question = samples[0]
        Q = lesson.prepare_question(models["a"].tokenizer, question, qlen)
        st.info(f"Until you type one, the models answer the sample question “{question}”.")
    ui.token_chips(Q["tokens"], Q["ids"], unknown=Q["unknown"])
    st.caption(f"{len(Q['ids'])} question tokens L (one per word, “?” included); the image gives N = 64 tokens. "
               "Each becomes a vector of 96 numbers: a word's embedding, or a patch's pixels and CNN features, plus "
               "its position and its modality.")

R = _answers(img["key"], tuple(Q["ids"]), avail, ui.device(), _image=seen["image"])
ok = dict(avail)
L, N = R["b"]["L"], R["b"]["N"]
truth = lesson.true_answer(truths, question)

# ---- 1. answers ------------------------------------------------------------------------------------
st.subheader("1. Six designs answer your question")
ui.chart(figs.fig_answers([{"title": f"({k}) {lesson.SHORT[k]}<br>" + ("trained" if ok[n] else "untrained: noise"),
                            "answers": [a for a, _ in R[k]["top"]], "probs": [p for _, p in R[k]["top"]],
                            "truth": truth, "trained": ok[n]} for k, n in lesson.NAMES.items()]), "fu_answers")
st.markdown((f"**True answer: {truth}** (green). " if truth else "")
            + " · ".join(f"({k}) **{R[k]['answer']}** {R[k]['top'][0][1]:.0%}" for k in lesson.LETTERS)
            + ". Each model ends in one softmax over the same 19 answers (9 colours, 6 kinds, yes, no, 2, 3).")
ui.show_code(lesson.answer_all, lesson.FusionVQA.forward, labels=True)

# ---- 2. designs ------------------------------------------------------------------------------------
st.subheader("2. Where the streams meet: the six designs, drawn from the models")
letter = ui.selectbox("Design to look into (sections 2–5)", lesson.LETTERS, key="fu_letter", default="e",
                      format_func=lambda k: f"({k}) {lesson.SURVEY[k]}")
designs = [{"letter": k, "title": f"({k}) {lesson.SURVEY[k]}".replace(" (", "<br>("), "L": L, "N": N,
            "blocks": lesson.block_rows(R[k])} for k in lesson.LETTERS]
ui.chart(figs.fig_designs(designs, chosen=letter, cols=2), "fu_designs")
st.markdown(f"**({letter}) {lesson.SURVEY[letter]}**, what `FusionVQA.forward` computes (w: question tokens, "
            "v: image tokens, Block: self-attention + MLP, CA: cross-attention, queries from the left side):")
st.latex(lesson.RULES[letter])
st.caption("Each box is one block of `model.plan()`, in the order it runs; hover for its attention shape and "
           "parameters. A cross block's arrow comes from the stream it reads (its keys and values).")
ui.show_code(lesson.FusionVQA.plan, lesson.CrossBlock.forward, labels=True)

# ---- 3. masks --------------------------------------------------------------------------------------
r = R[letter]
st.subheader(f"3. Which token can read which: every block of ({letter}), on your question")
st.markdown("A design **is** its masks: the same attention code, told which pairs it may compute. One square per "
            "stage, rows read columns; where a word's row reaches the patches, the question looks at the image.")
heads = r["blocks"][0]["heads"]
head = st.segmented_control("Weights of", ["mean of heads", *[f"head {i}" for i in range(heads)]],
                            key="fu_head", default="mean of heads") or "mean of heads"
hi = None if head.startswith("mean") else int(head.split()[1])
names = lesson.token_names(Q["tokens"], N, 8, letter == "a")
M = lesson.stage_maps(r, hi)
ui.chart(figs.fig_masks(M["weights"], M["shown"], M["titles"], names, L=0 if letter == "a" else L,
                        what=f"weight ({head})"), "fu_masks")
st.caption(f"Rows: the token that reads (query); columns: the token read (key); {r['T']} tokens = "
           + (f"{N} patches, the first {L} with a word added. " if letter == "a" else f"{L} words, then {N} patches. ")
           + "Blocks that run side by side share one matrix (they read different pairs). Grey: blocked by the mask "
           "(−∞ before the softmax). Colour: the weight over its block's largest weight; hover for the weight. "
           "Allowed pairs per stage: " + ", ".join(f"{a:,}" for a in M["allowed"]) + f" of {r['T']}² = {r['T'] ** 2:,}."
           + (" Early summation has no word tokens at all: each word was added into a patch token." if letter == "a"
              else ""))
ui.show_code(lesson.FusionVQA.layer_masks, lesson.stage_maps, labels=True)

# ---- 4. a word reads the image ---------------------------------------------------------------------
st.subheader(f"4. A word and the image patches, head by head, in ({letter})")
st.markdown("Pick a word: in a block where it may read the patches, each head shares the word's attention (it sums "
            "to 1) among the keys; drawn here is what lands on each of the 8×8 patches. A trained “circle” should find "
            "the circle.")
c1, c2, c3 = st.columns([1.3, 1, 1])
reads = c1.toggle("The word reads the patches", value=True, key="fu_reads", help="Off: the patches read the word.")
meet = lesson.meeting_blocks(r, reads=reads)
if not meet:
    st.info(f"In ({letter}) the patches never read the words directly.")
else:
    word = ui.selectbox("Word", list(range(L)), key="fu_word", default=min(4, L - 1), into=c2,
                        format_func=lambda i: f"{i}: {Q['tokens'][i]}" + (f" (in patch {i})" if letter == "a" else ""))
    blk = ui.selectbox("Block", meet, key="fu_block", default=meet[-1], into=c3,
                       format_func=lambda i: f"{r['blocks'][i]['stage']} · {r['blocks'][i]['kind']}")
    wm = lesson.word_maps(r, blk, word, reads=reads)
    tok = Q["tokens"][word]
    joint = r["blocks"][blk]["kind"] == "joint" and letter != "a"
    titles = [f"head {i} · max {m.max():.3f}" + (f" · {s:.0%} on the image" if joint and reads else "")
              for i, (m, s) in enumerate(zip(wm["maps"], wm["share"]))]
    ui.chart(figs.fig_word_maps(seen["image"], wm["maps"], titles, what=f"“{tok}” reads patch" if reads else
                                f"“{tok}” is read by patch"), "fu_word_maps")
    st.caption(("The word's row of the block's attention, its image part, drawn over the 8×8 patches" + (
                ("; in a joint block the rest of the row reads other words (the share on the image is in the title)")
                if joint else "") if reads else "The word's column: how much each patch reads it")
               + ". Each head has its own colour range (0 to its max); hover for the weight."
               + " Untrained weights spread it almost evenly." * (not ok[lesson.NAMES[letter]]))
ui.show_code(lesson.word_maps, lesson.meeting_blocks, labels=True)

# ---- 5. costs --------------------------------------------------------------------------------------
st.subheader("5. What it costs on your input: tokens, attention scores, parameters")
st.markdown("A block computes one score q·k per head for every pair it may read: h·Tq·Tk. Joint blocks pay for all "
            "(L+N)² pairs, cross blocks only for the L·N word–patch pairs, so where the streams meet sets the bill.")
formula, value = r["formula"]
st.latex(rf"\text{{({letter}) attention scores}} = {formula} = " + f"{value:,}".replace(",", "{,}"))
if value != r["scores"]:
    st.error("The formula and the attention tensors disagree: please report this bug.")
C = _clip(img["key"], tuple(Q["tokens"]), ui.device(), _image=seen["image"]) if ui.family_status("clip").get(CLIP) else None
rows = [{"name": f"({k}) {lesson.SHORT[k]}", "blocks": lesson.block_rows(R[k])} for k in lesson.LETTERS]
if C:
    rows.append({"name": "CLIP (no fusion)", "blocks": [{"stage": f"{t} layer {i}", "kind": f"{t} tower",
                 "shape": s, "scores": n} for t, i, s, n in C["blocks"]]})
ui.chart(figs.fig_costs(rows), "fu_costs")
ui.table([{"design": f"({k}) {lesson.SHORT[k]}", **{f"tokens: {s}": n for s, n in R[k]["streams"].items()},
           "blocks": len(R[k]["blocks"]), "attention scores": R[k]["scores"], "parameters": R[k]["parameters"],
           "trainable": R[k]["trainable"]} for k in lesson.LETTERS],
         dict.fromkeys(["attention scores", "parameters", "trainable"], "localized"))
st.caption(f"Scores are read from the shapes of the attention tensors (h × Tq × Tk per block) for L = {L}, "
           f"N = {N}; a joint block pays for every pair of the {L + N} tokens, a cross block only for word–patch pairs. "
           "Parameters are counted on the modules (the frozen CNN included, not trained).")
ui.table([{f"({letter}) part": p, "parameters": n} for p, n in r["parts"].items()], {"parameters": "localized"})
ui.show_code(lesson.cost_formula, lesson.parameter_parts, labels=True)

# ---- 6. trained models -----------------------------------------------------------------------------
st.subheader("6. The six trained models side by side")
T6 = cards.accuracy_table({k: ui.model_card(n) for k, n in lesson.NAMES.items()}, R)
if T6["trained"]:
    ui.chart(figs.fig_accuracy(T6["types"], T6["accuracy"], T6["chance"], [r_["model"] for r_ in T6["rows"]]),
             "fu_accuracy")
    st.caption(f"Held-out accuracy on {T6['n']:,} fresh questions (model cards), per question type. Black dash: "
               "what reading the question alone reaches (the most frequent answer of that type).")
else:
    st.info("No fusion model is trained yet: this table fills in as `python -m mmviz.train fusion-a` … `fusion-f` "
            "finish.")
ui.table(T6["rows"] + ([cards.clip_row(ui.model_card(CLIP), C)] if C else []),
         {**dict.fromkeys(["accuracy", *T6["types"]], "percent"), "parameters": "localized", "trainable": "localized",
          "scores (yours)": "localized"})
ui.show_code(cards.accuracy_table, labels=True)

# ---- 7. CLIP ---------------------------------------------------------------------------------------
st.subheader("7. No fusion at all: CLIP's dual encoder")
st.markdown("CLIP runs two towers that never see each other: the image becomes one vector, a caption one vector, "
            "and the **only** place they meet is one dot product. It can score captions; no word ever reads a patch.")
st.latex(r"\cos(\text{image}, \text{caption}) = \frac{f(\text{image})\cdot g(\text{caption})}{\lVert f\rVert\,\lVert g\rVert}")
if C is None:
    st.info("The embedded CLIP is not here: `python -m mmviz.train clip-tiny` trains it.")
else:
    st.markdown(C["what"] + (f" CLIP says: **{C['answer']}**." if C["answer"] else "")
                + (f" “{C['rank'][0]}” ranks {C['rank'][1]} of {C['n_captions']}." if C["rank"] else "")
                + (f" The true answer: **{truth}**." if truth else ""))
    ui.chart(figs.fig_clip(**C["bars"]), "fu_clip")
    st.caption(f"CLIP was trained on one-shape scenes with captions; its towers cost {C['scores']:,} attention "
               f"scores here, and the two meet in a {C['embed_dim']}-number dot product.")
ui.show_code(clip.clip_contrast, clip.question_captions, labels=True)
