"""Lesson: images as tokens. A VQ-VAE turns an image into a grid of code ids; DALL·E and Parti write those ids one
by one from a caption; for the decoder, text and image are one sequence."""

from mmviz import ui
from mmviz.figures import image_tokens as fig
from mmviz.lessons import image_tokens as it
from mmviz.ui import st

ui.start_page()
KEEP = {"it_caption": it.CAPTIONS[0], "it_temp": 1.0, "it_topk": 0, "it_seed": 0, "it_keep": 32, "it_step": 64,
        "it_layer": "mean of all layers", **dict.fromkeys(("it_source", "it_c_kind", "it_c_colour", "it_c_size",
                                                            "it_c_bg"))}  # None: the widget's own first value
ui.keep_widgets(KEEP)


# --------------------------------------------------------------------------- cached backend calls
_scene = ui.cached(max_entries=64)(it.draw_scene)


def _load(name: str):
    """The model, or the sentence that says how to train it."""
    try:
        return ui.model(name)
    except FileNotFoundError as e:
        return str(e)


@ui.cached(max_entries=16, spinner="Tokenizing your image…")
def _tokenize(key: str, device: str, _image) -> dict:
    vq = ui.model(it.VQ)
    return it.tokenize_image(vq, it.model_input(_image, vq.cfg.image_size))


@ui.cached(max_entries=2, ttl=None, spinner="Decoding every code alone and tokenizing the held-out scenes…")
def _codebook(device: str) -> dict:
    vq = ui.model(it.VQ)
    return {"patches": it.codebook_patches(vq), **it.heldout_usage(vq, ui.model_card(it.VQ))}


@ui.cached(max_entries=16)
def _budget(key: str, device: str, order: tuple, _image) -> dict:
    vq = ui.model(it.VQ)
    return {"restricted": it.restrict_codebook(vq, it.model_input(_image, vq.cfg.image_size), list(order)),
            "coarse": it.coarser_grids(vq, _image)}


@ui.cached(max_entries=32)
def _generate(name: str, device: str, caption: str, seed: int, temperature: float, top_k: int) -> dict:
    return it.generate(ui.model(name), caption, seed=seed, temperature=temperature, top_k=top_k)


@ui.cached(max_entries=4, ttl=None)
def _cost(name: str, device: str) -> dict:
    return {"cost": it.cost_per_step(ui.model(name)), "params": it.parameters(ui.model(name))}


figs = ui.cached_figures(fig)  # a rerun rebuilds only the figures whose numbers changed


# --------------------------------------------------------------------------- page
st.title("Images as tokens")
st.markdown("A GPT does one thing: given the tokens so far, it gives a probability to every possible **next token**. "
            "To generate images with it, an image must first become a short sequence of tokens from a finite "
            "vocabulary. A **VQ-VAE** does that: it cuts the image into a grid of cells and names each cell by the "
            "nearest entry of a learned **codebook**. A transformer then writes the codes one by one in raster order, "
            "and the VQ decoder paints them (DALL·E, Parti):")
st.latex(r"p(\text{image}\mid\text{caption}) = \prod_{i=1}^{N} p(c_i \mid \text{caption}, c_1, \dots, c_{i-1})")
device = ui.device()
vq = _load(it.VQ)
if isinstance(vq, str):
    st.warning(f"The image tokenizer is missing, so this page cannot run yet. {vq}")
    st.stop()
S, (h, w), K, N = vq.cfg.image_size, (vq.cfg.grid, vq.cfg.grid), vq.cfg.codebook_size, vq.cfg.grid ** 2

st.subheader("Your image")
left, right = st.columns([1.3, 1], gap="large")
with left:
    image = ui.image_picker("it", draw_scene=_scene)


def tokenizer_sections(image: dict) -> dict:
    """Sections 1 and 2: what the tokenizer makes of the image."""
    T = _tokenize(image["key"], device, _image=image["image"])
    H, W = it.image_size(image["image"])
    with right:
        ui.thumbnails([T["pixels"], T["recon"]], ["what the tokenizer reads", f"painted back from {N} codes"],
                      width=150, min_side=150)
        st.caption(it.input_note(image["name"], H, W, S))
    st.subheader("1. The pixel dilemma")
    D = it.pixel_dilemma(H, W, grid=(h, w), codebook_size=K, side=S)
    md, tex = it.dilemma_text(D, side=S, grid=(h, w), codebook_size=K)
    st.markdown(md)
    st.latex(tex)
    c1, c2 = st.columns([1.15, 1])
    ui.chart(figs.fig_dilemma(D["rows"]), "it_dilemma", into=c1)
    with c2:
        ui.table([{k: r[k] for k in ("size", "tokens", "steps", "classes", "bits")} for r in D["rows"]],
                 dict.fromkeys(("steps", "classes", "bits"), "localized"))
    ui.show_code(it.pixel_dilemma)

    st.subheader("2. Tokenize your image")
    st.markdown(f"The encoder (three stride-2 convolutions) shrinks the image {S // h}× to an {h}×{w} grid of "
                f"vectors z of width C = {vq.cfg.latent_dim}. Each vector is replaced by the **nearest codebook "
                "vector** e_k, and its index k is the token. Hover a cell: its code and how far its vector was.")
    st.latex(r"c_{ij} = \arg\min_{k}\ \lVert z_{ij} - e_k\rVert^2 = \arg\min_k\ \big(\lVert z_{ij}\rVert^2 - 2\,z_{ij}"
             rf"\cdot e_k + \lVert e_k\rVert^2\big),\qquad k \in \{{0,\dots,{K - 1}\}}")
    ui.metrics(("Grid h×w", f"{h}×{w}", "codes.shape"), ("Codebook K", K, "quantizer.codebook.shape[0]"),
               ("Distinct codes here", T["distinct"], "len(codes.unique())"),
               ("Mean distance", f"{T['distance'].mean():.3f}", "info['distance'].mean()"),
               ("PSNR", f"{T['psnr']:.1f} dB", "10·log10(1 / MSE)"))
    B = _codebook(device)
    share = B["counts"] / max(1, B["counts"].sum())
    ui.chart(figs.fig_codes(T["pixels"], T["codes"], T["distance"], T["second"], share), "it_codes")
    ui.show_code(it.VectorQuantizer.distances, it.VectorQuantizer.forward, it.tokenize_image, joined=True)

    st.markdown("**The codebook.** What does a code *mean*? Fill the whole grid with one code and let the decoder "
                "paint: the middle cell is that code's patch. Codes are colours, edges and textures, not objects.")
    ui.chart(figs.fig_codebook(B["patches"], T["usage"], share), "it_codebook")
    ui.chart(figs.fig_usage(T["usage"], B["counts"]), "it_usage")
    st.caption(f"{it.vq_summary(ui.model_card(it.VQ))} Recounted here on the same {B['n']} held-out scenes (seed "
               f"{B['seed']}): {B['codes_used']} codes used, perplexity {B['perplexity']:.1f}.")
    ui.show_code(it.codebook_patches, it.heldout_usage, joined=True)

    st.markdown("**Reconstruction.** The decoder paints the image back from the codes alone; the error map shows what "
                f"{D['rows'][5]['bits']:.0f} bits could not keep.")
    st.latex(rf"\mathrm{{PSNR}} = 10\log_{{10}}\frac{{1}}{{\mathrm{{MSE}}}} = 10\log_{{10}}\frac{{1}}{{{T['mse']:.5f}}}"
             rf" = {T['psnr']:.2f}\ \text{{dB}}")
    ui.chart(figs.fig_images([T["pixels"], T["recon"]], [f"input ({S}×{S})", f"from the codes ({T['psnr']:.1f} dB)",
                                                         "squared error per pixel"], error=T["error"]), "it_recon")

    st.markdown("**Fewer bits: a smaller codebook or a coarser grid.** Keep only the M most used codes and quantise "
                "again (each cell takes the nearest *allowed* code), or give the same tokenizer a smaller copy of the "
                "image so that it makes fewer cells. Honest note: both restrict the **trained** tokenizer; a codebook "
                "or a grid trained at that size from scratch would do better.")
    R = _budget(image["key"], device, tuple(int(k) for k in B["order"]), _image=image["image"])
    M = ui.select_slider("Keep the M most used codes", list(it.KEEP_SIZES), key="it_keep", default=32)
    i, r, co = list(it.KEEP_SIZES).index(M), R["restricted"], R["coarse"]
    c1, c2 = st.columns([1.4, 1])
    ui.chart(figs.fig_images([T["pixels"], r["recon"][i], *co["recon"][1:]], ["input", f"M = {M}: {r['psnr'][i]:.1f} "
                             "dB"] + [f"{g}×{g} grid: {p:.1f} dB" for g, p in zip(co["grids"][1:], co["psnr"][1:])],
                             height=220), "it_smaller", into=c1)
    ui.chart(figs.fig_budget(r, co, M), "it_budget", into=c2)
    ui.show_code(it.restrict_codebook, it.coarser_grids, joined=True)
    return T


T = tokenizer_sections(image) if image is not None else None

# ---- 3 ------------------------------------------------------------------------------------------------------
st.subheader("3. Raster-scan generation (DALL·E)")
tok, Lc = it.caption_tokenizer()
dalle, parti = _load(it.DALLE), _load(it.PARTI)
st.markdown(f"The tiny DALL·E is one decoder over **[{Lc} caption tokens ; {N} image codes]**. It reads the caption, "
            f"then writes code 1 (top left), code 2, … code {N} (bottom right), each drawn from its softmax over the "
            f"K = {K} codes; the VQ decoder paints them.")
caption = ui.text_box("Caption (words of the shapes world)", "it_caption", samples=it.CAPTIONS, height=68)
cap = it.read_caption(tok, caption, Lc)
ui.text_notes(it.caption_notes(cap, Lc))
ui.token_chips(cap["tokens"], cap["ids"], unknown=[t == "<unk>" for t in cap["tokens"]],
               special=[t.startswith("<") and t != "<unk>" for t in cap["tokens"]])
c = st.columns(4)
temp = c[0].slider("Temperature", 0.1, 2.0, step=0.1, key="it_temp", help="Divides the logits: < 1 sharper.")
top_k = c[1].select_slider("Top-k", list(it.TOP_KS), key="it_topk", format_func=lambda k: "all" if k == 0 else str(k),
                           help="Only the k most likely codes may be drawn.")
seed = c[2].number_input("Seed", 0, 100_000, step=1, key="it_seed")
params = (caption, int(seed), float(temp), int(top_k))
ui.generate_button("it", into=c[3], disabled=isinstance(dalle, str), also={"it_step": N})
res = rp = None
if isinstance(dalle, str):
    st.warning(f"The tiny DALL·E is not trained yet, so nothing can be generated here. {dalle} Sections 1, 2 and 5 "
               "need only the tokenizer.")
else:
    a, b, c = st.columns([1, 1.1, 1])
    res, shown = ui.generation("it", lambda *q: _generate(it.DALLE, device, *q), params, first=(it.CAPTIONS[0], 0, 1.0,
                               0), place=a.empty(), label=lambda k: f"code {k} of {N}")
    if shown != params:
        st.info(f"Showing the sample for “{shown[0][:80]}” (seed {shown[1]}, T = {shown[2]}, top-k "
                f"{shown[3] or 'all'}). Press **Generate** to sample with the settings above.")
    t = ui.slider("Step: the code being chosen", 1, N, key="it_step", default=N)
    layer = ui.selectbox("Attention of", ["mean of all layers"] + [f"layer {k + 1}" for k in range(dalle.cfg.depth)],
                         key="it_layer", default="mean of all layers", into=b)
    v = it.step_view(res, t - 1, None if layer.startswith("mean") else int(layer.split()[1]) - 1)
    ui.chart(figs.fig_frame(res["frames"][t], res["codes"], t, current=t - 1, title=f"step {t}: code {v['code']} at "
                            f"row {v['row']}, col {v['col']}"), "it_frame", into=a)
    ui.chart(figs.fig_step_attention(res["caption"]["tokens"], v["caption"], v["grid"], v["row"], v["col"]),
             "it_step_attn", into=b)
    ui.chart(figs.fig_top5(v["top_ids"], v["top_p"], v["code"], v["p"]), "it_top5", into=c)
    c.caption(f"Drawn: code {v['code']}, p = {v['p']:.4f} (T = {shown[2]}, top-k {shown[3] or 'all'}), after reading "
              f"{Lc} caption tokens and {t - 1} earlier codes. All {N} codes: {res['seconds']:.2f} s with the KV "
              f"cache; log p(image | caption) = {res['log_prob']:.2f}.")
    st.markdown("**The factorisation, with this sample's numbers.** Multiply the probabilities of all drawn codes (add "
                "their logs): that is the probability of the whole image given the caption. Training maximises exactly "
                "this, for all codes in one pass (teacher forcing).")
    st.latex(it.factorisation_latex(res["p"]))
    ui.chart(figs.fig_factorisation(res["p"], res["codes"], t), "it_factors")
    ui.show_code(it.sample_codes, it.next_token_probs, it.DalleTiny.generate_steps, it.teacher_forcing, joined=True)

# ---- 4 ------------------------------------------------------------------------------------------------------
st.subheader("4. DALL·E vs Parti: one decoder, or an encoder and a decoder")
st.markdown("Parti reads the caption **once** with a bidirectional encoder; its decoder writes the codes and, at every "
            "step, looks at the encoded caption through **cross-attention**. The same caption and seed go through "
            "both. The maps: for each caption token, how much each of Parti's image tokens looked at it.")
if res is None or isinstance(parti, str):
    st.warning(f"{parti if isinstance(parti, str) else ''} The comparison needs both generators.".strip())
else:
    rp = _generate(it.PARTI, device, *shown)
    ui.chart(figs.fig_cross_maps([res["image"], rp["image"]], ["DALL·E", "Parti"], rp["cross"].mean(1),
                                 rp["caption"]["tokens"][:rp["caption"]["real"]], (h, w)), "it_cross")
    costs = {name: {**_cost(name, device), "card": ui.model_card(name), "sample": s, "design": d}
             for name, s, d in ((it.DALLE, res, "decoder only"), (it.PARTI, rp, "encoder + decoder"))}
    st.markdown("**Cost per image, counted from the weight shapes.** A Linear layer costs D_in × D_out multiply-adds "
                "per token (P for all of them), attention 2·D per (query, key) pair in each of L layers. With the "
                "**KV cache** a step runs the network on the new token only; without it, on the whole sequence again "
                "(DALL·E below; Parti runs its encoder once and adds 2·D·L·L_c per step for cross-attention).")
    st.latex(r"\text{step } i:\quad \underbrace{P + 2DL\,(L_c+i)}_{\text{KV cache}}\quad\text{vs.}\quad"
             r"\underbrace{(L_c+i)\,P + 2DL\,(L_c+i)^2}_{\text{no cache}}")
    ui.table(it.compare_rows(costs))
    ui.chart(figs.fig_cost({n_: c_["cost"] for n_, c_ in costs.items()}), "it_cost")
    ui.show_code(it.PartiTiny.generate_steps, it.cost_per_step, joined=True)

# ---- 5 ------------------------------------------------------------------------------------------------------
st.subheader("5. One sequence for everything")
st.markdown(f"For the decoder, text and image are **one row of token ids**: image code k is token {tok.vocab_size} + k,"
            f" after the {tok.vocab_size} text ids. CM3Leon goes further and mixes text and images in any order. The "
            "mask says who may look at whom: causal over the whole sequence, so the caption never sees the image and "
            "each code sees the caption and the codes before it.")
if res is not None or T is not None:
    scap, scodes = (res["caption"], res["codes"]) if res else (cap, T["codes"])
    seq = it.mixed_sequence(scap, scodes, tok.vocab_size)
    ui.chart(figs.fig_sequence(seq["labels"], seq["ids"], seq["modality"]), "it_sequence")
    mask = it.decoder_mask(Lc, N)[:-1, :-1]  # the last code is never an input
    att = res["forced"]["attention"]["decoder"] if res else it.uniform_attention(mask)
    how = "(this sample, mean of layers and heads)" if res else "(all scores equal: no trained decoder yet)"
    ui.chart(figs.fig_attention(att, seq["labels"][:-1], mask=mask, split=Lc,
                                title=f"The decoder's attention over [caption ; codes] {how}"), "it_mask")
if rp is not None:
    pm, fa = it.parti_masks(rp["caption"], N), rp["forced"]["attention"]
    dec = ["<start>"] + [f"code {k}" for k in rp["codes"].flatten()[:-1]]
    st.markdown("Parti's three masks: the **encoder** is bidirectional (every caption token sees every real "
                "caption token); the **decoder** is causal over its codes; **cross-attention** lets every code see the "
                "caption.")
    cols = st.columns([1, 1.6, 1.1])
    for col, kind, q, k_ in zip(cols, ("encoder", "decoder", "cross"), (rp["caption"]["tokens"], dec, dec),
                                (None, None, rp["caption"]["tokens"])):
        ui.chart(figs.fig_attention(fa[kind], q, k_, mask=pm[kind], height=520, title=f"Parti {kind}"),
                 f"it_parti_{kind}", into=col)
ui.show_code(it.DalleTiny.sequence, it.causal_mask, it.decoder_mask, it.parti_masks, joined=True)
ui.keep_widgets(KEEP)
