"""Lesson: attention maps. What every head of every layer looks at, from one cached forward pass."""

from mmviz import ui
from mmviz.figures import attention_maps as afig
from mmviz.lessons import attention_maps as am
from mmviz.ui import st

ui.start_page()


# --------------------------------------------------------------------------- cached backend calls
@ui.cached(max_entries=8, spinner="Running the ViT once, keeping every attention map…")
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
st.title("Attention maps")
st.markdown(
    "Inside a transformer every token **asks a question** (its query q), every token **offers a label** "
    "(its key k) and **a message** (its value v). A token's new content is the average of all messages, "
    "weighted by how well its question matches each label. Each head does this with its own q, k, v, so "
    "different heads can look for different things. Below, the real weights of a trained ViT on your image: "
    "where does every head of every layer look?"
)
st.latex(r"\mathrm{Attention}(Q,K,V)=\mathrm{softmax}\!\left(\frac{QK^\top}{\sqrt{d}}\right)V")

# ---- model ---------------------------------------------------------------------------------------
info = ui.model_picker("vit", "am_model", missing_embedded="The embedded trained model is missing, so only the "
                                                           "untrained one can be shown.")
name = info.name
tiny = info.preset == am.TINY

# ---- image ---------------------------------------------------------------------------------------
img = ui.current_image()  # the sidebar's choice, else the sample
if tiny:
    b1, b2, _ = st.columns([1, 1, 1])
    if b1.button("Shapes world sample", key="am_shapes_btn", help="A new scene from mmviz.data.shapes (seeded)."):
        st.session_state["am_scene"] = st.session_state.get("am_scene", -1) + 1
    if st.session_state.get("am_scene") is not None and b2.button("Back to my image", key="am_back_btn"):
        st.session_state["am_scene"] = None
    seed = st.session_state.get("am_scene")
    if seed is not None:
        img = _scene(seed)
    elif info.tier == "embedded":
        st.info(am.TINY_NOTE)
        card = ui.model_card(name)
        if card.get("heldout", {}).get("attn_on_object_by_layer"):
            st.caption(am.card_caption(card["heldout"]))
        st.markdown(am.DINO_NOTE)

sizes = am.input_sizes(info.preset)
size = ui.selectbox("Input size (short side, pixels)", sizes, key="am_size", default=sizes[0],
                    help="Positions are interpolated (bicubic) for sizes other than the training size.") \
    if len(sizes) > 1 else sizes[0]

device = ui.device()
try:
    L = _lesson(img["key"], name, size, device, _image=img["image"])
except (ValueError, RuntimeError, OSError) as e:
    st.error(f"The model could not read this image: {ui.scrub(e)}")
    st.stop()

n = L["numbers"]
gh, gw = L["grid"]
P = L["patch_size"]
_, _, Hp, Wp = L["shapes"]["pixels"]
note = L["note"]
extra = []
if note["tiny"]:
    extra.append(f"It is smaller than one {P} px patch, so it was **enlarged**: it holds no detail to attend to.")
elif note["upscaled"]:
    extra.append("It was **upscaled**, which adds no detail.")
if note["cropped_aspect"]:
    extra.append("It is a **panorama** (or very tall), so its middle part was kept.")
st.caption(f"**{ui.plain(img['name'])}** ({L['original_size'][0]}×{L['original_size'][1]}) → {Wp}×{Hp} px. "
           f"{note['rule']} " + " ".join(extra))

m = ui.metrics(("Patches N", n["N"], "cls_maps.shape: gh × gw"), ("Tokens T", n["T"], "tokens.shape[1], with [CLS]"),
               ("Width D", n["D"], "tokens.shape[2]"), ("Heads h", n["heads"], "attn.shape[1]"),
               ("Layers", n["depth"], "len(attentions)"), ("Head size d", n["head_dim"], "D / h"))
m[0].caption(f"{Hp}·{Wp}/{P}² = {Hp * Wp // P**2}")
m[1].caption(f"N + 1 = {Hp * Wp // P**2 + 1}")
m[3].caption(f"attention {n['heads']}×{n['T']}×{n['T']}")
m[5].caption(f"{n['D']}/{n['heads']} = {n['D'] // n['heads']}")
if (n["N"], n["T"]) != (Hp * Wp // P**2, Hp * Wp // P**2 + 1):
    st.error("The formula and the tensors disagree: please report this bug.")
if L["predictions"]:
    st.markdown("**The model predicts:** " + ", ".join(f"{c} {p:.0%}" for c, p in L["predictions"]))

# ---- layer / head / query: every section below reads them ---------------------------------------------------
c1, c2, c3 = st.columns([2, 1, 2])
layer = ui.slider("Layer", 0, n["depth"] - 1, key="am_layer", default=n["depth"] - 1, into=c1, help="0 = first block")
head = ui.selectbox("Head", list(range(n["heads"])), key="am_head", default=0, into=c2)
query = ui.slider("Query patch index (or click a patch in section 2)", 0, n["N"] - 1, key="am_query",
                  default=(gh // 2) * gw + gw // 2, into=c3)


@ui.part("1. What [CLS] looks at: every head of the layer", "am_s1", expanded=True)
def _():
    st.markdown(f"**Layer {layer}**, all {n['heads']} heads.")
    late = L["cls_from_layer"]
    if late:
        st.info(f"In this tiny model **[CLS] joins the patches only in layer {late}** (CaiT-style class attention): "
                f"in layers 0–{late - 1} it attends to itself and no patch attends to it, so the patches first work "
                f"out among themselves what is where, and everything [CLS] knows about the image it reads in layer "
                f"{late}." + (" Its maps below are empty in this layer." if layer < late else ""))
    ui.chart(afig.fig_head_maps(L["image"], L["cls_maps"][layer], P), "am_cls")
    st.caption(f"Row 0 of each head's {n['T']}×{n['T']} attention matrix, without the [CLS] column, drawn over "
               "the patches. Each head has its own colour range (0 to its maximum); hover for the weight.")


@ui.part("2. Pick any patch: where does it look?", "am_s2")
def _():
    if ui.take_click("am_picker", "am_query", curve=1):
        st.rerun()  # the query drives sections 3 and 7 too
    a, b = st.columns([1, 2.2])
    ui.chart(afig.fig_query_picker(L["image"], L["grid"], P, query), "am_picker", into=a, toolbar=False,
             on_select="rerun", selection_mode="points")
    qmaps = am.query_attention(L["attn"], layer, 1 + query, L["grid"])
    ui.chart(afig.fig_head_maps(L["image"], qmaps, P, what=f"patch {query} →", query=query,
                                cols=2 if n["heads"] <= 4 else 4), "am_query_maps", into=b)
    st.caption("Early layers tend to look near the query patch, later ones further away and at the object. "
               "The weight on [CLS] itself is not drawn.")


@ui.part("3. The whole T×T matrix of one head", "am_s3")
def _():
    ui.chart(afig.fig_attention_matrix(L["attn"][layer, head], L["grid"], query=1 + query, title=f"A = softmax(QKᵀ/√d),"
                                       f" layer {layer}, head {head}: row = query, column = key"), "am_matrix")
    st.caption("Every row sums to 1. Row 0 is [CLS] (section 1); the cyan line marks the query patch's row "
               "(section 2). Colours stop at the 99th percentile; hover gives the exact weight.")


@ui.part("4. Attention rollout: follow attention through all layers", "am_s4",
         keep={"am_fusion": "mean", "am_discard": 0.0})
def _():
    st.markdown("One layer's map ignores the residual connection and the layers below. **Rollout** "
                "(Abnar & Zuidema, 2020) fuses the heads, adds the identity for the residual path, renormalises, "
                "and multiplies the layers together.")
    st.latex(r"\tilde A_\ell = \mathrm{norm}\big(\tfrac{1}{2}(\mathrm{fuse}_h A_\ell + I)\big),\qquad "
             r"R = \tilde A_{L-1}\cdots\tilde A_1\tilde A_0")
    r1, r2 = st.columns(2)
    fusion = r1.segmented_control("Head fusion", ["mean", "max", "min"], key="am_fusion") or "mean"
    discard = r2.slider("Discard ratio (weakest fused weights dropped per layer)", 0.0, 0.95, step=0.05,
                        key="am_discard")
    panels = _rollout(img["key"], name, size, fusion, discard, _attn=L["attn"], _cls_maps=L["cls_maps"],
                      grid=L["grid"])
    ui.chart(afig.fig_head_maps(L["image"], panels, P, what="[CLS] ←", cols=2,
                                titles=[f"rollout over {n['depth']} layers ({fusion}, discard {discard:.0%})",
                                        f"last layer only, mean of {n['heads']} heads"]), "am_rollout")


@ui.part("5. Thresholded masks: the patches holding most of [CLS]'s attention", "am_s5", keep={"am_keep": 0.6})
def _():
    st.markdown(f"**Layer {layer}**, each head's mask.")
    keep = st.slider("Keep this share of the attention mass", 0.1, 0.95, step=0.05, key="am_keep",
                     help="DINO keeps 60%: sort the patches by weight and keep the top ones until they hold it.")
    masks = am.dino_masks(L["cls_maps"][layer], keep)
    ui.chart(afig.fig_masks(L["image"], masks, L["cls_maps"][layer], P, keep), "am_masks")


@ui.part("6. How far does each head look?", "am_s6", keep={"am_compare": False})
def _():
    st.markdown("For every query patch, the pixel distance to each key patch weighted by attention, averaged over "
                "queries: small = local, like a convolution; large = global. In the ViT paper some heads look far "
                "already in layer 0, and the spread closes as depth grows.")
    st.latex(r"\bar d_{\ell,h} = \frac{1}{N}\sum_{i}\sum_{j} A^{\ell,h}_{ij}\,\lVert p_i - p_j\rVert")
    compare = info.tier != "untrained" and st.toggle("Compare with the untrained model (same architecture, random "
                                                     "weights)", key="am_compare")
    other = U = None
    if compare:
        U = _lesson(img["key"], "untrained", None, device, _image=img["image"])  # at its training size
        other = {"name": "untrained", "distance": U["distance"], "entropy": U["entropy"]}
    ui.chart(afig.fig_attention_distance(L["distance"], L["entropy"], uniform_distance=L["uniform_distance"],
                                         layer=layer, head=head, other=other), "am_distance")
    ent = L["mean_entropy"]
    st.caption(f"Dashed: uniform attention ({L['uniform_distance']:.1f} px). Mean entropy of this model's rows: "
               f"{ent:.2f} nats; fully uniform would be log T = {L['max_entropy']:.2f}.")
    if U is not None:
        ul = min(layer, U["numbers"]["depth"] - 1)
        st.markdown(f"**Before vs after training.** Untrained rows have entropy {U['mean_entropy']:.2f} nats "
                    f"(uniform: {U['max_entropy']:.2f}): random weights spread attention almost evenly, so their maps "
                    f"are noise. This model: {ent:.2f} nats.")
        ui.chart(afig.fig_head_maps(U["image"], U["cls_maps"][ul], U["patch_size"]), "am_untrained")
        st.caption(f"Untrained model, [CLS] → patches, layer {ul}.")


@ui.part("7. One row of attention by hand", "am_s7", keep={"am_we_cls": True})
def _():
    use_cls = st.toggle("Use [CLS] as the query (off: the query patch of section 2)", key="am_we_cls")
    qtok = 0 if use_cls else 1 + query
    ex = _worked(img["key"], name, size, device, layer, head, qtok, _x=L["block_inputs"][layer])
    labels = afig.token_labels(L["grid"])
    d = ex["head_dim"]
    top0 = int(ex["top"][0])
    st.markdown(f"Query **{labels[qtok]}**, layer {layer}, head {head}. The block's input goes through LayerNorm "
                f"(`norm1`) and one `qkv` Linear; this head's slices give q (d = {d}), and a k and v for each of the "
                f"{n['T']} tokens.")
    st.latex(rf"s_j = q\cdot k_j,\quad \tilde s_j = \frac{{s_j}}{{\sqrt{{{d}}}}},\quad "
             rf"w_j = \frac{{e^{{\tilde s_j}}}}{{\sum_{{m=1}}^{{{n['T']}}} e^{{\tilde s_m}}}},\quad "
             rf"\text{{out}} = \sum_j w_j v_j")
    st.latex(rf"\text{{heaviest key: }} s = {ex['scores'][top0]:.3f},\ \ \tilde s = {ex['scores'][top0]:.3f}/"
             rf"{d ** 0.5:.3f} = {ex['scaled'][top0]:.3f},\ \ w = {ex['weights'][top0]:.4f}")
    w1, w2 = st.columns([2, 1])
    ui.chart(afig.fig_worked_example(ex, labels), "am_worked", into=w1)
    w2.metric("max |softmax by hand − model's row|", f"{ex['max_diff']:.1e}",
              help="The model's Attention, called with return_attn=True on the same input.")
    w2.metric("max |Σ w·v by hand − model|", f"{ex['out_diff']:.1e}")
    w2.metric("weights sum", f"{ex['weights_sum']:.6f}")
    ui.table([{"key": labels[j], "q·k": float(ex["scores"][j]), "q·k/√d": float(ex["scaled"][j]),
               "weight": float(ex["weights"][j]), "‖v‖": float(ex["v_norms"][j])} for j in ex["top"]],
             dict.fromkeys(("q·k", "q·k/√d", "weight", "‖v‖"), "%.4f"))


ui.show_code(am.Attention.forward, am.attend, am.attention_rollout, am.mean_attention_distance, am.dino_mask,
             am.worked_example, am.attention_lesson, labels=True)
