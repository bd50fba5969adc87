"""Lesson: BERT and GPT. One sentence, two masks: fill in a word (BERT) or write the next one (GPT)."""

from mmviz import ui
from mmviz.figures import bert_gpt as figs
from mmviz.lessons import bert_gpt as lesson
from mmviz.ui import st

ui.start_page()
figs = ui.cached_figures(figs)  # a rerun rebuilds only the figures whose numbers changed
T, F = ui.texts("bert_gpt"), lesson.FORMULAS
KEEP = {"bg_text": None, "bg_look": "BERT", "bg_temp": 1.0, "bg_topk": 0, "bg_topp": 1.0, "bg_seed": 0, "bg_gseed": 0}


@ui.cached(max_entries=32, spinner=False)
def _sentence(name: str, family: str, text: str) -> dict:
    return lesson.sentence(ui.model(name), family, text)


@ui.cached(max_entries=256)
def _call(fn: str, name: str, *args, **kw):  # a lesson function of one model, cached by its arguments
    return getattr(lesson, fn)(ui.model(name), *args, **kw)


st.title(T("title"))
ui.keep_widgets(KEEP)
with ui.section(T, "s_intro", expanded=True, md=T("intro"), latex=F["intro"]):
    c1, c2 = st.columns(2)
    with c1:
        bi = ui.model_picker("bert", "bg_bert", label=T("pick_bert"), missing_embedded=T("missing_bert"))
    with c2:
        gi = ui.model_picker("gpt", "bg_gpt", label=T("pick_gpt"), missing_embedded=T("missing_gpt"))
    try:
        bert, gpt = ui.model(bi.name), ui.model(gi.name)
    except Exception as e:  # noqa: BLE001 - a broken or partial checkpoint: one sentence, not a traceback
        st.error(T("load_error", why=e))
        st.stop()
    tiny = lesson.is_tiny(bert) and lesson.is_tiny(gpt)
    samples = lesson.SAMPLES_TINY if tiny else lesson.SAMPLES_PRETRAINED + lesson.SAMPLES_TINY[:1]
    text = ui.text_box(T("text_label"), "bg_text", samples=samples, help=T("text_help"))
    with st.spinner(T("running")):
        B, G = _sentence(bi.name, "bert", text), _sentence(gi.name, "gpt", text)
    ui.token_notes(B["enc"], G["enc"])
    gram = lesson.grammar(bert.tokenizer, text) if tiny else None
    if gram and gram["reason"]:
        unk = ", ".join(f"'{w}'" for w in gram["unknown"][:8]) + (", …" if len(gram["unknown"]) > 8 else "")
        st.info(T("grammar_note", reason=gram["reason"]) + (" " + T("grammar_unknown", words=unk) if unk else "")
                + " " + T("grammar_try"))
    look = ui.segmented(T("look"), ["BERT", "GPT"], key="bg_look", default="BERT")
S, fam, info = (B, "bert", bi) if look == "BERT" else (G, "gpt", gi)
toks, n = S["enc"]["tokens"], S["numbers"]

with ui.section(T, "s_tokens", expanded=True, md=T("tokens_md"), latex=F["tokens"]):
    for col, (nm, X) in zip(st.columns(2), (("BERT", B), ("GPT", G))):
        with col:
            st.markdown(T("tokens_head", model=nm, tokenizer=X["enc"]["tokenizer"], T=len(X["enc"]["ids"])))
            ui.token_chips(X["enc"]["tokens"], X["enc"]["ids"], special=X["enc"]["special"],
                           unknown=X["enc"]["unknown"])
    ui.show_code(lesson.bounded)

with ui.section(T, "s_embed", md=T("embed_md"), look=look):
    e = S["embed"]
    parts = [("token E[id]", e["token"]), ("position P[t]", e["position"])]
    if fam == "bert":
        parts += [("segment S[0]", e["segment"]), ("x₀ = LayerNorm(sum)", e["x0"])]
    else:
        parts.append(("x₀ = sum", e["x0"]))
    st.latex(F[f"embed_{fam}"])
    ui.chart(figs.fig_embeddings(parts, toks), "bg_embed", numbers={k: e[k] for k in ("token", "position", "segment", "x0")
                                                                 if e[k] is not None})
    st.caption(T("embed_caption", V=e["table_shape"][0], D=e["table_shape"][1], T=n["T"], diff=e["max_diff"]))
    ui.show_code(lesson.embedding_lookup)

with ui.section(T, "s_masks", expanded=True, md=T("masks_md"), latex=F["masks"]):
    L, h, Tg = n["L"], n["h"], len(G["enc"]["ids"])  # Tg: GPT's tokens
    c1, c2 = st.columns([3, 1])
    layer = ui.slider(T("layer"), 0, L - 1, key="bg_layer", default=L - 1, into=c1)
    head = ui.selectbox(T("head"), list(range(h)), key="bg_head", default=0, into=c2)
    answered = ui.predict("bg_q_mask", T("q_mask", T=Tg), lo=0, hi=Tg ** 2, context=tuple(G["enc"]["ids"]),
                          reveal=lambda: (int(lesson.masks(Tg)["causal"].sum()), T("q_mask_why", T=Tg))) is not None
    for col, (nm, X, m) in zip(st.columns(2), (("BERT", B, "bidirectional"), ("GPT", G, "causal"))):
        mk = lesson.masks(len(X["enc"]["ids"]))[m]
        if m == "causal" and not answered:  # GPT's mask and its attention's grey cells would give the count away
            col.caption(T("q_mask_wait"))
            continue
        li, hi = min(layer, X["numbers"]["L"] - 1), min(head, X["numbers"]["h"] - 1)
        ui.chart(figs.fig_mask(mk, X["enc"]["tokens"], title=T(f"mask_title_{m}", model=nm, n=int(mk.sum()),
                                                                 size=mk.size)), f"bg_mask_{m}", into=col)
        ui.chart(figs.fig_token_matrix(X["attn"][li, hi], X["enc"]["tokens"], mask=mk,
                                       title=T("att_title", model=nm, layer=li, head=hi)), f"bg_att_{m}", into=col,
                 numbers={"attention": X["attn"][li, hi], "mask": mk})
    ui.show_code(lesson.causal_mask, lesson.attend, labels=True)

with ui.section(T, "s_heads", md=T("heads_md"), latex=F["heads"], look=look, layer=layer, head=head):
    ref_word = lesson.KNOWN_REFERENTS.get(text.strip())
    pron = lesson.pronoun_attention(S["attn"], S["enc"], gram["referents"] if gram else None, ref_word)
    q0 = pron[0]["pos"] if pron else n["T"] // 2
    ui.follow("bg_query", (text, look), q0)  # a new sentence starts at its pronoun
    ui.take_click("bg_headview", "bg_query")
    q = ui.selectbox(T("query"), list(range(n["T"])), key="bg_query", default=q0,
                     format_func=lambda i: f"{i}: {toks[i]}")
    A = S["attn"][layer, head]
    a1, a2 = st.columns([1, 1.3])
    ui.chart(figs.fig_head_view(A, toks, selected=q, title=T("headview_title", model=look, layer=layer, head=head)),
             "bg_headview", into=a1, on_select="rerun", selection_mode="points")
    ui.chart(figs.fig_token_matrix(A, toks, selected=q, mask=lesson.masks(n["T"])["causal"] if fam == "gpt" else None,
                                   title=T("matrix_title", T=n["T"])), "bg_matrix", into=a2, numbers={"attention": A})
    top = A[q].argsort()[::-1][:3]
    st.caption(T("row_caption", q=q, tok=toks[q], top=", ".join(f"{toks[j]} {A[q, j]:.3f}" for j in top),
                 sum=A[q].sum(), h=n["h"], D=n["D"], d=n["d"]))
    ui.show_code(lesson.Attention.forward)

with ui.section(T, "s_summary", md=T("summary_md"), latex=F["summary"], look=look):
    P = S["patterns"]
    kind = lambda k: T(f"pattern_{k.replace(' ', '_')}")  # noqa: E731
    counts = ", ".join(f"{kind(k)} {v}" for k, v in P["counts"].items())
    answered = ui.predict("bg_q_heads", T("q_heads", model=look, n=n["L"] * n["h"]), options=[
        *lesson.PATTERNS, "broad", "mixed"], format_func=kind, context=(text, look, info.name),
        reveal=lambda: (max(P["counts"], key=P["counts"].get), T("q_heads_why", counts=counts))) is not None
    titles = P["titles"] if answered else [["?"] * n["h"]] * n["L"]  # open: the maps without their labels
    ui.chart(figs.fig_head_grid(S["attn"], titles, selected=(layer, head), q_tokens=toks), "bg_heads",
             numbers={"attention": S["attn"], "scores": P["scores"], "spread": P["spread"]})
    st.caption(T("summary_caption", counts=counts) if answered else T("q_heads_wait"))
    ui.show_code(lesson.head_patterns)

with ui.section(T, "s_fill", md=T("fill_md"), latex=F["fill"]):
    bt, bids = B["enc"]["tokens"], tuple(B["enc"]["ids"])
    ordinary = [i for i, s in enumerate(B["enc"]["special"]) if not s] or [0]
    pos = ui.pills(T("mask_pos"), ordinary, key="bg_maskpos", format_func=lambda i: f"{bt[i]} ·{i}") \
        or ordinary[len(ordinary) // 2]
    if bert.cfg.mlm_head:
        Fm = _call("fill_mask", bi.name, bids, pos)
        f1, f2 = st.columns([1.3, 1])
        ui.chart(figs.fig_fillers(Fm["tokens"], Fm["probs"], original=bt[pos], title=T("fill_title", pos=pos)),
                 "bg_fill", into=f1)
        with f2:
            ui.metrics((f"p({bt[pos]})", f"{Fm['original_p']:.3f}"), (T("its_rank"), Fm["original_rank"]),
                       (T("entropy"), f"{Fm['entropy']:.2f}"))
            gp = G["gpt"]
            if G["enc"]["tokens"][1:-1] == bt[1:-1] and 1 <= pos <= len(gp["p_next"]):
                st.markdown(T("gpt_left", pos=pos, guess=gp["top1_tokens"][pos - 1], p=gp["top1_p"][pos - 1],
                              tok=bt[pos], p_tok=gp["p_next"][pos - 1]))
        if "accuracy" in (bc := ui.model_card(bi.name).get("heldout", {})):
            st.caption(T("fill_card", n=bc["masked_tokens"], acc=bc["accuracy"], unigram=bc["unigram_token"],
                         uacc=bc["unigram_accuracy"]))
    else:
        st.warning(T("no_mlm"))
    ui.show_code(lesson.fill_mask, lesson.BERT.mlm_logits)
    st.markdown(T("recipe_md"))
    st.latex(F["recipe"])
    seed = ui.number(T("seed"), 0, 10_000, key="bg_seed", default=0, step=1)
    if bert.cfg.mlm_head:
        R = _call("masking_recipe", bi.name, bids, tuple(B["enc"]["special"]), int(seed))
        ui.chart(figs.fig_recipe(bt, R["how"], R["read"], R["guess"], R["p_true"], lesson.HOW), "bg_recipe")
        sh = R["shares"]
        ui.metrics((T("chosen"), f"{sh['chosen']:.1%}", T("chosen_help", draws=sh["draws"])),
                   *((k, f"{sh[k]:.1%}", T("how_help")) for k in lesson.HOW[1:]),
                   (T("draw_loss"), f"{R['loss']:.3f}" if R["loss"] == R["loss"] else T("nothing_chosen")))
    ui.show_code(lesson.mask_tokens)

with ui.section(T, "s_generate", md=T("generate_md"), latex=F["generate"]):
    g1, g2, g3, g4 = st.columns(4)
    temp = ui.slider(T("temperature"), 0.1, 2.0, key="bg_temp", default=1.0, step=0.1, into=g1)
    topk = ui.select_slider(T("top_k"), [0, 1, 2, 3, 5, 10, 20, 50], key="bg_topk", default=0, into=g2)
    topp = ui.slider("top-p", 0.05, 1.0, key="bg_topp", default=1.0, step=0.05, into=g3)
    gseed = ui.number(T("sampling_seed"), 0, 10_000, key="bg_gseed", default=0, step=1, into=g4)
    ctl = {"temperature": temp, "top_k": topk, "top_p": topp}
    NT = lesson.next_token(G["gpt"]["logits_last"], **ctl, k=8, tok=gpt.tokenizer)
    after, top = G["enc"]["tokens"][-2], int(NT["plain"].argmax())
    answered = ui.predict("bg_q_next", T("q_next", after=after), options=sorted(set(NT["tokens"][:6])), context=(
        gi.name, tuple(G["enc"]["ids"])), reveal=lambda: (NT["tokens"][top], T("q_next_why", p=float(NT["plain"][top]))))
    ui.chart(figs.fig_next_token(NT["tokens"], NT["plain"], NT["probs"], title=T("next_title", after=after)), "bg_next") \
        if answered is not None else st.caption(T("q_next_wait"))  # the bars give the answer away
    ui.metrics((T("kept"), f"{NT['kept']:,}"), (T("kept_mass"), f"{NT['kept_mass']:.3f}"),
               (T("entropy_change"), f"{NT['entropy_plain']:.2f} → {NT['entropy']:.2f}"))
    prompt = G["enc"]["ids"][:-1]
    gen = st.session_state.setdefault("bg_gen", {})
    if gen.get("key") != (gi.name, tuple(prompt)) or st.session_state.pop("bg_reset_now", False):
        gen.update(key=(gi.name, tuple(prompt)), ids=list(prompt), steps=[])
    limit = min(gpt.cfg.context_length, len(prompt) + lesson.MAX_NEW_TOKENS)
    done = lambda: gen["ids"][-1] == gpt.cfg.eos_id and len(gen["ids"]) > len(prompt) or len(gen["ids"]) >= limit  # noqa
    b1, b2, b3, _ = st.columns([1, 1, 1, 2])
    one, all_, _r = (b1.button(T("next_btn"), key="bg_next_btn", disabled=done(), type="primary"),
                     b2.button(T("all_btn"), key="bg_all_btn", disabled=done()),
                     b3.button(T("reset"), key="bg_reset", on_click=lambda: st.session_state.update(bg_reset_now=True)))
    while (one or all_) and not done():
        gen["steps"].append(_call("generation_step", gi.name, tuple(gen["ids"]), **ctl, seed=int(gseed)))
        gen["ids"].append(gen["steps"][-1]["id"])
        one = False
    gtoks = [lesson.piece(gpt.tokenizer, i) for i in gen["ids"]]
    ui.token_chips(gtoks, gen["ids"], special=[i < 1 for i in range(len(gtoks))],
                   chosen=len(gtoks) - 1 if gen["steps"] else None)
    if gen["steps"]:
        last = gen["steps"][-1]
        li, hi = min(layer, G["numbers"]["L"] - 1), min(head, G["numbers"]["h"] - 1)
        ui.chart(figs.fig_step_row(last["row"][li, hi], gtoks[:-1], new_from=len(prompt), title=T(
            "step_title", k=len(gen["steps"]), prev=gtoks[-2], tok=last["token"], p=last["prob"], layer=li, head=hi)),
            "bg_step")
        stop = "stop_eos" if done() and gen["ids"][-1] == gpt.cfg.eos_id else "stop_length" if done() else None
        st.caption((T(stop) + " " if stop else "") + T("written", k=len(gen["steps"]), n=len(prompt)))
    ui.show_code(lesson.next_token_probs, lesson.sample_next, lesson.GPT.generate, labels=True)

with ui.section(T, "s_teacher", md=T("teacher_md"), latex=F["teacher"]):
    TF = lesson.teacher_forcing(G["gpt"]["log_probs"])
    chk = _call("step_by_step_check", gi.name, tuple(G["enc"]["ids"]))
    ui.chart(figs.fig_teacher_forcing(G["enc"]["tokens"], TF["loss"], G["gpt"]["top1_tokens"], G["gpt"]["top1_p"],
                                      mean=TF["mean"]), "bg_tf", numbers={"loss": TF["loss"]})
    card = ui.model_card(gi.name).get("heldout", {})
    ui.metrics((T("mean_loss"), f"{TF['mean']:.3f}"), (T("perplexity"), f"{TF['perplexity']:.2f}"),
               (T("one_pass"), f"{chk['max_diff']:.1e}", T("one_pass_help", steps=chk["steps"])),
               *([(T("card_perplexity"), f"{card['perplexity']:.2f}", T("card_perplexity_help", **card))]
                 if "perplexity" in card else []))
    ui.show_code(lesson.teacher_forcing, lesson.step_by_step_check)

with ui.section(T, "s_cache", md=T("cache_md"), latex=F["cache"]):
    K = lesson.cache_costs(gpt, len(prompt), max(1, len(gen["steps"]), limit - len(prompt)))
    Z = _call("cache_size", gi.name, tuple(gen["ids"]))
    st.caption(T("cache_caption", n=len(prompt), k=len(K["steps"]), **K["dims"]))
    ui.chart(figs.fig_cache_costs(K["steps"], K["macs_full"], K["macs_cached"]), "bg_cache",
             numbers={"step": K["steps"], "no_cache": K["macs_full"], "kv_cache": K["macs_cached"]})
    ui.metrics((T("macs_full"), f"{K['total_full']:,}"), (T("macs_cached"), f"{K['total_cached']:,}"),
               (T("ratio"), f"{K['ratio']:.3f}"), ("KVCache.numel()", f"{Z['numel']:,}", T(
                   "numel_help", formula=Z["formula"], kib=Z["bytes"] / 1024, shape=Z["per_layer_shape"])))
    ui.show_code(lesson.KVCache, lesson.cache_costs)

with ui.section(T, "s_pronoun", md=T("pronoun_md"), latex=F["pronoun"], look=look):
    if pron:
        p0 = pron[0]
        ui.chart(figs.fig_pronoun(p0["on_referent"], [[toks[j] for j in r] for r in p0["peak"]], pronoun=p0["token"],
                                  referent=toks[p0["referent"]] if p0["referent"] is not None else None), "bg_pronoun")
        st.caption(T("pronoun_hits", hits=p0["hits"], n=n["L"] * n["h"]) if p0["referent"] is not None
                   else T("pronoun_none"))
    else:
        st.info(T("no_pronoun"))
    cards = [(nm, co) for nm, mi in (("BERT", bi), ("GPT", gi)) if (co := lesson.coreference(ui.model_card(mi.name)))]
    for col, (nm, co) in zip(st.columns(max(1, len(cards))), cards):
        ui.chart(figs.fig_coreference(co["by_head"], first_noun=co["first_noun"], nearest_noun=co["nearest_noun"],
                                      n=co["n"]), f"bg_coref_{nm}", into=col, numbers={"by_head": co["by_head"]})
        b, beaten = co["best"], len(co["beaten"])
        verdict = T("coref_beaten_1" if beaten == 1 else "coref_beaten_n", k=beaten, base=co["base"], **b,
                    n=co["n"]) if beaten else T("coref_none", **b, n=co["n"], first=co["first_noun"],
                                                 nearest=co["nearest_noun"])
        col.markdown(T("coref_card", model=nm, verdict=verdict))
    ui.show_code(lesson.pronoun_attention)

with ui.section(T, "s_uses", md=T("uses_md")):
    cols = ("", T("col_bert"), T("col_gpt"))
    ui.table([dict(zip(cols, (T(f"uses_{k}"), T(f"uses_{k}_bert"), T(f"uses_{k}_gpt")))) for k in lesson.USES]
             + [dict(zip(cols, (T("uses_params"), f"{B['params']:,}", f"{G['params']:,}")))], key="bg_uses")
    ui.show_code(lesson.parameters, lesson.BERT.forward, lesson.GPT.forward, labels=True)
ui.keep_widgets(KEEP)
