"""Lesson: the encoder–decoder. Translate a sentence and watch the decoder read the source through cross-attention."""

from mmviz import ui
from mmviz.figures import encoder_decoder as figs
from mmviz.lessons import encoder_decoder as lesson
from mmviz.ui import st

ui.start_page()
figs = ui.cached_figures(figs)  # a rerun rebuilds only the figures whose numbers changed
KEEP = {"ed_text": None, "ed_kind": "cross", "ed_avg": False}


@ui.cached(max_entries=32)
def _source(name: str, text: str) -> dict:
    return lesson.source(ui.model(name), text)


@ui.cached(max_entries=32, spinner="Translating, one token at a time…")
def _translate(name: str, ids: tuple[int, ...]) -> dict:
    return lesson.translate(ui.model(name), list(ids))


@ui.cached(max_entries=32)
def _forced(name: str, ids: tuple[int, ...], ref: tuple[int, ...]) -> dict:
    return lesson.forced(ui.model(name), list(ids), list(ref))


st.title("Encoder–decoder and cross-attention")
st.markdown("The original Transformer (Vaswani et al., 2017) translates with two stacks. The **encoder** reads the "
            "whole source sentence; every word sees every word. The **decoder** writes the translation one token "
            "at a time: it sees only what it has written so far (masked, like GPT), and in every block it "
            "**reads the source through cross-attention**: its queries come from the target, the keys and values "
            "from the encoder's output H (S × D). Which source word does each new word (Y: T × D so far) look at?")
st.latex(r"\mathrm{CrossAttn}(Y,H)=\mathrm{softmax}\!\Big(\frac{(YW_Q)(HW_K)^\top}{\sqrt d}\Big)HW_V")
ui.keep_widgets(KEEP)
info = ui.model_picker("encdec", "ed_model", missing_embedded="The trained tiny translator is not here yet, so its "
                       "untrained twin (random weights) stands in: its translations and attention are noise.",
                       notes={"Helsinki-NLP/opus-mt-en-de": "English → German, a real Marian model"})
try:
    model = ui.model(info.name)
except Exception as e:  # noqa: BLE001 - a broken or partial checkpoint: one sentence, not a traceback
    st.error(f"{info.name} could not be loaded: {e}")
    st.stop()
tiny = lesson.is_tiny(model)
text = ui.text_box("English sentence to translate", "ed_text",
                   samples=lesson.SAMPLES_TINY if tiny else lesson.SAMPLES_PRETRAINED + lesson.SAMPLES_TINY[:1])
S = _source(info.name, text)
ui.text_notes(S["notes"])
gram = S["grammar"]
if gram and gram["message"]:
    (st.warning if gram["unknown"] else st.info)(gram["message"])
R = _translate(info.name, tuple(S["ids"]))
src, out = R["src_tokens"], R["tokens"]
n_out = len(out) - 1

st.subheader("1. The translation")
st.latex(r"H=\mathrm{Encoder}(x),\qquad y_t=\arg\max_y\,p(y\mid y_{<t},H)\quad\text{until }y_t=\langle\text{eos}\rangle")
st.markdown(f"**Source** ({S['tokenizer']}, S = {len(src)} tokens, ending with the end token):")
ui.token_chips(src, S["ids"], special=S["special"], unknown=S["unknown"])
st.markdown(f"**Written by the decoder**, greedily (the most likely token each step), {n_out} tokens, stopped by "
            + ("its end token:" if R["stopped"] == "eos" else f"the length limit ({lesson.MAX_NEW_TOKENS}):"))
ui.token_chips(out, R["out"], special=R["special"])
st.markdown(f"### {R['text'] or '∅'}")
if gram and gram["korean"]:
    same = R["text"].split() == gram["korean"].split()
    (st.success if same else st.warning)(f"The grammar's reference: **{gram['korean']}** · "
                                       + ("the model wrote exactly this." if same else "the model wrote something else."))
card = lesson.card_numbers(ui.model_card(info.name))
if card:
    ui.metrics(("held-out exact match", f"{card['exact_match']:.1%}", f"greedy, {card['n']} fresh texts (card)"),
               ("cross-attention on the right word", f"{card['alignment_share']:.1%}",
                "head-averaged last layer, at the step that writes the word (card)"),
               ("a diagonal would score", f"{card['monotonic_share']:.1%}", "source word k/K·S for target word k"))
ui.show_code(lesson.translate, lesson.EncoderDecoder.greedy, labels=True)

st.subheader("2. Three kinds of attention")
kind = st.segmented_control("Attention kind", list(lesson.KINDS), key="ed_kind",
                            format_func=lambda k: lesson.KINDS[k]) or "cross"
A = R["attn"][kind]
L, h = A.shape[:2]
q_tok, k_tok = {"encoder": (src, src), "decoder": (out[:-1], out[:-1]), "cross": (out[1:], src)}[kind]
Tq, Tk = A.shape[2:]
hover = {"encoder": f"Encoder self-attention: Q, K, V from the source ({len(src)} tokens); no mask; "
                    f"{L} layers × {h} heads of {len(src)}×{len(src)}",
         "decoder": f"Decoder masked self-attention: Q, K, V from the target so far ({n_out} tokens); causal mask",
         "cross": f"Cross-attention: Q from the target ({n_out}), K and V from the encoder's output ({len(src)}); "
                  f"{n_out}×{len(src)} per head"}
d1, d2 = st.columns([1.4, 1])
ui.chart(figs.fig_transformer(kind, enc_depth=model.cfg.enc_depth, dec_depth=model.cfg.dec_depth, hover=hover),
         "ed_diagram", into=d1, toolbar=False)
with d2:
    st.markdown({"encoder": "**Encoder self-attention.** Every source token looks at every source token (only "
                            "padding is hidden). The encoder runs once per sentence; its output H is the memory.",
                 "decoder": "**Decoder masked self-attention.** Each target token looks at the target tokens "
                            "before it and itself, never ahead, exactly as in GPT, because at generation time the "
                            "future does not exist yet.",
                 "cross": "**Cross-attention.** The decoder's queries look at the encoder's output: this is where "
                          "the translation reads the source. Row t is the step that writes target token t."}[kind])
    st.latex({"encoder": r"A=\mathrm{softmax}\big(QK^\top/\sqrt d\big),\ Q,K,V\ \text{from}\ X_{\text{src}}",
              "decoder": r"A=\mathrm{softmax}\big(QK^\top/\sqrt d+M_{\text{causal}}\big),\ Q,K,V\ \text{from}\ "
                         r"Y_{<t}",
              "cross": r"A=\mathrm{softmax}\big(Q_YK_H^\top/\sqrt d\big),\ A\in\mathbb R^{T\times S}"}[kind])
    st.caption(f"This sentence: {Tq} queries × {Tk} keys per head, {L} layers × {h} heads. "
               "Hover the diagram's boxes for the shapes.")
c1, c2 = st.columns([3, 1])
layer = ui.slider("Layer", 0, L - 1, key="ed_layer", default=L - 1, into=c1)
head = ui.selectbox("Head", list(range(h)), key="ed_head", default=0, into=c2)
ui.take_click("ed_headview", "ed_query")
q = ui.slider("Query token (or click one on the left of the lines)", 0, max(Tq - 1, 0), key="ed_query",
              default=max(Tq - 1, 0) // 2) if Tq > 1 else 0
mask = lesson.causal_mask(Tq).numpy() if kind == "decoder" else None
v1, v2 = st.columns([1, 1.2])
ui.chart(figs.fig_head_view(A[layer, head], q_tok, k_tok, selected=q, title=f"{lesson.KINDS[kind]}, layer {layer}, "
                            f"head {head}", q_label="query", k_label="key"), "ed_headview", into=v1,
         on_select="rerun", selection_mode="points")
ui.chart(figs.fig_token_matrix(A[layer, head], q_tok, k_tok, selected=q, mask=mask, title=f"The {Tq}×{Tk} matrix",
                               q_title="query (target)" if kind != "encoder" else "query (source)",
                               k_title="key (source)" if kind != "decoder" else "key (target)"), "ed_matrix", into=v2)
ui.chart(figs.fig_head_grid(A, [[f"head {hi} · max {A[li, hi].max():.2f}" for hi in range(h)] for li in range(L)],
                            selected=(layer, head), q_tokens=q_tok, k_tokens=k_tok, panel_px=130), "ed_heads")
st.caption("Every head of every layer for this kind of attention (the chosen one outlined); each has its own colour "
           "range, 0 to its maximum.")
ui.show_code({"encoder": lesson.EncoderDecoder.encode, "decoder": lesson.DecoderBlock.forward,
              "cross": lesson.CrossAttention.forward}[kind], lesson.EncoderDecoder.decode, labels=True)

st.subheader("3. Does cross-attention find the word it translates?")
share = None
if gram and gram["korean"]:
    F = _forced(info.name, tuple(S["ids"]), tuple(gram["korean_ids"]))
    avg = st.toggle("Average the heads of the layer (the model card's measure)", key="ed_avg")
    C = F["attn"]["cross"]
    M = C[layer].mean(0) if avg else C[layer, head]
    share = lesson.alignment_share(C, gram["alignment"], lesson.word_starts(S["word_ids"]))
    st.markdown("Korean puts the verb last and the relation after the landmark, so the true alignment (green) is "
                "**no diagonal**. Here the decoder is fed the grammar's reference translation (teacher forcing, as in "
                "training), so every row is the step that writes one reference word.")
    a1, a2 = st.columns([1, 1.2])
    what = f"layer {layer}, " + ("mean of the heads" if avg else f"head {head}")
    ui.chart(figs.fig_head_view(M, F["tokens"], src, true_pairs=share["pairs"], title=what, q_label="Korean word",
                                k_label="English source"), "ed_align_lines", into=a1)
    ui.chart(figs.fig_token_matrix(M, F["tokens"], src, true_pairs=share["pairs"], q_title="Korean word written",
                                   k_title="English source token", title=f"Cross-attention, {what}"), "ed_align",
             into=a2)
    ui.chart(figs.fig_alignment_heads(share["by_head"], mean_last=share["mean_last"], n=share["n"]), "ed_align_heads")
    best = share["by_head"].max()
    st.caption(f"{share['n']} aligned words in this sentence. The best single head finds {best:.0%} of them; the "
               f"head average of the last layer {share['mean_last']:.0%}"
               + (f" (on {card['n']} held-out texts: {card['alignment_share']:.0%})." if card else "."))
    ui.show_code(lesson.alignment_share)
else:
    st.info("The grammar's true alignment exists only for the tiny English → Korean model and sentences of its "
            "grammar (pick a sample). Section 2 shows the cross-attention of the model's own translation.")

st.subheader("4. Decoding, step by step")
st.markdown("At step t the decoder runs only the newest token (its keys and values join the cache; the encoder's "
            "keys and values are computed once), and its cross-attention row shows where it reads the source "
            "while it chooses word t (green: the source word the grammar aligns it with, when the model wrote the "
            "reference).")
st.latex(r"a_t=\mathrm{softmax}\big(q_t K_H^\top/\sqrt d\big)\in\mathbb R^{S},\qquad "
         r"y_{t}=\arg\max_y\,p(y\mid y_{<t},x)")
if n_out:
    step = ui.slider("Step", 1, n_out, key="ed_step", default=1)
    ui.token_chips(out[: step + 1], R["out"][: step + 1], special=R["special"][: step + 1], chosen=step)
    row = R["step_cross"][step - 1, layer].mean(0) if st.session_state.get("ed_avg") else \
        R["step_cross"][step - 1, layer, head]
    true = dict(share["pairs"]).get(step - 1) if share and R["out"] == gram["korean_ids"] else None  # same words
    ui.chart(figs.fig_step(row, src, R["step_top_tokens"][step - 1], R["step_top_p"][step - 1], true_col=true,
                           title=f"Step {step} writes {out[step]!r}: its cross-attention (layer {layer}, "
                                 + ("mean of the heads" if st.session_state.get("ed_avg") else f"head {head}")
                                 + ") and the candidates"), "ed_step_fig")
    st.caption(f"The rows saved during decoding equal the full pass's rows of section 2: max |Δ| = {R['max_diff']:.1e}.")
ui.show_code(lesson.EncoderDecoder.decode)
ui.keep_widgets(KEEP)
