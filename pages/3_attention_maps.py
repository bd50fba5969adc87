"""Lesson: attention maps. What every head of every layer looks at, from one cached forward pass."""

from mmviz import ui
from mmviz.figures import attention_maps as afig
from mmviz.lessons import attention_maps as am
from mmviz.ui import st

ui.start_page()


# --------------------------------------------------------------------------- cached backend calls
@ui.cached(spinner="Running the ViT once, keeping every attention map…")
def _lesson(image_key: str, name: str, size: int | None, device: str, _image) -> dict:
    return am.attention_lesson(ui.model(name), _image, size=size, device=device)


@ui.cached()
def _rollout(image_key: str, name: str, size: int, fusion: str, discard: float, _attn, _cls_maps, grid):
    return am.rollout_panels(_attn, _cls_maps, grid, head_fusion=fusion, discard_ratio=discard)


@ui.cached()
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
        st.info("This tiny model was trained only on the **shapes world**: one coloured shape on a plain, "
                "textured or photo background (64×64 px), and its task is to **name the shape's colour**, "
                "so it learned to find the one object in the clutter. On a photo it still attends, but its "
                "[CLS] has never seen a cat. Press **Shapes world sample** to see it on data it knows.")
        card = ui.model_card(name)
        if card.get("heldout", {}).get("attn_on_object_by_layer"):
            h = card["heldout"]
            st.caption(f"Measured on {h['n']} fresh scenes (model card): accuracy {h['accuracy']:.1%}. Share of "
                       "[CLS]'s attention on the object's patches, layer by layer: "
                       + ", ".join(f"L{i} {v:.0%}" for i, v in enumerate(h["attn_on_object_by_layer"]))
                       + f" (uniform attention: {h['object_patch_share']:.0%}). Nothing told it where to look: "
                       "the only training signal was the colour's name.")
        st.markdown("Why not more on the object? A ViT trained with labels only has to get the label right, "
                    "and its attention is known to be much less object-shaped than that of a **self-supervised** "
                    "ViT: DINO (Caron et al. 2021, *Emerging Properties in Self-Supervised Vision Transformers*) "
                    "learned without labels, and its last layer's [CLS] heads outline the objects. Its checkpoint "
                    "is one command away: `python -m mmviz.download facebook/dino-vits16`, then pick it under "
                    "**Model**.")

sizes = am.input_sizes(info.preset)
size = ui.selectbox("Input size (short side, pixels)", sizes, key="am_size", default=sizes[0],
                    help="Positions are interpolated (bicubic) for sizes other than the training size.") \
    if len(sizes) > 1 else sizes[0]

device = ui.device()
try:
    L = _lesson(img["key"], name, size, device, _image=img["image"])
except (ValueError, RuntimeError, OSError) as e:
    st.error(f"The model could not read this image: {e}")
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
st.caption(f"**{img['name']}** ({L['original_size'][0]}×{L['original_size'][1]}) → {Wp}×{Hp} px. "
           f"{note['rule']} " + " ".join(extra))

m = st.columns(6)
m[0].metric("Patches N", n["N"], help="cls_maps.shape: gh × gw")
m[1].metric("Tokens T", n["T"], help="tokens.shape[1], with [CLS]")
m[2].metric("Width D", n["D"], help="tokens.shape[2]")
m[3].metric("Heads h", n["heads"], help="attn.shape[1]")
m[4].metric("Layers", n["depth"], help="len(attentions)")
m[5].metric("Head size d", n["head_dim"], help="D / h")
m[0].caption(f"{Hp}·{Wp}/{P}² = {Hp * Wp // P**2}")
m[1].caption(f"N + 1 = {Hp * Wp // P**2 + 1}")
m[3].caption(f"attention {n['heads']}×{n['T']}×{n['T']}")
m[5].caption(f"{n['D']}/{n['heads']} = {n['D'] // n['heads']}")
if (n["N"], n["T"]) != (Hp * Wp // P**2, Hp * Wp // P**2 + 1):
    st.error("The formula and the tensors disagree: please report this bug.")
if L["predictions"]:
    st.markdown("**The model predicts:** " + ", ".join(f"{c} {p:.0%}" for c, p in L["predictions"]))

# ---- layer / head ----------------------------------------------------------------------------------
c1, c2 = st.columns([3, 1])
layer = ui.slider("Layer", 0, n["depth"] - 1, key="am_layer", default=n["depth"] - 1, into=c1, help="0 = first block")
head = ui.selectbox("Head", list(range(n["heads"])), key="am_head", default=0, into=c2)

# ---- 1. [CLS] maps -------------------------------------------------------------------------------
st.subheader(f"1. What [CLS] looks at: every head of layer {layer}")
late = L["cls_from_layer"]
if late:
    st.info(f"In this tiny model **[CLS] joins the patches only in layer {late}** (CaiT-style class attention): "
            f"in layers 0–{late - 1} it attends to itself and no patch attends to it, so the patches first work "
            f"out among themselves what is where, and everything [CLS] knows about the image it reads in layer "
            f"{late}." + (" Its maps below are empty in this layer." if layer < late else ""))
ui.chart(afig.fig_head_maps(L["image"], L["cls_maps"][layer], P), "am_cls")
st.caption(f"Row 0 of each head's {n['T']}×{n['T']} attention matrix, without the [CLS] column, drawn over "
           "the patches. Each head has its own colour range (0 to its maximum); hover for the weight.")

# ---- 2. query patch ------------------------------------------------------------------------------
st.subheader("2. Pick any patch: where does it look?")
ui.take_click("am_picker", "am_query", curve=1)  # a click on the patch picker (below) arrives on the next run
query = ui.slider("Query patch index (or click a patch)", 0, n["N"] - 1, key="am_query",
                  default=(gh // 2) * gw + gw // 2)
a, b = st.columns([1, 2.2])
with a:
    ui.chart(afig.fig_query_picker(L["image"], L["grid"], P, query), "am_picker", toolbar=False, on_select="rerun",
             selection_mode="points")
with b:
    qmaps = am.query_attention(L["attn"], layer, 1 + query, L["grid"])
    ui.chart(afig.fig_head_maps(L["image"], qmaps, P, what=f"patch {query} →", query=query,
                                cols=2 if n["heads"] <= 4 else 4), "am_query_maps")
st.caption("Early layers tend to look near the query patch, later ones further away and at the object. "
           "The weight on [CLS] itself is not drawn.")

# ---- 3. the matrix -------------------------------------------------------------------------------
st.subheader(f"3. The whole {n['T']}×{n['T']} matrix of layer {layer}, head {head}")
ui.chart(afig.fig_attention_matrix(L["attn"][layer, head], L["grid"], query=1 + query,
                                   title=f"A = softmax(QKᵀ/√d), layer {layer}, head {head}: row = query, column = key"),
         "am_matrix")
st.caption("Every row sums to 1. Row 0 is [CLS] (section 1); the cyan line marks the query patch's row "
           "(section 2). Colours stop at the 99th percentile; hover gives the exact weight.")

# ---- 4. rollout ----------------------------------------------------------------------------------
st.subheader("4. Attention rollout: follow attention through all layers")
st.markdown("One layer's map ignores the residual connection and the layers below. **Rollout** "
            "(Abnar & Zuidema, 2020) fuses the heads, adds the identity for the residual path, renormalises, "
            "and multiplies the layers together.")
st.latex(r"\tilde A_\ell = \mathrm{norm}\big(\tfrac{1}{2}(\mathrm{fuse}_h A_\ell + I)\big),\qquad "
         r"R = \tilde A_{L-1}\cdots\tilde A_1\tilde A_0")
r1, r2 = st.columns(2)
fusion = r1.segmented_control("Head fusion", ["mean", "max", "min"], default="mean", key="am_fusion") or "mean"
discard = r2.slider("Discard ratio (weakest fused weights dropped per layer)", 0.0, 0.95, 0.0, 0.05, key="am_discard")
panels = _rollout(img["key"], name, size, fusion, discard, _attn=L["attn"], _cls_maps=L["cls_maps"], grid=L["grid"])
ui.chart(afig.fig_head_maps(L["image"], panels, P, what="[CLS] ←", cols=2,
                            titles=[f"rollout over {n['depth']} layers ({fusion}, discard {discard:.0%})",
                                    f"last layer only, mean of {n['heads']} heads"]), "am_rollout")

# ---- 5. DINO masks ---------------------------------------------------------------------------------
st.subheader(f"5. Thresholded masks: the patches holding most of [CLS]'s attention (layer {layer})")
keep = st.slider("Keep this share of the attention mass", 0.1, 0.95, 0.6, 0.05, key="am_keep",
                 help="DINO keeps 60%: sort the patches by weight and keep the top ones until they hold it.")
masks = am.dino_masks(L["cls_maps"][layer], keep)
ui.chart(afig.fig_masks(L["image"], masks, L["cls_maps"][layer], P, keep), "am_masks")

# ---- 6. distance vs depth --------------------------------------------------------------------------
st.subheader("6. How far does each head look?")
st.markdown("For every query patch, the pixel distance to each key patch weighted by attention, averaged over "
            "queries: small = local, like a convolution; large = global. In the ViT paper some heads look far "
            "already in layer 0, and the spread closes as depth grows.")
st.latex(r"\bar d_{\ell,h} = \frac{1}{N}\sum_{i}\sum_{j} A^{\ell,h}_{ij}\,\lVert p_i - p_j\rVert")
compare = info.tier != "untrained" and st.toggle("Compare with the untrained model (same architecture, random "
                                                 "weights)", key="am_compare")
other = None
if compare:
    U = _lesson(img["key"], "untrained", None, device, _image=img["image"])  # at its training size
    other = {"name": "untrained", "distance": U["distance"], "entropy": U["entropy"]}
ui.chart(afig.fig_attention_distance(L["distance"], L["entropy"], uniform_distance=L["uniform_distance"],
                                     layer=layer, head=head, other=other), "am_distance")
ent = L["mean_entropy"]
st.caption(f"Dashed: uniform attention ({L['uniform_distance']:.1f} px). Mean entropy of this model's rows: "
           f"{ent:.2f} nats; fully uniform would be log T = {L['max_entropy']:.2f}.")
if compare:
    ul = min(layer, U["numbers"]["depth"] - 1)
    st.markdown(f"**Before vs after training.** Untrained rows have entropy {U['mean_entropy']:.2f} nats "
                f"(uniform: {U['max_entropy']:.2f}): random weights spread attention almost evenly, so their maps are "
                f"noise. This model: {ent:.2f} nats.")
    ui.chart(afig.fig_head_maps(U["image"], U["cls_maps"][ul], U["patch_size"]), "am_untrained")
    st.caption(f"Untrained model, [CLS] → patches, layer {ul}.")

# ---- 7. worked example -----------------------------------------------------------------------------
st.subheader("7. One row of attention by hand")
use_cls = st.toggle("Use [CLS] as the query (off: the query patch of section 2)", value=True, key="am_we_cls")
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
with w1:
    ui.chart(afig.fig_worked_example(ex, labels), "am_worked")
with w2:
    st.metric("max |softmax by hand − model's row|", f"{ex['max_diff']:.1e}",
              help="The model's Attention, called with return_attn=True on the same input.")
    st.metric("max |Σ w·v by hand − model|", f"{ex['out_diff']:.1e}")
    st.metric("weights sum", f"{ex['weights_sum']:.6f}")
ui.table([{"key": labels[j], "q·k": float(ex["scores"][j]), "q·k/√d": float(ex["scaled"][j]),
           "weight": float(ex["weights"][j]), "‖v‖": float(ex["v_norms"][j])} for j in ex["top"]],
         dict.fromkeys(("q·k", "q·k/√d", "weight", "‖v‖"), "%.4f"))

ui.show_code(am.Attention.forward, am.attend, am.attention_rollout, am.mean_attention_distance, am.dino_mask,
             am.worked_example, am.attention_lesson, labels=True)
