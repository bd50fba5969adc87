"""Lesson: BERT and GPT. One sentence, two masks: fill in a word (BERT) or write the next one (GPT)."""

from mmviz import ui
from mmviz.figures import bert_gpt as figs
from mmviz.lessons import bert_gpt as lesson
from mmviz.ui import st

ui.start_page()
figs = ui.cached_figures(figs)  # a rerun rebuilds only the figures whose numbers changed
KEEP = {"bg_text": None, "bg_look": "BERT", "bg_temp": 1.0, "bg_topk": 0, "bg_topp": 1.0, "bg_seed": 0, "bg_gseed": 0}


@ui.cached(max_entries=32, spinner="Running the model once, keeping every attention map…")
def _sentence(name: str, family: str, text: str) -> dict:
    return lesson.sentence(ui.model(name), family, text)


@ui.cached(max_entries=256)
def _call(fn: str, name: str, *args, **kw):  # a lesson function of one model, cached by its arguments
    return getattr(lesson, fn)(ui.model(name), *args, **kw)


def _section(title: str, key: str | None = None) -> None:
    """A numbered section: its title, the intuition and the formula (mmviz.lessons.bert_gpt.prose)."""
    st.subheader(title)
    intuition, formula = lesson.SECTIONS[key] if key else ("", None)
    if intuition:
        st.markdown(intuition)
    if formula:
        st.latex(formula)


st.title("BERT and GPT")
st.markdown(lesson.INTRO[0])
st.latex(lesson.INTRO[1])
ui.keep_widgets(KEEP)
c1, c2 = st.columns(2)
with c1:
    bi = ui.model_picker("bert", "bg_bert", label="BERT (encoder)", missing_embedded="The trained tiny BERT is not "
                         "here yet, so its untrained twin (random weights) stands in.")
with c2:
    gi = ui.model_picker("gpt", "bg_gpt", label="GPT (decoder)", missing_embedded="The trained tiny GPT is not here "
                         "yet, so its untrained twin (random weights) stands in.")
try:
    bert, gpt = ui.model(bi.name), ui.model(gi.name)
except Exception as e:  # noqa: BLE001 - a broken or partial checkpoint: one sentence, not a traceback
    st.error(f"A model could not be loaded: {e}")
    st.stop()
tiny = lesson.is_tiny(bert) and lesson.is_tiny(gpt)
samples = lesson.SAMPLES_TINY if tiny else lesson.SAMPLES_PRETRAINED + lesson.SAMPLES_TINY[:1]
text = ui.text_box("Your sentence", "bg_text", samples=samples, help="Anything: every text gets tokens.")
B, G = _sentence(bi.name, "bert", text), _sentence(gi.name, "gpt", text)
ui.text_notes(list(dict.fromkeys(B["enc"]["notes"] + G["enc"]["notes"])))
gram = lesson.grammar(bert.tokenizer, text) if tiny else None
if gram and gram["note"]:
    st.info(gram["note"])
look = st.segmented_control("Look inside", ["BERT", "GPT"], key="bg_look") or "BERT"
S, fam, info = (B, "bert", bi) if look == "BERT" else (G, "gpt", gi)
toks, n = S["enc"]["tokens"], S["numbers"]

_section("1. Tokens: the sentence as ids", "tokens")
for col, (nm, X) in zip(st.columns(2), (("BERT", B), ("GPT", G))):
    with col:
        st.markdown(f"**{nm}** · {X['enc']['tokenizer']} · T = {len(X['enc']['ids'])} tokens")
        ui.token_chips(X["enc"]["tokens"], X["enc"]["ids"], special=X["enc"]["special"], unknown=X["enc"]["unknown"])
ui.show_code(lesson.bounded)

_section(f"2. Embedding lookup ({look}): one row per token, plus its position", "embed")
e = S["embed"]
parts = [("token E[id]", e["token"]), ("position P[t]", e["position"])]
if fam == "bert":
    parts += [("segment S[0]", e["segment"]), ("x₀ = LayerNorm(sum)", e["x0"])]
    st.latex(r"x_t=\mathrm{LayerNorm}(E[\mathrm{id}_t]+P[t]+S[\mathrm{segment}_t])")
else:
    parts.append(("x₀ = sum", e["x0"]))
    st.latex(r"x_t = E[\mathrm{id}_t] + P[t]")
ui.chart(figs.fig_embeddings(parts, toks), "bg_embed")
st.caption(f"The table E is {e['table_shape'][0]:,} × {e['table_shape'][1]} (V × D); looking up {n['T']} ids gives "
           f"{n['T']} × {n['D']}. Recomputed here vs the model's own embedding: max |Δ| = {e['max_diff']:.1e}.")
ui.show_code(lesson.embedding_lookup)

_section("3. Two masks, the same sentence", "masks")
L, h = n["L"], n["h"]
c1, c2 = st.columns([3, 1])
layer = ui.slider("Layer", 0, L - 1, key="bg_layer", default=L - 1, into=c1)
head = ui.selectbox("Head", list(range(h)), key="bg_head", default=0, into=c2)
for col, (nm, X, m) in zip(st.columns(2), (("BERT", B, "bidirectional"), ("GPT", G, "causal"))):
    mk = lesson.masks(len(X["enc"]["ids"]))[m]
    li, hi = min(layer, X["numbers"]["L"] - 1), min(head, X["numbers"]["h"] - 1)
    ui.chart(figs.fig_mask(mk, X["enc"]["tokens"], title=f"{nm}: {m} ({mk.sum()} of {mk.size} cells visible)"),
             f"bg_mask_{m}", into=col)
    ui.chart(figs.fig_token_matrix(X["attn"][li, hi], X["enc"]["tokens"], mask=mk,
                                   title=f"{nm}'s attention, layer {li}, head {hi}"), f"bg_att_{m}", into=col)
ui.show_code(lesson.causal_mask, lesson.attend, labels=True)

_section(f"4. Who looks at whom ({look}, layer {layer}, head {head})", "heads")
ref_word = lesson.KNOWN_REFERENTS.get(text.strip())
pron = lesson.pronoun_attention(S["attn"], S["enc"], gram["referents"] if gram else None, ref_word)
q0 = pron[0]["pos"] if pron else n["T"] // 2
ui.follow("bg_query", (text, look), q0)  # a new sentence starts at its pronoun
ui.take_click("bg_headview", "bg_query")
q = ui.selectbox("Query token", list(range(n["T"])), key="bg_query", default=q0, format_func=lambda i: f"{i}: {toks[i]}")
A = S["attn"][layer, head]
a1, a2 = st.columns([1, 1.3])
ui.chart(figs.fig_head_view(A, toks, selected=q, title=f"{look} layer {layer}, head {head}"), "bg_headview",
         into=a1, on_select="rerun", selection_mode="points")
ui.chart(figs.fig_token_matrix(A, toks, selected=q, mask=lesson.masks(n["T"])["causal"] if fam == "gpt" else None,
                               title=f"The {n['T']}×{n['T']} matrix (each row sums to 1)"), "bg_matrix", into=a2)
top = A[q].argsort()[::-1][:3]
st.caption(f"Row {q} ({toks[q]}): " + ", ".join(f"{toks[j]} {A[q, j]:.3f}" for j in top) +
           f" · row sum {A[q].sum():.4f} · {n['h']} heads of d = {n['D']}/{n['h']} = {n['d']} dimensions each.")
ui.show_code(lesson.Attention.forward)

_section(f"5. Every head of {look} at a glance", "summary")
P = S["patterns"]
ui.chart(figs.fig_head_grid(S["attn"], P["titles"], selected=(layer, head), q_tokens=toks), "bg_heads")
st.caption("Each head is labelled by what it does on this sentence: the position with the largest mean weight over "
           "rows 2…T−1 (previous token A[i,i−1], first A[i,0], itself A[i,i], next A[i,i+1], last A[i,T−1]) if it "
           "holds ≥ 40%; else 'broad' (entropy ≥ 60% of its maximum) or 'mixed'. Counts: "
           + ", ".join(f"{k} {v}" for k, v in P["counts"].items()) + ".")
ui.show_code(lesson.head_patterns)

_section("6. BERT fills in a masked word", "fill")
bt, bids = B["enc"]["tokens"], tuple(B["enc"]["ids"])
ordinary = [i for i, s in enumerate(B["enc"]["special"]) if not s] or [0]
pos = st.pills("Token to mask", ordinary, key="bg_maskpos", format_func=lambda i: f"{bt[i]} ·{i}") \
    or ordinary[len(ordinary) // 2]
if bert.cfg.mlm_head:
    F = _call("fill_mask", bi.name, bids, pos)
    f1, f2 = st.columns([1.3, 1])
    ui.chart(figs.fig_fillers(F["tokens"], F["probs"], original=bt[pos], title=f"[MASK] at {pos}: BERT's guesses"),
             "bg_fill", into=f1)
    with f2:
        ui.metrics((f"p({bt[pos]})", f"{F['original_p']:.3f}"), ("its rank", F["original_rank"]),
                   ("entropy (nats)", f"{F['entropy']:.2f}"))
        gp = G["gpt"]
        if G["enc"]["tokens"][1:-1] == bt[1:-1] and 1 <= pos <= len(gp["p_next"]):
            st.markdown(f"**GPT reads the left side only.** Its guess at position {pos}: "
                        f"`{gp['top1_tokens'][pos - 1]}` ({gp['top1_p'][pos - 1]:.3f}); p({bt[pos]}) = "
                        f"{gp['p_next'][pos - 1]:.3f}.")
    if "accuracy" in (bc := ui.model_card(bi.name).get("heldout", {})):
        st.caption(f"Held out (model card, {bc['masked_tokens']:,} masked tokens): BERT fills in {bc['accuracy']:.1%}; "
                   f"always guessing the commonest token ('{bc['unigram_token']}') scores {bc['unigram_accuracy']:.1%}.")
else:
    st.warning("This BERT checkpoint has no masked-LM head, so it cannot fill in words.")
ui.show_code(lesson.fill_mask, lesson.BERT.mlm_logits)
st.markdown(lesson.SECTIONS["recipe"][0])
st.latex(lesson.SECTIONS["recipe"][1])
seed = st.number_input("Draw (seed)", 0, 10_000, key="bg_seed", step=1)
if bert.cfg.mlm_head:
    R = _call("masking_recipe", bi.name, bids, tuple(B["enc"]["special"]), int(seed))
    ui.chart(figs.fig_recipe(bt, R["how"], R["read"], R["guess"], R["p_true"], lesson.HOW), "bg_recipe")
    sh = R["shares"]
    ui.metrics(("chosen", f"{sh['chosen']:.1%}", f"of the ordinary tokens, {sh['draws']:,} draws (target 15%)"),
               *((k, f"{sh[k]:.1%}", "of the chosen (target 80 / 10 / 10%)") for k in lesson.HOW[1:]),
               ("loss of this draw", f"{R['loss']:.3f}" if R["loss"] == R["loss"] else "nothing chosen"))
ui.show_code(lesson.mask_tokens)

_section("7. GPT writes, one token at a time", "generate")
g1, g2, g3, g4 = st.columns(4)
temp = g1.slider("Temperature τ", 0.1, 2.0, key="bg_temp", step=0.1)
topk = g2.select_slider("top-k (0 = all)", [0, 1, 2, 3, 5, 10, 20, 50], key="bg_topk")
topp = g3.slider("top-p", 0.05, 1.0, key="bg_topp", step=0.05)
gseed = g4.number_input("Sampling seed", 0, 10_000, key="bg_gseed", step=1)
ctl = {"temperature": temp, "top_k": topk, "top_p": topp}
NT = lesson.next_token(G["gpt"]["logits_last"], **ctl, k=8, tok=gpt.tokenizer)
ui.chart(figs.fig_next_token(NT["tokens"], NT["plain"], NT["probs"], title=f"After “{G['enc']['tokens'][-2]}”: "
                             "the next token"), "bg_next")
ui.metrics(("tokens kept", f"{NT['kept']:,}"), ("their plain probability", f"{NT['kept_mass']:.3f}"),
           ("entropy (nats), before → after", f"{NT['entropy_plain']:.2f} → {NT['entropy']:.2f}"))
prompt = G["enc"]["ids"][:-1]
gen = st.session_state.setdefault("bg_gen", {})
if gen.get("key") != (gi.name, tuple(prompt)) or st.session_state.pop("bg_reset_now", False):
    gen.update(key=(gi.name, tuple(prompt)), ids=list(prompt), steps=[])
limit = min(gpt.cfg.context_length, len(prompt) + lesson.MAX_NEW_TOKENS)
done = lambda: gen["ids"][-1] == gpt.cfg.eos_id and len(gen["ids"]) > len(prompt) or len(gen["ids"]) >= limit  # noqa
b1, b2, b3, _ = st.columns([1, 1, 1, 2])
one, all_, _r = (b1.button("Next token", key="bg_next_btn", disabled=done(), type="primary"),
                 b2.button("Write to <eos>", key="bg_all_btn", disabled=done()),
                 b3.button("Reset", key="bg_reset", on_click=lambda: st.session_state.update(bg_reset_now=True)))
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
    ui.chart(figs.fig_step_row(last["row"][li, hi], gtoks[:-1], new_from=len(prompt), title=f"Step {len(gen['steps'])}"
                               f": {gtoks[-2]} → {last['token']} (p {last['prob']:.3f}); its attention, layer {li}, "
                               f"head {hi}"), "bg_step")
    st.caption(("Stopped: <eos>. " if done() and gen["ids"][-1] == gpt.cfg.eos_id else "Stopped: length limit. "
                if done() else "") + f"{len(gen['steps'])} tokens written after a prompt of {len(prompt)}.")
ui.show_code(lesson.next_token_probs, lesson.sample_next, lesson.GPT.generate, labels=True)

_section("8. Teacher forcing: every position's loss in one pass", "teacher")
TF = lesson.teacher_forcing(G["gpt"]["log_probs"])
chk = _call("step_by_step_check", gi.name, tuple(G["enc"]["ids"]))
ui.chart(figs.fig_teacher_forcing(G["enc"]["tokens"], TF["loss"], G["gpt"]["top1_tokens"], G["gpt"]["top1_p"],
                                  mean=TF["mean"]), "bg_tf")
card = ui.model_card(gi.name).get("heldout", {})
ui.metrics(("mean loss", f"{TF['mean']:.3f}"), ("perplexity e^loss", f"{TF['perplexity']:.2f}"),
           ("one pass vs step by step", f"{chk['max_diff']:.1e}", f"max |Δ logits| over {chk['steps']} steps"),
           *([("held-out perplexity (card)", f"{card['perplexity']:.2f}", f"unigram {card['unigram_perplexity']:.1f}"
               f", bigram {card['bigram_perplexity']:.1f}; grammatical samples {card['grammatical']:.0%}")]
             if "perplexity" in card else []))
ui.show_code(lesson.teacher_forcing, lesson.step_by_step_check)

_section("9. What the KV cache saves", "cache")
K = lesson.cache_costs(gpt, len(prompt), max(1, len(gen["steps"]), limit - len(prompt)))
Z = _call("cache_size", gi.name, tuple(gen["ids"]))
st.caption(f"For this prompt ({len(prompt)} tokens) and {len(K['steps'])} new tokens; L = {K['dims']['L']}, "
           f"D = {K['dims']['D']}, M = {K['dims']['M']} from the weights.")
ui.chart(figs.fig_cache_costs(K["steps"], K["macs_full"], K["macs_cached"]), "bg_cache")
ui.metrics(("multiply-adds, no cache", f"{K['total_full']:,}"), ("with the cache", f"{K['total_cached']:,}"),
           ("ratio", f"{K['ratio']:.3f}"), ("KVCache.numel()", f"{Z['numel']:,}", f"2·L·T·D = {Z['formula']:,}; "
                                            f"{Z['bytes'] / 1024:.0f} KiB; a layer's k: {Z['per_layer_shape']}"))
ui.show_code(lesson.KVCache, lesson.cache_costs)

_section(f"10. Where does “it” look? ({look})", "pronoun")
if pron:
    p0 = pron[0]
    ui.chart(figs.fig_pronoun(p0["on_referent"], [[toks[j] for j in r] for r in p0["peak"]], pronoun=p0["token"],
                              referent=toks[p0["referent"]] if p0["referent"] is not None else None), "bg_pronoun")
    st.caption(f"{p0['hits']} of {n['L'] * n['h']} heads peak on the referent." if p0["referent"] is not None else
               "No referent is known for this sentence: the text shows where each head's row peaks.")
else:
    st.info("This sentence has no 'it' or 'they': pick a sample with one.")
cards = [(nm, co) for nm, mi in (("BERT", bi), ("GPT", gi)) if (co := lesson.coreference(ui.model_card(mi.name)))]
for col, (nm, co) in zip(st.columns(max(1, len(cards))), cards):
    ui.chart(figs.fig_coreference(co["by_head"], first_noun=co["first_noun"], nearest_noun=co["nearest_noun"],
                                  n=co["n"]), f"bg_coref_{nm}", into=col)
    col.markdown(f"**{nm}, measured on held-out texts (model card):** {co['verdict']}")
ui.show_code(lesson.pronoun_attention)

_section("11. When to use which", "uses")
ui.table([{"": q, "BERT (encoder)": b, "GPT (decoder)": g} for q, b, g in lesson.USES]
         + [{"": "parameters here", "BERT (encoder)": f"{B['params']:,}", "GPT (decoder)": f"{G['params']:,}"}])
ui.show_code(lesson.parameters, lesson.BERT.forward, lesson.GPT.forward, labels=True)
ui.keep_widgets(KEEP)
