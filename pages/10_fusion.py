"""Lesson: multimodal fusion. Six ways the question's tokens and the image's tokens meet, (a)-(f), trained side by
side on one question-answering task, with CLIP's dual encoder as the design with no fusion at all."""

from mmviz import ui
from mmviz.figures import fusion as figs
from mmviz.lessons import fusion as lesson
from mmviz.lessons.fusion import cards, clip
from mmviz.ui import st

ui.start_page()
figs = ui.cached_figures(figs)  # a rerun rebuilds only the figures whose numbers changed
T = ui.texts("fusion")
CLIP = "clip-tiny-shapes"


# --------------------------------------------------------------------------- cached backend calls
@st.cache_resource(max_entries=6, show_spinner=False)
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


@ui.cached(max_entries=32)
def _answers(image_key: str, ids: tuple, avail: tuple, device: str, _image) -> dict:
    return lesson.answer_all(_six(avail), _image, list(ids), device=device)


@ui.cached(max_entries=32)
def _clip(image_key: str, tokens: tuple, device: str, _image) -> dict:
    return clip.clip_contrast(ui.model(CLIP), _image, list(tokens), device=device)


def _rows(result: dict) -> list[dict]:
    """A model's blocks for the diagrams, each kind in words."""
    return [{**b, "what": T(f"kind_{b['kind']}")} for b in lesson.block_rows(result)]


# --------------------------------------------------------------------------- page
st.title(T("title"))
status = ui.family_status("fusion")
avail = tuple(sorted((n, status.get(n, False)) for n in lesson.NAMES.values()))
missing = [n for n, ok in avail if not ok]
with ui.section(T, "s_inputs", expanded=True, md=T("intro"), latex=r"\mathrm{Attention}(Q,K,V)=\mathrm{softmax}\!\Big(\frac{QK^\top}"
                r"{\sqrt d}+M\Big)V,\qquad M_{ij}=\begin{cases}0 & \text{query } i \text{ may read key } j\\ -\infty & "
                r"\text{otherwise}\end{cases}"):
    if missing:
        st.warning(T("missing", names=", ".join(missing), first=missing[0]))
    ask = st.container()  # the question (full width: its sample pills), then the image and the question's tokens
    left, right = st.columns([1, 1.6], gap="medium")
    with left:
        img = ui.vqa_image("fu", draw_scene=_scene, question_key="fu_q")
        if img is None:
            st.stop()
        try:
            seen = _image(img["key"], _image=img["image"])
        except (ValueError, OSError) as e:
            st.error(T("bad_image", why=e))
            st.stop()
        ui.chart(figs.fig_image_grid(seen["image"]), "fu_image", toolbar=False)
        w, h = seen["original"]
        st.caption(T("resized", name=img["name"], w=w, h=h, S=seen["size"], n=seen["patches"], p=seen["patch_size"])
                   if seen["changed"] else T("as_is", name=img["name"]))
    with ask:
        samples, truths = lesson.sample_questions(img["scene"])
        question = ui.text_box(T("question"), "fu_q", samples=samples, height=80)
    with right:
        if img["photo"]:
            st.info(T("photo"))
        models = _six(avail)
        qlen = models["a"].cfg.question_length
        Q = lesson.prepare_question(models["a"].tokenizer, question, qlen)
        notes = [T("q_empty")] * Q["empty"] + [T("q_cut", n=Q["n_tokens"], more=Q["more"], max=Q["max_tokens"])] * Q[
            "cut"] + [T("q_unknown", words=", ".join(f"“{w}”" for w in Q["unknown_words"][:12]) + (
                " …" if len(Q["unknown_words"]) > 12 else ""), n=len(Q["vocabulary"]), vocab=" ".join(Q["vocabulary"]))
            ] * bool(Q["unknown_words"])
        ui.text_notes(notes)
        if Q["empty"]:
            question = samples[0]
            Q = lesson.prepare_question(models["a"].tokenizer, question, qlen)
            st.info(T("until", q=question))
        ui.token_chips(Q["tokens"], Q["ids"], unknown=Q["unknown"])
        st.caption(T("tokens_caption", L=len(Q["ids"])))
    with st.spinner(T("reading")):
        R = _answers(img["key"], tuple(Q["ids"]), avail, ui.device(), _image=seen["image"])
ok = dict(avail)
L, N = R["b"]["L"], R["b"]["N"]
truth = lesson.true_answer(truths, question)

with ui.section(T, "s_answers", expanded=True):
    best = max(lesson.LETTERS, key=lambda k: (ok[lesson.NAMES[k]], R[k]["top"][0][1]))
    short = lambda k: f"({k}) {T('short_' + k)}"  # noqa: E731
    if ui.predict("fu_q_best", T("q_best"), options=list(lesson.LETTERS), format_func=short,
                  context=(img["key"], tuple(Q["ids"]), avail), reveal=lambda: (best, T(
                      "q_best_why", k=best, answer=R[best]["answer"], p=R[best]["top"][0][1],
                      truth=" " + T("truth_is", truth=truth) if truth else ""))) is None:
        st.caption(T("q_best_wait"))  # the bars and the answers with their probabilities give it away
    else:
        ui.chart(figs.fig_answers([{"title": short(k) + "<br>" + (T("trained") if ok[n] else T("untrained")),
                                    "answers": [a for a, _ in R[k]["top"]], "probs": [p for _, p in R[k]["top"]],
                                    "truth": truth, "trained": ok[n]} for k, n in lesson.NAMES.items()]), "fu_answers")
        st.markdown((T("true_answer", truth=truth) + " " if truth else "")
                    + " · ".join(f"({k}) **{R[k]['answer']}** {R[k]['top'][0][1]:.0%}" for k in lesson.LETTERS)
                    + ". " + T("one_softmax"))
    ui.show_code(lesson.answer_all, lesson.FusionVQA.forward, labels=True)

with ui.section(T, "s_designs"):
    letter = ui.selectbox(T("design"), lesson.LETTERS, key="fu_letter", default="e",
                          format_func=lambda k: f"({k}) {T('survey_' + k)}")
    designs = [{"letter": k, "title": f"({k}) {T('survey_' + k)}".replace(" (", "<br>("), "L": L, "N": N,
                "blocks": _rows(R[k])} for k in lesson.LETTERS]
    ui.chart(figs.fig_designs(designs, chosen=letter, cols=2), "fu_designs")
    st.markdown(T("rule_head", k=letter, name=T("survey_" + letter)))
    st.latex(lesson.RULES[letter])
    st.caption(T("designs_caption"))
    ui.show_code(lesson.FusionVQA.plan, lesson.CrossBlock.forward, labels=True)

r = R[letter]
with ui.section(T, "s_masks", md=T("masks_md"), k=letter):
    heads = r["blocks"][0]["heads"]
    hi = ui.segmented(T("weights_of"), ["mean", *range(heads)], key="fu_head", default="mean",
                      format_func=lambda i: T("mean_heads") if i == "mean" else T("head_n", i=i))
    hi = None if hi == "mean" else hi
    names = lesson.token_names(Q["tokens"], N, 8, letter == "a")
    M = lesson.stage_maps(r, hi)
    ui.chart(figs.fig_masks(M["weights"], M["shown"], M["titles"], names, L=0 if letter == "a" else L,
                            what=T("weight_of", what=T("mean_heads") if hi is None else T("head_n", i=hi))), "fu_masks",
             numbers={"weights": M["weights"]})
    st.caption(T("masks_caption", T=r["T"], tokens=T("tokens_summed", N=N, L=L) if letter == "a" else
                 T("tokens_joined", N=N, L=L), allowed=", ".join(f"{a:,}" for a in M["allowed"]), T2=r["T"] ** 2)
               + (" " + T("no_words") if letter == "a" else ""))
    ui.show_code(lesson.FusionVQA.layer_masks, lesson.stage_maps, labels=True)

with ui.section(T, "s_word", md=T("word_md"), k=letter):
    c1, c2, c3 = st.columns([1.3, 1, 1])
    reads = ui.toggle(T("reads"), key="fu_reads", default=True, help=T("reads_help"), into=c1)
    meet = lesson.meeting_blocks(r, reads=reads)
    if not meet:
        st.info(T("never", k=letter))
    else:
        word = ui.selectbox(T("word"), list(range(L)), key="fu_word", default=min(4, L - 1), into=c2,
                            format_func=lambda i: f"{i}: {Q['tokens'][i]}" + (T("in_patch", i=i) if letter == "a" else ""))
        blk = ui.selectbox(T("block"), meet, key="fu_block", default=meet[-1], into=c3,
                           format_func=lambda i: f"{r['blocks'][i]['stage']} · {r['blocks'][i]['kind']}")
        wm = lesson.word_maps(r, blk, word, reads=reads)
        tok = Q["tokens"][word]
        joint = r["blocks"][blk]["kind"] == "joint" and letter != "a"
        titles = [T("map_title", i=i, m=float(m.max())) + (T("on_image", s=float(s)) if joint and reads else "")
                  for i, (m, s) in enumerate(zip(wm["maps"], wm["share"]))]
        ui.chart(figs.fig_word_maps(seen["image"], wm["maps"], titles, what=T("reads_patch" if reads else "read_by",
                                                                             tok=tok)), "fu_word_maps",
                 numbers={"maps": wm["maps"]})
        st.caption(((T("row_caption") + (T("row_joint") if joint else "")) if reads else T("column_caption"))
                   + T("range_caption") + (T("untrained_even") if not ok[lesson.NAMES[letter]] else ""))
    ui.show_code(lesson.word_maps, lesson.meeting_blocks, labels=True)

with ui.section(T, "s_costs", md=T("costs_md")):
    formula, value = r["formula"]
    st.latex(rf"\text{{({letter}) attention scores}} = {formula} = " + f"{value:,}".replace(",", "{,}"))
    if value != r["scores"]:
        st.error(T("disagree"))
    C = _clip(img["key"], tuple(Q["tokens"]), ui.device(), _image=seen["image"]) if ui.family_status("clip").get(
        CLIP) else None
    rows = [{"name": f"({k}) {T('short_' + k)}", "blocks": _rows(R[k])} for k in lesson.LETTERS]
    if C:
        rows.append({"name": T("clip_name"), "blocks": [{"stage": f"{t} layer {i}", "kind": f"{t} tower", "shape": s,
                                                         "scores": n} for t, i, s, n in C["blocks"]]})
    ui.chart(figs.fig_costs(rows), "fu_costs")
    cols = {c: T(f"col_{c}") for c in ("design", "blocks", "scores", "parameters", "trainable")}
    ui.table([{cols["design"]: f"({k}) {T('short_' + k)}", **{T("col_tokens", s=T(f"stream_{s}")): n
              for s, n in R[k]["streams"].items()}, cols["blocks"]: len(R[k]["blocks"]), cols["scores"]: R[k]["scores"],
              cols["parameters"]: R[k]["parameters"], cols["trainable"]: R[k]["trainable"]} for k in lesson.LETTERS],
             dict.fromkeys([cols["scores"], cols["parameters"], cols["trainable"]], "localized"), key="fu_costs_table")
    st.caption(T("costs_caption", L=L, N=N, T=L + N))
    part = lambda p: T(f"part_{p[0]}", kind=p[1] if len(p) > 1 else "", n=p[-1])  # noqa: E731
    ui.table([{T("col_part", k=letter): part(p), cols["parameters"]: n} for p, n in r["parts"].items()],
             {cols["parameters"]: "localized"}, key="fu_parts")
    ui.show_code(lesson.cost_formula, lesson.parameter_parts, labels=True)

with ui.section(T, "s_trained"):
    T6 = cards.accuracy_table({k: ui.model_card(n) for k, n in lesson.NAMES.items()}, R)
    if T6["trained"]:
        ui.chart(figs.fig_accuracy(T6["types"], T6["accuracy"], T6["chance"], [r_["model"] for r_ in T6["rows"]]),
                 "fu_accuracy", numbers={"accuracy": T6["accuracy"], "chance": T6["chance"]})
        st.caption(T("accuracy_caption", n=T6["n"]))
    else:
        st.info(T("none_trained"))
    col = {c: T(f"col_{c}") for c in ("model", "status", "accuracy", "parameters", "trainable", "scores", "train_min")}
    status_of = lambda row: T("status_clip", top1=row["caption_top1"]) if row["status"] == "clip" else \
        T(f"status_{row['status']}")  # noqa: E731
    table = [{col.get(c, c): status_of(row) if c == "status" else v for c, v in row.items() if c != "caption_top1"}
             for row in T6["rows"] + ([cards.clip_row(ui.model_card(CLIP), C)] if C else [])]
    ui.table(table, {**dict.fromkeys([col["accuracy"], *T6["types"]], "percent"),
                     **dict.fromkeys([col["parameters"], col["trainable"], col["scores"]], "localized")},
             key="fu_models")
    ui.show_code(cards.accuracy_table, labels=True)

with ui.section(T, "s_clip", md=T("clip_md"), latex=r"\cos(\text{image}, \text{caption}) = \frac{f(\text{image})\cdot "
                r"g(\text{caption})}{\lVert f\rVert\,\lVert g\rVert}"):
    if C is None:
        st.info(T("no_clip"))
    else:
        st.markdown(T(f"clip_{C['what']['key']}", **C["what"]) + (" " + T("clip_says", a=C["answer"]) if C["answer"]
                                                                  else "")
                    + (" " + T("clip_rank", cap=C["rank"][0], r=C["rank"][1], n=C["n_captions"]) if C["rank"] else "")
                    + (" " + T("truth_is", truth=truth) if truth else ""))
        ui.chart(figs.fig_clip(**{**C["bars"], "title": T(f"clip_bars_{C['bars']['title']}", n=C["n_captions"])}),
                 "fu_clip")
        st.caption(T("clip_caption", scores=C["scores"], E=C["embed_dim"]))
    ui.show_code(clip.clip_contrast, clip.question_captions, labels=True)
