"""Lesson: patch tokenization. An image becomes a sequence of tokens (N, D)."""

from mmviz import ui
from mmviz.figures import patch_tokenization as pfig
from mmviz.lessons import patch_tokenization as pt
from mmviz.ui import st

ui.start_page()

SIZES = [64, 96, 128, 160, 192, 224, 256, 320, 384, 448, 512]
DIMS = [64, 192, 384, 768]


@ui.cached(max_entries=32, spinner="Cutting the image into patches…")
def _lesson(key: str, size: int, patch: int, dim: int, _image) -> dict:
    """All arrays of the page (NumPy), keyed by image key + size + patch + D."""
    return pt.patch_lesson(_image, size, patch, dim)


st.title("Patch tokenization")
st.markdown(
    "A transformer only reads **sequences of vectors**. Text is already a sequence of words; "
    "an image becomes one by cutting it into **P×P patches**, reading them row by row like a "
    "page of text, flattening each patch into a vector of its pixel values and multiplying it "
    "by one shared matrix **E** that turns it into a token of **D** numbers. A learned **[CLS]** "
    "token goes in front; its final state will summarise the image. Smaller patches mean more "
    "detail, but more tokens, and attention compares every token with every other one."
)

img = ui.current_image()  # the sidebar's choice, else the sample

c1, c2, c3 = st.columns(3)
size = c1.selectbox("Image size H = W (pixels)", SIZES, index=SIZES.index(224), key="pt_size")
options = pt.valid_patch_sizes(size)
patch = ui.selectbox("Patch size P (pixels)", options, key="pt_patch", into=c2,  # kept valid for this size
                     default=16 if 16 in options else min(options, key=lambda p: abs(p - 16)),
                     help=f"Only sizes that divide {size} into whole patches are offered.")
dim = c3.selectbox("Embedding dimension D", DIMS, index=DIMS.index(192), key="pt_dim",
                   help="ViT-Tiny uses 192, ViT-Small 384, ViT-Base 768.")

try:
    L = _lesson(img["key"], size, patch, dim, _image=img["image"])
except (ValueError, RuntimeError) as e:
    st.error(f"This image could not be cut into patches: {ui.scrub(e)}")
    st.stop()

w_in, h_in = L["original_size"]
note = (f"It is smaller than {size} px, so it is **upscaled** (bicubic) by the same rule; "
        "upscaling adds no detail.") if L["upscaled"] else ""
w_in, h_in = img["image"].info.get("original_size", (w_in, h_in))  # the file's size (the app keeps a smaller copy)
st.caption(
    f"**{ui.plain(img['name'])}** ({w_in}×{h_in}) is resized so that its shorter side is {size} px, then "
    f"center-cropped to {size}×{size}: the standard ViT evaluation rule. {note}"
)

# ---- the numbers --------------------------------------------------------------------------------
_, N, PPC = L["shapes"]["x_p"]
_, T, D = L["shapes"]["seq"]
C = L["shapes"]["x"][1]
N_formula = size * size // patch**2
st.latex(
    rf"N = \frac{{H\,W}}{{P^2}} = \frac{{{size}\cdot{size}}}{{{patch}^2}} = {N_formula}"
    rf"\qquad x_p \in \mathbb{{R}}^{{N\times(P^2\cdot C)}} = \mathbb{{R}}^{{{N}\times{PPC}}}"
)
m = st.columns(5)
m[0].metric("Tokens N", f"{N:,}", help="x_p.shape[1], read from the tensor")
m[1].metric("Sequence length N+1", f"{T:,}", help="with the [CLS] token: z_0.shape[1]")
m[2].metric("Patch vector P²·C", f"{PPC:,}", help="x_p.shape[2]")
m[3].metric("Embedding D", f"{D:,}", help="z_0.shape[2]")
m[4].metric("Attention pairs N²", f"{N * N:,}", help=f"with [CLS]: (N+1)² = {T * T:,}")
formula = [N_formula, N_formula + 1, patch * patch * C, dim, N_formula**2]
measured = [N, T, PPC, D, N * N]
m[0].caption(f"HW/P² = {N_formula:,}")
m[1].caption(f"N + 1 = {N_formula + 1:,}")
m[2].caption(f"{patch}²·{C} = {patch * patch * C:,}")
m[3].caption(f"chosen D = {dim}")
m[4].caption(f"({N_formula:,})² = {N_formula**2:,}")
if formula != measured:
    st.error(f"The formula {formula} and the tensors {measured} disagree: please report this bug.")
else:
    st.caption("Top: measured from the tensors' shapes. Below: the formula. They agree.")

# ---- 1. cut into patches -------------------------------------------------------------------------


@ui.part("1. Cut the image into patches, read them in raster order", "pt_s1", expanded=True)
def _():
    a, b = st.columns([1, 1.25])
    ui.chart(pfig.fig_patch_grid(L["image"], patch), "pt_grid", into=a)
    ui.chart(pfig.fig_patch_sequence(L["patches"], patch, L["grid"]), "pt_sequence", into=b)
    st.caption("Hover a patch to see its index k, its grid position (row k // gw, column k % gw) and its pixels. "
               "Position 0 of the sequence is the [CLS] token (orange): it is not cut from the image.")


@ui.part("2. Flatten every patch, project it to D numbers, prepend [CLS]", "pt_s2", keep={"pt_exact": False})
def _():
    st.latex(r"z_0 = [\,x_\text{cls};\; x_p E\,] + E_\text{pos}")
    st.latex(
        rf"E \in \mathbb{{R}}^{{(P^2\cdot C)\times D}} = \mathbb{{R}}^{{{PPC}\times{D}}},\qquad "
        rf"z_0 \in \mathbb{{R}}^{{(N+1)\times D}} = \mathbb{{R}}^{{{T}\times{D}}}"
    )
    exact = st.toggle("Every value on hover (heavier: the whole matrix is sent)", key="pt_exact",
                      help="Off: the pictures show every value; the hover gives block means.")
    a, b = st.columns(2)
    ui.chart(pfig.fig_patch_matrix(L["patches"], patch, exact=exact), "pt_matrix", into=a)
    ui.chart(pfig.fig_projection(L["tokens"], exact=exact), "pt_projection", into=b)
    st.caption(
        f"Each row of x_p is one patch, flattened in (P, P, C) order (pixel by pixel, R G B). "
        f"**E here is untrained** (a seeded random initialisation): this lesson is about shapes; trained "
        f"projections appear in the attention lesson. Position embeddings E_pos are the next lesson. "
        f"The same projection is a convolution with kernel P and stride P (`PatchEmbed`): "
        f"both paths computed here differ by at most {L['conv_vs_linear']:.1e}."
    )


@ui.part("3. Smaller patches, many more tokens", "pt_s3")
def _():
    st.latex(r"\text{cost of attention} \propto N^2 = \frac{H^2W^2}{P^4}"
             rf" = \frac{{{size}^2\cdot{size}^2}}{{{patch}^4}} = {N_formula**2:,}".replace(",", "{,}"))
    ui.chart(pfig.fig_token_counts(L["counts"], patch), "pt_counts")


@ui.part("4. Three ways to tokenize an image", "pt_s4")
def _():
    st.markdown(
        "**Plain patches** (ViT) cut without overlap. A **CNN feature map** (hybrid ViT) lets a small "
        "convolutional stem shrink the image 16× and reads each position of its map as a token. "
        "**Overlapping convolutions** (CvT) use a 7×7 kernel with stride 4, so neighbouring tokens "
        "share pixels. Hover a token to see the window of pixels it sees; the two boxes are a token and "
        "its right neighbour."
    )
    st.latex(r"n_\text{out} = \left\lfloor \frac{n + 2p - k}{s} \right\rfloor + 1"
             rf"\qquad \text{{CvT: }} \left\lfloor \frac{{{size} + 4 - 7}}{{4}} \right\rfloor + 1 = "
             rf"{pt.conv_out_size(size, 7, 4, 2)}")
    ui.chart(pfig.fig_tokenizations(L["image"], L["summary"]), "pt_compare")
    ui.table([{"tokenization": s["name"], "grid": f"{s['grid'][0]}×{s['grid'][1]}", "tokens N": s["n_tokens"],
               "token dim": s["token_dim"], "with [CLS]": s["seq_len"], "attention pairs N²": s["attn_pairs"],
               "window (px)": s["receptive_field"], "stride (px)": s["stride"], "overlap": s["overlap"]}
              for s in L["summary"]], dict.fromkeys(("tokens N", "with [CLS]", "attention pairs N²"), "localized"))
    st.caption(
        "Numbers read from the output tensors of each module. The CNN stem here is a **hand-set, untrained "
        "stand-in**: its first layer holds oriented edge detectors per colour-opponent channel and its later "
        "layers average, so it shows shapes and token counts honestly; a trained ResNet stem gives far richer "
        "features. The CvT projection is untrained too (seeded)."
    )


ui.show_code(pt.image_to_tensor, pt.patchify, pt.unpatchify, pt.linear_patch_embed, pt.conv_weight_to_linear,
             pt.PatchEmbed, pt.prepend_cls, pt.HybridStem, pt.ConvTokenEmbed, pt.conv_out_size,
             pt.tokenization_summary, labels=True)
