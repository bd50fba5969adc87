"""Lesson: attention maps. What every head of every layer looks at, from one cached forward pass."""

from mmviz import ui
from mmviz.figures import attention_maps as afig
from mmviz.lessons import attention_maps as am
from mmviz.ui import st

ui.start_page()
T = ui.texts("attention_maps")


# --------------------------------------------------------------------------- cached backend calls
@ui.cached(max_entries=8, spinner=T("running"))
def _lesson(image_key: str, name: str, size: int | None, device: str, _image) -> dict:
    return am.attention_lesson(ui.model(name), _image, size=size, device=device)


@ui.cached()
def _rollout(image_key: str, name: str, size: int, fusion: str, discard: float, _attn, _cls_maps, grid):
    return am.rollout_panels(_attn, _cls_maps, grid, head_fusion=fusion, discard_ratio=discard)


@ui.cached(max_entries=32)
def _worked(image_key: str, name: str, size: int, device: str, layer: int, head: int, query: int, _x) -> dict:
    return am.worked_example(ui.model(name), _x, layer, head, query)


@ui.cached(max_entries=8, ttl=None)
def _scene(seed: int) -> dict:
    return am.shapes_sample(seed)


# --------------------------------------------------------------------------- page
st.title(T("title"))
st.markdown(T("intro"))
st.latex(r"\mathrm{Attention}(Q,K,V)=\mathrm{softmax}\!\left(\frac{QK^\top}{\sqrt{d}}\right)V")

# ---- model ---------------------------------------------------------------------------------------
info = ui.model_picker("vit", "am_model", missing_embedded=T("missing"))
name = info.name
tiny = info.preset == am.TINY

# ---- image ---------------------------------------------------------------------------------------
img = ui.current_image()  # the sidebar's choice, else the sample
if tiny:
    b1, b2, _ = st.columns([1, 1, 1])
    if b1.button(T("shapes_btn"), key="am_shapes_btn", help=T("shapes_help")):
        st.session_state["am_scene"] = st.session_state.get("am_scene", -1) + 1
    if st.session_state.get("am_scene") is not None and b2.button(T("back_btn"), key="am_back_btn"):
        st.session_state["am_scene"] = None
    seed = st.session_state.get("am_scene")
    if seed is not None:
        img = _scene(seed)
    elif info.tier == "embedded":
        st.info(T("tiny_note"))
        held = ui.model_card(name).get("heldout", {})
        if held.get("attn_on_object_by_layer"):
            st.caption(T("card_caption", n=held["n"], acc=held["accuracy"], uniform=held["object_patch_share"],
                         layers=", ".join(f"L{i} {v:.0%}" for i, v in enumerate(held["attn_on_object_by_layer"]))))
        st.markdown(T("dino_note"))

sizes = am.input_sizes(info.preset)
size = ui.selectbox(T("size"), sizes, key="am_size", default=sizes[0], help=T("size_help")) \
    if len(sizes) > 1 else sizes[0]

device = ui.device()
try:
    L = _lesson(img["key"], name, size, device, _image=img["image"])
except (ValueError, RuntimeError, OSError) as e:
    st.error(T("read_error", why=ui.scrub(e)))
    st.stop()

n = L["numbers"]
gh, gw = L["grid"]
P = L["patch_size"]
_, _, Hp, Wp = L["shapes"]["pixels"]
note = L["note"]
extra = []
if note["tiny"]:
    extra.append(T("tiny", P=P))
elif note["upscaled"]:
    extra.append(T("upscaled"))
if note["cropped_aspect"]:
    extra.append(T("panorama"))
st.caption(f"**{ui.plain(img['name'])}** ({L['original_size'][0]}×{L['original_size'][1]}) → {Wp}×{Hp} px. "
           + T("rule", aspect=f"{note['max_aspect']:g}", size=note["image_size"], P=note["patch_size"]) + " "
           + " ".join(extra))

m = ui.metrics((T("m_patches"), n["N"], "cls_maps.shape: gh × gw"), (T("m_tokens"), n["T"], T("m_tokens_help")),
               (T("m_width"), n["D"], "tokens.shape[2]"), (T("m_heads"), n["heads"], "attn.shape[1]"),
               (T("m_layers"), n["depth"], "len(attentions)"), (T("m_head_dim"), n["head_dim"], "D / h"))
m[0].caption(f"{Hp}·{Wp}/{P}² = {Hp * Wp // P**2}")
m[1].caption(f"N + 1 = {Hp * Wp // P**2 + 1}")
m[3].caption(T("attention_shape", h=n["heads"], T=n["T"]))
m[5].caption(f"{n['D']}/{n['heads']} = {n['D'] // n['heads']}")
if (n["N"], n["T"]) != (Hp * Wp // P**2, Hp * Wp // P**2 + 1):
    st.error(T("disagree"))
if L["predictions"]:
    st.markdown(T("predicts", classes=", ".join(f"{c} {p:.0%}" for c, p in L["predictions"])))

# ---- layer / head / query: every section below reads them ---------------------------------------------------
c1, c2, c3 = st.columns([2, 1, 2])
layer = ui.slider(T("layer"), 0, n["depth"] - 1, key="am_layer", default=n["depth"] - 1, into=c1, help=T("layer_help"))
head = ui.selectbox(T("head"), list(range(n["heads"])), key="am_head", default=0, into=c2)
query = ui.slider(T("query"), 0, n["N"] - 1, key="am_query",
                  default=(gh // 2) * gw + gw // 2, into=c3)


@ui.part(T("s1"), "am_s1", expanded=True)
def _():
    st.markdown(T("layer_heads", layer=layer, h=n["heads"]))
    late = L["cls_from_layer"]
    if late:
        st.info(T("late", late=late, before=late - 1) + (T("late_empty") if layer < late else ""))
    ui.chart(afig.fig_head_maps(L["image"], L["cls_maps"][layer], P), "am_cls")
    st.caption(T("s1_caption", T=n["T"]))


@ui.part(T("s2"), "am_s2")
def _():
    if ui.take_click("am_picker", "am_query", curve=1):
        st.rerun()  # the query drives sections 3 and 7 too
    a, b = st.columns([1, 2.2])
    ui.chart(afig.fig_query_picker(L["image"], L["grid"], P, query), "am_picker", into=a, toolbar=False,
             on_select="rerun", selection_mode="points")
    qmaps = am.query_attention(L["attn"], layer, 1 + query, L["grid"])
    ui.chart(afig.fig_head_maps(L["image"], qmaps, P, what=T("patch_arrow", q=query), query=query,
                                cols=2 if n["heads"] <= 4 else 4), "am_query_maps", into=b)
    st.caption(T("s2_caption"))


@ui.part(T("s3"), "am_s3")
def _():
    ui.chart(afig.fig_attention_matrix(L["attn"][layer, head], L["grid"], query=1 + query,
                                       title=T("matrix_title", layer=layer, head=head)), "am_matrix")
    st.caption(T("s3_caption"))


@ui.part(T("s4"), "am_s4",
         keep={"am_fusion": "mean", "am_discard": 0.0})
def _():
    st.markdown(T("rollout_md"))
    st.latex(r"\tilde A_\ell = \mathrm{norm}\big(\tfrac{1}{2}(\mathrm{fuse}_h A_\ell + I)\big),\qquad "
             r"R = \tilde A_{L-1}\cdots\tilde A_1\tilde A_0")
    r1, r2 = st.columns(2)
    fusion = r1.segmented_control(T("fusion"), ["mean", "max", "min"], key="am_fusion") or "mean"
    discard = r2.slider(T("discard"), 0.0, 0.95, step=0.05,
                        key="am_discard")
    panels = _rollout(img["key"], name, size, fusion, discard, _attn=L["attn"], _cls_maps=L["cls_maps"],
                      grid=L["grid"])
    ui.chart(afig.fig_head_maps(L["image"], panels, P, what="[CLS] ←", cols=2,
                                titles=[T("rollout_title", L=n["depth"], fusion=fusion, discard=discard),
                                        T("last_only", h=n["heads"])]), "am_rollout")


@ui.part(T("s5"), "am_s5", keep={"am_keep": 0.6})
def _():
    st.markdown(T("layer_masks", layer=layer))
    keep = st.slider(T("keep"), 0.1, 0.95, step=0.05, key="am_keep", help=T("keep_help"))
    masks = am.dino_masks(L["cls_maps"][layer], keep)
    ui.chart(afig.fig_masks(L["image"], masks, L["cls_maps"][layer], P, keep), "am_masks")


@ui.part(T("s6"), "am_s6", keep={"am_compare": False})
def _():
    st.markdown(T("distance_md"))
    st.latex(r"\bar d_{\ell,h} = \frac{1}{N}\sum_{i}\sum_{j} A^{\ell,h}_{ij}\,\lVert p_i - p_j\rVert")
    dist = L["distance"][layer]  # (h,) the lesson's mean attention distance of each head of this layer, pixels
    far = int(dist.argmax())
    answered = ui.predict("am_q_far", T("q_far", layer=layer, h=n["heads"]), options=list(range(n["heads"])),
                          format_func=lambda h: T("head_n", h=h), context=(img["key"], name, size, layer),
                          reveal=lambda: (far, T("q_far_why", h=far, d=float(dist[far]), layer=layer,
                                                 lo=float(dist.min()), hi=float(dist.max()),
                                                 u=L["uniform_distance"]))) is not None
    compare = info.tier != "untrained" and st.toggle(T("compare"), key="am_compare")
    other = U = None
    if compare:
        U = _lesson(img["key"], "untrained", None, device, _image=img["image"])  # at its training size
        other = {"name": "untrained", "distance": U["distance"], "entropy": U["entropy"]}
    if answered:  # the bars of this layer's heads answer the question
        ui.chart(afig.fig_attention_distance(L["distance"], L["entropy"], uniform_distance=L["uniform_distance"],
                                             layer=layer, head=head, other=other), "am_distance")
    else:
        st.caption(T("distance_open"))
    ent = L["mean_entropy"]
    st.caption(T("s6_caption", u=L["uniform_distance"], ent=ent, max=L["max_entropy"]))
    if U is not None:
        ul = min(layer, U["numbers"]["depth"] - 1)
        st.markdown(T("before_after", ue=U["mean_entropy"], um=U["max_entropy"], ent=ent))
        ui.chart(afig.fig_head_maps(U["image"], U["cls_maps"][ul], U["patch_size"]), "am_untrained")
        st.caption(T("untrained_caption", layer=ul))


@ui.part(T("s7"), "am_s7", keep={"am_we_cls": True})
def _():
    use_cls = st.toggle(T("use_cls"), key="am_we_cls")
    qtok = 0 if use_cls else 1 + query
    ex = _worked(img["key"], name, size, device, layer, head, qtok, _x=L["block_inputs"][layer])
    labels = afig.token_labels(L["grid"])
    d = ex["head_dim"]
    top0 = int(ex["top"][0])
    gw = L["grid"][1]
    label = labels[0] if use_cls else T("patch_label", k=query, r=query // gw, c=query % gw)
    st.markdown(T("worked_md", label=label, layer=layer, head=head, d=d, T=n["T"]))
    st.latex(rf"s_j = q\cdot k_j,\quad \tilde s_j = \frac{{s_j}}{{\sqrt{{{d}}}}},\quad "
             rf"w_j = \frac{{e^{{\tilde s_j}}}}{{\sum_{{m=1}}^{{{n['T']}}} e^{{\tilde s_m}}}},\quad "
             rf"\text{{out}} = \sum_j w_j v_j")
    st.latex(rf"\text{{heaviest key: }} s = {ex['scores'][top0]:.3f},\ \ \tilde s = {ex['scores'][top0]:.3f}/"
             rf"{d ** 0.5:.3f} = {ex['scaled'][top0]:.3f},\ \ w = {ex['weights'][top0]:.4f}")
    w1, w2 = st.columns([2, 1])
    ui.chart(afig.fig_worked_example(ex, labels), "am_worked", into=w1)
    w2.metric(T("by_hand"), f"{ex['max_diff']:.1e}", help=T("by_hand_help"))
    w2.metric(T("out_diff"), f"{ex['out_diff']:.1e}")
    w2.metric(T("weights_sum"), f"{ex['weights_sum']:.6f}")
    key, weight = T("col_key"), T("col_weight")
    ui.table([{key: labels[j], "q·k": float(ex["scores"][j]), "q·k/√d": float(ex["scaled"][j]),
               weight: float(ex["weights"][j]), "‖v‖": float(ex["v_norms"][j])} for j in ex["top"]],
             dict.fromkeys(("q·k", "q·k/√d", weight, "‖v‖"), "%.4f"))


ui.show_code(am.Attention.forward, am.attend, am.attention_rollout, am.mean_attention_distance, am.dino_mask,
             am.worked_example, am.attention_lesson, labels=True)
