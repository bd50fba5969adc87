"""Lesson: images as tokens. A VQ-VAE turns an image into a grid of code ids; DALL·E and Parti write those ids one
by one from a caption; for the decoder, text and image are one sequence."""

from mmviz import ui
from mmviz.figures import image_tokens as fig
from mmviz.lessons import image_tokens as it
from mmviz.ui import st

ui.start_page()
T = ui.texts("image_tokens")
KEEP = {"it_caption": it.CAPTIONS[0], "it_temp": 1.0, "it_topk": 0, "it_seed": 0, "it_keep": 32, "it_step": 64,
        "it_layer": 0, **dict.fromkeys(("it_source", "it_c_kind", "it_c_colour", "it_c_size", "it_c_bg"))}
ui.keep_widgets(KEEP)


# --------------------------------------------------------------------------- cached backend calls
_scene = ui.cached(max_entries=64)(it.draw_scene)


def _load(name: str):
    """The model, or the sentence that says how to train it."""
    try:
        return ui.model(name)
    except FileNotFoundError as e:
        return str(e)


@ui.cached(max_entries=16)
def _tokenize(key: str, device: str, _image) -> dict:
    vq = ui.model(it.VQ)
    return it.tokenize_image(vq, it.model_input(_image, vq.cfg.image_size))


@ui.cached(max_entries=2, ttl=None)
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
st.title(T("title"))
device = ui.device()
vq = _load(it.VQ)
if isinstance(vq, str):
    st.warning(T("no_vq", why=vq))
    st.stop()
S, (h, w), K, N = vq.cfg.image_size, (vq.cfg.grid, vq.cfg.grid), vq.cfg.codebook_size, vq.cfg.grid ** 2
with ui.section(T, "s_image", expanded=True, md=T("intro"), latex=r"p(\text{image}\mid\text{caption}) = \prod_{i=1}^{N} p(c_i \mid "
                r"\text{caption}, c_1, \dots, c_{i-1})"):
    left, right = st.columns([1.3, 1], gap="large")
    with left:
        image = ui.image_picker("it", draw_scene=_scene)


def tokenizer_sections(image: dict) -> dict:
    """Sections 1 and 2: what the tokenizer makes of the image."""
    with st.spinner(T("tokenizing")):
        V = _tokenize(image["key"], device, _image=image["image"])
    H, W = it.image_size(image["image"])
    D = it.pixel_dilemma(H, W, grid=(h, w), codebook_size=K, side=S)
    rows = [{**r, "size": T(f"dl_{r['where']}", W=r["W"], H=r["H"]), "tokens": T(f"dl_{r['kind']}", d=r["down"])}
            for r in D["rows"]]
    with ui.section(T, "s_dilemma", expanded=True):  # its text and formula are drawn into `head` once the question is settled
        head = st.container()
        answered = ui.predict("it_q_codes", T("q_codes", S=S, d=S // h), lo=0, hi=10 ** 6, context=(S, h, w),
                              reveal=lambda: (int(V["codes"].size), T("q_codes_why", S=S, d=S // h, h=h, w=w, K=K,
                                                                     bits=rows[5]["bits"]))) is not None
        with right:  # the count of codes (N) and every VQ row answer it: shown once answered
            ui.thumbnails([V["pixels"], V["recon"]], [T("reads"), T("painted", N=N) if answered else T("painted_open")],
                          width=150, min_side=150)
            st.caption(T("input_same" if (H, W) == (S, S) else "input_resized", name=image["name"], W=W, H=H, S=S))
        with head:
            st.markdown(T("dilemma_md" if answered else "dilemma_md_open", steps=rows[0]["steps"],
                          pixels=rows[1]["steps"], S=S, ratio=D["ratio"], N=h * w, K=K))
            if answered:
                st.latex(it.dilemma_latex(D, side=S, grid=(h, w), codebook_size=K))
        vis = rows if answered else [r for r in rows if r["kind"] != "vq"]
        c1, c2 = st.columns([1.15, 1])
        ui.chart(figs.fig_dilemma(vis), "it_dilemma", into=c1)
        with c2:
            cols = {k: T(f"col_{k}") for k in ("size", "tokens", "steps", "classes", "bits")}
            ui.table([{cols[k]: r[k] for k in cols} for r in vis], dict.fromkeys([cols[k] for k in ("steps",
                     "classes", "bits")], "localized"), key="it_dilemma_table")
        if not answered:
            st.caption(T("q_codes_wait"))
        ui.show_code(it.pixel_dilemma)

    with ui.section(T, "s_tokenize", md=T("tokenize_md", f=S // h, h=h, w=w, C=vq.cfg.latent_dim),
                    latex=r"c_{ij} = \arg\min_{k}\ \lVert z_{ij} - e_k\rVert^2 = \arg\min_k\ \big(\lVert z_{ij}\rVert^2 "
                          rf"- 2\,z_{{ij}}\cdot e_k + \lVert e_k\rVert^2\big),\qquad k \in \{{0,\dots,{K - 1}\}}"):
        ui.metrics((T("m_grid"), f"{h}×{w}", "codes.shape"), (T("m_codebook"), K, "quantizer.codebook.shape[0]"),
                   (T("m_distinct"), V["distinct"], "len(codes.unique())"),
                   (T("m_distance"), f"{V['distance'].mean():.3f}", "info['distance'].mean()"),
                   ("PSNR", f"{V['psnr']:.1f} dB", "10·log10(1 / MSE)"))
        with st.spinner(T("decoding_codebook")):
            B = _codebook(device)
        share = B["counts"] / max(1, B["counts"].sum())
        ui.chart(figs.fig_codes(V["pixels"], V["codes"], V["distance"], V["second"], share), "it_codes",
                 numbers={"codes": V["codes"], "distance": V["distance"]})
        ui.show_code(it.VectorQuantizer.distances, it.VectorQuantizer.forward, it.tokenize_image, joined=True)
        st.markdown(T("codebook_md"))
        ui.chart(figs.fig_codebook(B["patches"], V["usage"], share), "it_codebook")
        ui.chart(figs.fig_usage(V["usage"], B["counts"]), "it_usage", numbers={"yours": V["usage"], "held_out": B["counts"]})
        q = it.vq_numbers(ui.model_card(it.VQ))
        st.caption((T("vq_card", **q, g0=q["grid"][0], g1=q["grid"][1]) + " " if q else "") + T("recount", **B))
        ui.show_code(it.codebook_patches, it.heldout_usage, joined=True)
        st.markdown(T("recon_md", bits=rows[5]["bits"]))
        st.latex(rf"\mathrm{{PSNR}} = 10\log_{{10}}\frac{{1}}{{\mathrm{{MSE}}}} = 10\log_{{10}}\frac{{1}}{{{V['mse']:.5f}}}"
                 rf" = {V['psnr']:.2f}\ \text{{dB}}")
        ui.chart(figs.fig_images([V["pixels"], V["recon"]], [T("p_input", S=S), T("p_codes", db=V["psnr"]), T("p_error")],
                                 error=V["error"]), "it_recon")
        st.markdown(T("budget_md"))
        R = _budget(image["key"], device, tuple(int(k) for k in B["order"]), _image=image["image"])
        M = ui.select_slider(T("keep"), list(it.KEEP_SIZES), key="it_keep", default=32)
        i, r, co = list(it.KEEP_SIZES).index(M), R["restricted"], R["coarse"]
        c1, c2 = st.columns([1.4, 1])
        ui.chart(figs.fig_images([V["pixels"], r["recon"][i], *co["recon"][1:]], [T("p_plain"), T("p_m", M=M, db=r["psnr"]
                                 [i])] + [T("p_grid", g=g, db=p) for g, p in zip(co["grids"][1:], co["psnr"][1:])],
                                 height=220), "it_smaller", into=c1)
        ui.chart(figs.fig_budget(r, co, M), "it_budget", into=c2)
        ui.show_code(it.restrict_codebook, it.coarser_grids, joined=True)
    return V


V = tokenizer_sections(image) if image is not None else None
tok, Lc = it.caption_tokenizer()
dalle, parti = _load(it.DALLE), _load(it.PARTI)
with ui.section(T, "s_raster", md=T("raster_md", Lc=Lc, N=N, K=K)):
    caption = ui.text_box(T("caption"), "it_caption", samples=it.CAPTIONS, height=68)
    cap = it.read_caption(tok, caption, Lc)
    ui.text_notes([T(f"cap_{n['key']}", **{**n, "words": ", ".join(f"“{w}”" for w in n.get("words", ()))})
                   for n in it.caption_notes(cap, Lc)])
    ui.token_chips(cap["tokens"], cap["ids"], unknown=[t == "<unk>" for t in cap["tokens"]],
                   special=[t.startswith("<") and t != "<unk>" for t in cap["tokens"]])
    c = st.columns(4)
    temp = ui.slider(T("temperature"), 0.1, 2.0, step=0.1, key="it_temp", default=1.0, help=T("temperature_help"),
                     into=c[0])
    top_k = ui.select_slider("Top-k", list(it.TOP_KS), key="it_topk", default=0, into=c[1], help=T("top_k_help"),
                             format_func=lambda k: T("all") if k == 0 else str(k))
    seed = ui.number(T("seed"), 0, 100_000, step=1, key="it_seed", default=0, into=c[2])
    params = (caption, int(seed), float(temp), int(top_k))
    ui.generate_button("it", into=c[3], disabled=isinstance(dalle, str), also={"it_step": N})
    res = rp = None
    if isinstance(dalle, str):
        st.warning(T("no_dalle", why=dalle))
    else:
        a, b, c = st.columns([1, 1.1, 1])
        res, shown = ui.generation("it", lambda *q: _generate(it.DALLE, device, *q), params, first=(it.CAPTIONS[0], 0,
                                   1.0, 0), place=a.empty(), label=lambda k: T("code_of", k=k, N=N))
        if shown != params:
            st.info(T("showing", caption=shown[0][:80], seed=shown[1], temp=shown[2], k=shown[3] or T("all")))
        t = ui.slider(T("step"), 1, N, key="it_step", default=N)
        layer = ui.selectbox(T("attention_of"), list(range(dalle.cfg.depth + 1)), key="it_layer", default=0, into=b,
                             format_func=lambda k: T("all_layers") if k == 0 else T("layer_n", k=k))
        v = it.step_view(res, t - 1, layer - 1 if layer else None)
        answered = ui.predict("it_q_next", T("q_next", t=t, row=v["row"], col=v["col"]), options=sorted(
            int(k) for k in v["top_ids"]), format_func=lambda k: T("code_n", k=k), context=(shown, t, layer),
            reveal=lambda: (int(v["top_ids"][0]), T("q_next_why", p=float(v["top_p"][0]), drawn=v["code"]))) is not None
        done = t if answered else t - 1  # open: the cell being chosen is outlined, not yet painted (nor its code named)
        ui.chart(figs.fig_frame(res["frames"][done], res["codes"], done, current=t - 1, title=T(
            "frame_title", t=t, code=v["code"], row=v["row"], col=v["col"]) if answered else T(
            "frame_title_open", t=t, row=v["row"], col=v["col"])), "it_frame", into=a)
        ui.chart(figs.fig_step_attention(res["caption"]["tokens"], v["caption"], v["grid"], v["row"], v["col"]),
                 "it_step_attn", into=b, numbers={"on_caption": v["caption"], "on_codes": v["grid"]})
        if answered:  # the top five and the drawn code answer it
            ui.chart(figs.fig_top5(v["top_ids"], v["top_p"], v["code"], v["p"]), "it_top5", into=c)
            c.caption(T("drawn", code=v["code"], p=v["p"], temp=shown[2], k=shown[3] or T("all"), Lc=Lc, t=t - 1,
                        N=N, s=res["seconds"], lp=res["log_prob"]))
        else:
            c.caption(T("q_next_wait"))
        st.markdown(T("factor_md"))
        st.latex(it.factorisation_latex(res["p"]))
        ui.chart(figs.fig_factorisation(res["p"], res["codes"], t), "it_factors", numbers={"p": res["p"]})
        ui.show_code(it.sample_codes, it.next_token_probs, it.DalleTiny.generate_steps, it.teacher_forcing, joined=True)

with ui.section(T, "s_parti", md=T("parti_md")) as seen:
    if res is None or isinstance(parti, str):
        st.warning(((parti + " ") if isinstance(parti, str) else "") + T("needs_both"))
    elif seen:  # Parti samples the same caption only for a student who looks (about 0.3 s)
        rp = _generate(it.PARTI, device, *shown)
        ui.chart(figs.fig_cross_maps([res["image"], rp["image"]], ["DALL·E", "Parti"], rp["cross"].mean(1),
                                     rp["caption"]["tokens"][:rp["caption"]["real"]], (h, w)), "it_cross")
        costs = {name: {**_cost(name, device), "card": ui.model_card(name), "sample": s, "design": T(d)}
                 for name, s, d in ((it.DALLE, res, "decoder_only"), (it.PARTI, rp, "encoder_decoder"))}
        st.markdown(T("cost_md"))
        st.latex(r"\text{step } i:\quad \underbrace{P + 2DL\,(L_c+i)}_{\text{KV cache}}\quad\text{vs.}\quad"
                 r"\underbrace{(L_c+i)\,P + 2DL\,(L_c+i)^2}_{\text{no cache}}")
        ui.table([{"": T(f"cmp_{row}"), **vals} for row, vals in it.compare_rows(costs).items()], key="it_compare")
        ui.chart(figs.fig_cost({n_: c_["cost"] for n_, c_ in costs.items()}), "it_cost")
        ui.show_code(it.PartiTiny.generate_steps, it.cost_per_step, joined=True)

with ui.section(T, "s_sequence", md=T("sequence_md", V=tok.vocab_size)) as seen:
    if rp is None and seen and res is not None and not isinstance(parti, str):
        rp = _generate(it.PARTI, device, *shown)
    if res is not None or V is not None:
        scap, scodes = (res["caption"], res["codes"]) if res else (cap, V["codes"])
        seq = it.mixed_sequence(scap, scodes, tok.vocab_size)
        ui.chart(figs.fig_sequence(seq["labels"], seq["ids"], seq["modality"]), "it_sequence")
        mask = it.decoder_mask(Lc, N)[:-1, :-1]  # the last code is never an input
        att = res["forced"]["attention"]["decoder"] if res else it.uniform_attention(mask)
        ui.chart(figs.fig_attention(att, seq["labels"][:-1], mask=mask, split=Lc, title=T(
            "mask_title", how=T("how_sample") if res else T("how_uniform"))), "it_mask", numbers={"attention": att,
                                                                                                 "mask": mask})
    if rp is not None:
        pm, fa = it.parti_masks(rp["caption"], N), rp["forced"]["attention"]
        dec = ["<start>"] + [f"code {k}" for k in rp["codes"].flatten()[:-1]]
        st.markdown(T("parti_masks_md"))
        cols = st.columns([1, 1.6, 1.1])
        for col, kind, q, k_ in zip(cols, ("encoder", "decoder", "cross"), (rp["caption"]["tokens"], dec, dec),
                                    (None, None, rp["caption"]["tokens"])):
            ui.chart(figs.fig_attention(fa[kind], q, k_, mask=pm[kind], height=520, title=f"Parti {kind}"),
                     f"it_parti_{kind}", into=col)
    ui.show_code(it.DalleTiny.sequence, it.causal_mask, it.decoder_mask, it.parti_masks, joined=True)
ui.keep_widgets(KEEP)
