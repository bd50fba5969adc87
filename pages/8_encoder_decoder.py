"""Lesson: the encoder–decoder. Translate a sentence and watch the decoder read the source through cross-attention."""

from mmviz import ui
from mmviz.figures import encoder_decoder as figs
from mmviz.lessons import encoder_decoder as lesson
from mmviz.ui import st

ui.start_page()
figs = ui.cached_figures(figs)  # a rerun rebuilds only the figures whose numbers changed
T = ui.texts("encoder_decoder")
KEEP = {"ed_text": None, "ed_kind": "cross", "ed_avg": False}


@ui.cached(max_entries=32)
def _source(name: str, text: str) -> dict:
    return lesson.source(ui.model(name), text)


@ui.cached(max_entries=32)
def _translate(name: str, ids: tuple[int, ...]) -> dict:
    return lesson.translate(ui.model(name), list(ids))


@ui.cached(max_entries=32)
def _forced(name: str, ids: tuple[int, ...], ref: tuple[int, ...]) -> dict:
    return lesson.forced(ui.model(name), list(ids), list(ref))


st.title(T("title"))
ui.keep_widgets(KEEP)
with ui.section(T, "s_intro", expanded=True, md=T("intro"), latex=r"\mathrm{CrossAttn}(Y,H)=\mathrm{softmax}\!\Big(\frac{(YW_Q)"
                r"(HW_K)^\top}{\sqrt d}\Big)HW_V"):
    info = ui.model_picker("encdec", "ed_model", label=T("model"), missing_embedded=T("missing"),
                           notes={"Helsinki-NLP/opus-mt-en-de": T("marian_note")})
    try:
        model = ui.model(info.name)
    except Exception as e:  # noqa: BLE001 - a broken or partial checkpoint: one sentence, not a traceback
        st.error(T("load_error", name=info.name, why=e))
        st.stop()
    tiny = lesson.is_tiny(model)
    text = ui.text_box(T("text_label"), "ed_text",
                       samples=lesson.SAMPLES_TINY if tiny else lesson.SAMPLES_PRETRAINED + lesson.SAMPLES_TINY[:1])
    S = _source(info.name, text)
    ui.token_notes(S)
    gram = S["grammar"]
    if gram and gram["words"] and gram["unknown"]:
        words = ", ".join(f"'{w}'" for w in gram["unknown"][:10]) + (", …" if len(gram["unknown"]) > 10 else "")
        st.warning(T("unknown_1" if len(gram["unknown"]) == 1 else "unknown_n", n=len(gram["unknown"]), words=words))
    elif gram and gram["words"] and gram["reason"]:
        st.info(T("not_grammar", reason=gram["reason"]))
    with st.spinner(T("translating")):
        R = _translate(info.name, tuple(S["ids"]))
src, out = R["src_tokens"], R["tokens"]
n_out = len(out) - 1

with ui.section(T, "s_translation", expanded=True, latex=r"H=\mathrm{Encoder}(x),\qquad y_t=\arg\max_y\,p(y\mid y_{<t},H)\quad"
                r"\text{until }y_t=\langle\text{eos}\rangle"):
    st.markdown(T("source", tokenizer=S["tokenizer"], S=len(src)))
    ui.token_chips(src, S["ids"], special=S["special"], unknown=S["unknown"])
    st.markdown(T("written", n=n_out) + " " + (T("stopped_eos") if R["stopped"] == "eos" else
                                             T("stopped_length", max=lesson.MAX_NEW_TOKENS)))
    ui.token_chips(out, R["out"], special=R["special"])
    st.markdown(f"### {R['text'] or '∅'}")
    if gram and gram["korean"]:
        same = R["text"].split() == gram["korean"].split()
        (st.success if same else st.warning)(T("reference", korean=gram["korean"]) + " "
                                             + T("same" if same else "different"))
    card = lesson.card_numbers(ui.model_card(info.name))
    if card:
        ui.metrics((T("exact"), f"{card['exact_match']:.1%}", T("exact_help", n=card["n"])),
                   (T("aligned"), f"{card['alignment_share']:.1%}", T("aligned_help")),
                   (T("diagonal"), f"{card['monotonic_share']:.1%}", T("diagonal_help")))
    ui.show_code(lesson.translate, lesson.EncoderDecoder.greedy, labels=True)

with ui.section(T, "s_kinds", expanded=True):
    kind = ui.segmented(T("kind"), list(lesson.KINDS), key="ed_kind", default="cross",
                        format_func=lambda k: T(f"kind_{k}"))
    A = R["attn"][kind]
    L, h = A.shape[:2]
    q_tok, k_tok = {"encoder": (src, src), "decoder": (out[:-1], out[:-1]), "cross": (out[1:], src)}[kind]
    Tq, Tk = A.shape[2:]
    d1, d2 = st.columns([1.4, 1])  # filled after the question: the shapes (n × S per head) answer it
    answered = ui.predict("ed_q_scores", T("q_scores", n=n_out, S=len(src)), lo=0, hi=10 ** 6, context=(
        info.name, tuple(S["ids"])), reveal=lambda: (int(R["attn"]["cross"][0, 0].size), T(
            "q_scores_why", n=n_out, S=len(src), total=R["attn"]["cross"].size, L=L, h=h))) is not None
    hide = kind == "cross" and not answered
    hover = {k: T(f"hover_{k}" if answered or k != "cross" else "hover_cross_open", S=len(src), n=n_out, L=L, h=h)
             for k in lesson.KINDS}
    ui.chart(figs.fig_transformer(kind, enc_depth=model.cfg.enc_depth, dec_depth=model.cfg.dec_depth, hover=hover),
             "ed_diagram", into=d1, toolbar=False)
    with d2:
        st.markdown(T(f"about_{kind}"))
        st.latex({"encoder": r"A=\mathrm{softmax}\big(QK^\top/\sqrt d\big),\ Q,K,V\ \text{from}\ X_{\text{src}}",
                  "decoder": r"A=\mathrm{softmax}\big(QK^\top/\sqrt d+M_{\text{causal}}\big),\ Q,K,V\ \text{from}\ "
                             r"Y_{<t}",
                  "cross": r"A=\mathrm{softmax}\big(Q_YK_H^\top/\sqrt d\big)" + (r",\ A\in\mathbb R^{T\times S}" if not hide
                                                                                else "")}[kind])
        st.caption(T("q_scores_wait") if hide else T("shape_caption", Tq=Tq, Tk=Tk, L=L, h=h))
    c1, c2 = st.columns([3, 1])
    layer = ui.slider(T("layer"), 0, L - 1, key="ed_layer", default=L - 1, into=c1)
    head = ui.selectbox(T("head"), list(range(h)), key="ed_head", default=0, into=c2)
    ui.take_click("ed_headview", "ed_query")
    q = ui.slider(T("query"), 0, max(Tq - 1, 0), key="ed_query", default=max(Tq - 1, 0) // 2) if Tq > 1 else 0
    mask = lesson.causal_mask(Tq).numpy() if kind == "decoder" else None
    v1, v2 = st.columns([1, 1.2])
    ui.chart(figs.fig_head_view(A[layer, head], q_tok, k_tok, selected=q, title=T("view_title", kind=T(f"kind_{kind}"),
                                layer=layer, head=head), q_label="query", k_label="key"), "ed_headview", into=v1,
             on_select="rerun", selection_mode="points")
    ui.chart(figs.fig_token_matrix(A[layer, head], q_tok, k_tok, selected=q, mask=mask,
                                   title=T("matrix_open") if hide else T("matrix", Tq=Tq, Tk=Tk),
                                   q_title="query (target)" if kind != "encoder" else "query (source)",
                                   k_title="key (source)" if kind != "decoder" else "key (target)"), "ed_matrix",
             into=v2, numbers={"attention": A[layer, head]})
    ui.chart(figs.fig_head_grid(A, [[f"head {hi} · max {A[li, hi].max():.2f}" for hi in range(h)] for li in range(L)],
                                selected=(layer, head), q_tokens=q_tok, k_tokens=k_tok, panel_px=130), "ed_heads",
             numbers={kind: A})
    st.caption(T("grid_caption"))
    ui.show_code({"encoder": lesson.EncoderDecoder.encode, "decoder": lesson.DecoderBlock.forward,
                  "cross": lesson.CrossAttention.forward}[kind], lesson.EncoderDecoder.decode, labels=True)

with ui.section(T, "s_align"):
    share = None
    if gram and gram["korean"]:
        F = _forced(info.name, tuple(S["ids"]), tuple(gram["korean_ids"]))
        avg = ui.toggle(T("avg"), key="ed_avg", default=False)
        C = F["attn"]["cross"]
        M = C[layer].mean(0) if avg else C[layer, head]
        share = lesson.alignment_share(C, gram["alignment"], lesson.word_starts(S["word_ids"]))
        st.markdown(T("align_md"))
        a1, a2 = st.columns([1, 1.2])
        what = T("what_mean", layer=layer) if avg else T("what_head", layer=layer, head=head)
        ui.chart(figs.fig_head_view(M, F["tokens"], src, true_pairs=share["pairs"], title=what, q_label="Korean word",
                                    k_label="English source"), "ed_align_lines", into=a1)
        ui.chart(figs.fig_token_matrix(M, F["tokens"], src, true_pairs=share["pairs"], q_title="Korean word written",
                                       k_title="English source token", title=T("align_title", what=what)), "ed_align",
                 into=a2, numbers={"cross_attention": M})
        ui.chart(figs.fig_alignment_heads(share["by_head"], mean_last=share["mean_last"], n=share["n"]),
                 "ed_align_heads", numbers={"share_by_head": share["by_head"]})
        st.caption(T("align_caption", n=share["n"], best=share["by_head"].max(), last=share["mean_last"],
                     extra=T("align_card", n=card["n"], share=card["alignment_share"]) if card else ""))
        ui.show_code(lesson.alignment_share)
    else:
        st.info(T("no_alignment"))

with ui.section(T, "s_steps", md=T("steps_md"), latex=r"a_t=\mathrm{softmax}\big(q_t K_H^\top/\sqrt d\big)\in"
                r"\mathbb R^{S},\qquad y_{t}=\arg\max_y\,p(y\mid y_{<t},x)"):
    if n_out:
        step = ui.slider(T("step"), 1, n_out, key="ed_step", default=1)
        avg = st.session_state.get("ed_avg")
        row = R["step_cross"][step - 1, layer].mean(0) if avg else R["step_cross"][step - 1, layer, head]
        answered = ui.predict("ed_q_read", T("q_read", tok=out[step]), options=list(range(len(src))),
                              format_func=lambda j: f"{j}: {src[j]}", context=(info.name, tuple(S["ids"]), step, layer,
                                                                               head, avg),
                              reveal=lambda: (int(row.argmax()), T("q_read_why", w=float(row.max()),
                                                                   tok=src[int(row.argmax())]))) is not None
        ui.token_chips(out[: step + 1], R["out"][: step + 1], special=R["special"][: step + 1], chosen=step)
        true = dict(share["pairs"]).get(step - 1) if share and R["out"] == gram["korean_ids"] else None  # same words
        if answered:  # the row's bars give the answer away
            ui.chart(figs.fig_step(row, src, R["step_top_tokens"][step - 1], R["step_top_p"][step - 1], true_col=true,
                                   title=T("step_title", step=step, tok=repr(out[step]), layer=layer,
                                           what=T("mean_heads") if avg else T("head_n", head=head))), "ed_step_fig",
                     numbers={"cross_attention_row": row})
        else:
            st.caption(T("q_read_wait"))
        st.caption(T("step_caption", diff=R["max_diff"]))
    ui.show_code(lesson.EncoderDecoder.decode)
ui.keep_widgets(KEEP)
