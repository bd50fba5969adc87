"""Lesson: patch tokenization. An image becomes a sequence of tokens (N, D)."""

from mmviz import ui
from mmviz.figures import patch_tokenization as pfig
from mmviz.lessons import patch_tokenization as pt
from mmviz.ui import st

ui.start_page()
T = ui.texts("patch_tokenization")

SIZES = [64, 96, 128, 160, 192, 224, 256, 320, 384, 448, 512]
DIMS = [64, 192, 384, 768]


@ui.cached(max_entries=32, spinner=T("cutting"))
def _lesson(key: str, size: int, patch: int, dim: int, _image) -> dict:
    """All arrays of the page (NumPy), keyed by image key + size + patch + D."""
    return pt.patch_lesson(_image, size, patch, dim)


st.title(T("title"))
st.markdown(T("intro"))

img = ui.current_image()  # the sidebar's choice, else the sample

c1, c2, c3 = st.columns(3)
size = c1.selectbox(T("size"), SIZES, index=SIZES.index(224), key="pt_size")
options = pt.valid_patch_sizes(size)
patch = ui.selectbox(T("patch"), options, key="pt_patch", into=c2,  # kept valid for this size
                     default=16 if 16 in options else min(options, key=lambda p: abs(p - 16)),
                     help=T("patch_help", size=size))
dim = c3.selectbox(T("dim"), DIMS, index=DIMS.index(192), key="pt_dim", help=T("dim_help"))

try:
    L = _lesson(img["key"], size, patch, dim, _image=img["image"])
except (ValueError, RuntimeError) as e:
    st.error(T("cut_error", why=ui.scrub(e)))
    st.stop()

w_in, h_in = L["original_size"]
note = T("upscaled", size=size) if L["upscaled"] else ""
w_in, h_in = img["image"].info.get("original_size", (w_in, h_in))  # the file's size (the app keeps a smaller copy)
st.caption(T("resized", name=ui.plain(img["name"]), w=w_in, h=h_in, size=size, note=note))

# ---- the numbers --------------------------------------------------------------------------------
_, N, PPC = L["shapes"]["x_p"]
_, T_len, D = L["shapes"]["seq"]
C = L["shapes"]["x"][1]
N_formula = size * size // patch**2
answered = ui.predict("pt_q_tokens", T("q_tokens", H=size, W=size, P=patch), lo=0, hi=10**6, context=(size, patch),
                      reveal=lambda: (N, T("q_tokens_why", shape=tuple(L["shapes"]["x_p"]), H=size, W=size, P=patch,
                                           gh=L["grid"][0], gw=L["grid"][1], N=N, T=T_len))) is not None
if answered:  # the numbers that answer the question
    st.latex(
        rf"N = \frac{{H\,W}}{{P^2}} = \frac{{{size}\cdot{size}}}{{{patch}^2}} = {N_formula}"
        rf"\qquad x_p \in \mathbb{{R}}^{{N\times(P^2\cdot C)}} = \mathbb{{R}}^{{{N}\times{PPC}}}"
    )
else:
    st.latex(rf"N = \frac{{H\,W}}{{P^2}}\qquad x_p \in \mathbb{{R}}^{{N\times(P^2\cdot C)}} = \mathbb{{R}}^{{N\times{PPC}}}")
m = st.columns(5)
m[2].metric(T("m_patch"), f"{PPC:,}", help="x_p.shape[2]")
m[3].metric(T("m_dim"), f"{D:,}", help="z_0.shape[2]")
m[2].caption(f"{patch}²·{C} = {patch * patch * C:,}")
m[3].caption(T("chosen_d", dim=dim))
formula = [N_formula, N_formula + 1, patch * patch * C, dim, N_formula**2]
measured = [N, T_len, PPC, D, N * N]
if answered:
    m[0].metric(T("m_tokens"), f"{N:,}", help=T("m_tokens_help"))
    m[1].metric(T("m_seq"), f"{T_len:,}", help=T("m_seq_help"))
    m[4].metric(T("m_pairs"), f"{N * N:,}", help=T("m_pairs_help", n=f"{T_len * T_len:,}"))
    m[0].caption(f"HW/P² = {N_formula:,}")
    m[1].caption(f"N + 1 = {N_formula + 1:,}")
    m[4].caption(f"({N_formula:,})² = {N_formula**2:,}")
    if formula != measured:
        st.error(T("disagree", formula=formula, measured=measured))
    else:
        st.caption(T("agree"))
else:
    st.caption(T("open_numbers"))

# ---- 1. cut into patches -------------------------------------------------------------------------


@ui.part(T("s1"), "pt_s1", expanded=True)
def _():
    a, b = st.columns([1, 1.25])
    ui.chart(pfig.fig_patch_grid(L["image"], patch, title=None if answered else T("grid_title_open", P=patch)),
             "pt_grid", into=a)
    if answered:  # its title counts the tokens
        ui.chart(pfig.fig_patch_sequence(L["patches"], patch, L["grid"]), "pt_sequence", into=b)
    else:
        b.caption(T("sequence_open"))
    st.caption(T("s1_caption"))


@ui.part(T("s2"), "pt_s2", keep={"pt_exact": False})
def _():
    st.latex(r"z_0 = [\,x_\text{cls};\; x_p E\,] + E_\text{pos}")
    st.latex(
        rf"E \in \mathbb{{R}}^{{(P^2\cdot C)\times D}} = \mathbb{{R}}^{{{PPC}\times{D}}},\qquad "
        rf"z_0 \in \mathbb{{R}}^{{(N+1)\times D}} = \mathbb{{R}}^{{{T_len if answered else '(N+1)'}\times{D}}}"
    )
    exact = st.toggle(T("exact"), key="pt_exact", help=T("exact_help"))
    a, b = st.columns(2)
    ui.chart(pfig.fig_patch_matrix(L["patches"], patch, exact=exact), "pt_matrix", into=a)
    ui.chart(pfig.fig_projection(L["tokens"], exact=exact), "pt_projection", into=b)
    st.caption(T("s2_caption", diff=L["conv_vs_linear"]))


@ui.part(T("s3"), "pt_s3")
def _():
    st.latex(r"\text{cost of attention} \propto N^2 = \frac{H^2W^2}{P^4}" + (  # N² gives N away
        rf" = \frac{{{size}^2\cdot{size}^2}}{{{patch}^4}} = {N_formula**2:,}".replace(",", "{,}") if answered else ""))
    ui.chart(pfig.fig_token_counts(L["counts"], patch), "pt_counts")


@ui.part(T("s4"), "pt_s4")
def _():
    st.markdown(T("s4_md"))
    st.latex(r"n_\text{out} = \left\lfloor \frac{n + 2p - k}{s} \right\rfloor + 1"
             r"\qquad \text{CvT: } k = 7,\ s = 4,\ p = 2")
    S = L["summary"]
    names = [T(f"fig_tok{i}") for i in range(len(S))]  # the lesson's order: plain, CNN, CvT
    most = max(range(len(S)), key=lambda i: S[i]["n_tokens"])
    if ui.predict("pt_q_most", T("q_most", size=size), options=list(range(len(S))), format_func=names.__getitem__,
                  context=(size, patch), reveal=lambda: (most, T(
                      "q_most_why", name=names[most], n=f"{S[most]['n_tokens']:,}", gh=S[most]["grid"][0],
                      gw=S[most]["grid"][1], stride=S[most]["stride"],
                      others=", ".join(f"{names[i]} {S[i]['n_tokens']:,}" for i in range(len(S)) if i != most)))) is None:
        st.caption(T("compare_open"))  # the figure and the table count every tokenizer's tokens
        return
    st.latex(rf"\text{{CvT: }} \left\lfloor \frac{{{size} + 4 - 7}}{{4}} \right\rfloor + 1 = "
             rf"{pt.conv_out_size(size, 7, 4, 2)}")
    ui.chart(pfig.fig_tokenizations(L["image"], S), "pt_compare")
    cols = {k: T(f"col_{k}") for k in ("name", "grid", "tokens", "dim", "cls", "pairs", "window", "stride", "overlap")}
    ui.table([{cols["name"]: names[i], cols["grid"]: f"{s['grid'][0]}×{s['grid'][1]}", cols["tokens"]: s["n_tokens"],
               cols["dim"]: s["token_dim"], cols["cls"]: s["seq_len"], cols["pairs"]: s["attn_pairs"],
               cols["window"]: s["receptive_field"], cols["stride"]: s["stride"], cols["overlap"]: s["overlap"]}
              for i, s in enumerate(S)], dict.fromkeys((cols["tokens"], cols["cls"], cols["pairs"]), "localized"))
    st.caption(T("s4_caption"))


ui.show_code(pt.image_to_tensor, pt.patchify, pt.unpatchify, pt.linear_patch_embed, pt.conv_weight_to_linear,
             pt.PatchEmbed, pt.prepend_cls, pt.HybridStem, pt.ConvTokenEmbed, pt.conv_out_size,
             pt.tokenization_summary, labels=True)
