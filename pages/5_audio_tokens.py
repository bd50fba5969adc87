"""Lesson: audio tokens. Waveform -> STFT -> mel -> log-mel -> patches -> an Audio Spectrogram Transformer."""

from mmviz import ui
from mmviz.figures import audio_tokens as afig
from mmviz.lessons import audio_tokens as al
from mmviz.ui import st

ui.start_page()
T = ui.texts("audio_tokens")

N_FFTS = [128, 256, 400, 512, 1024, 2048]
HOPS = [40, 80, 160, 256, 320, 512]
PATCHES = [8, 16, 32]
STRIDES = [4, 6, 8, 10, 12, 16, 24, 32]


# --------------------------------------------------------------------------- cached backend calls
@ui.cached()
def _clip(key: str, sr: int, _y) -> dict:
    c = al.prepare_clip(_y, sr)
    return {**c, "wav": al.wav_bytes(c["y"], c["sr"]), "env": al.waveform_envelope(c["y"], c["sr"])}


@ui.cached(spinner=T("computing_stft"))
def _stft(key: str, n_fft: int, hop: int, window: str, sr: int, _y) -> dict:
    return al.stft_lesson(_y, sr, n_fft=n_fft, hop_length=hop, window=window)


@ui.cached()
def _stft_view(key: str, n_fft: int, hop: int, window: str, t0: float, t1: float, _L) -> dict:
    return al.stft_view(_L, t0, t1)


@ui.cached()
def _mel(sr: int, n_fft: int, n_mels: int, fmin: float, fmax: float) -> dict:
    return al.mel_lesson(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax)


@ui.cached(spinner=T("computing_logmel"))
def _log_mel(key: str, n_fft: int, hop: int, window: str, n_mels: int, fmin: float, fmax: float, sr: int, _y):
    return al.log_mel_lesson(_y, sr, n_fft=n_fft, hop_length=hop, window=window, n_mels=n_mels, fmin=fmin, fmax=fmax)


@ui.cached()
def _patches(key: str, mel_key: tuple, patch: int, stride: int, _S) -> dict:
    return al.patch_lesson(_S, patch=patch, stride=stride)


@ui.cached()
def _curve(sr: int, hop: int, n_fft: int, n_mels: int, patch: int, stride: int, heads: int, layers: int) -> dict:
    return al.token_curve(sr=sr, hop_length=hop, n_fft=n_fft, n_mels=n_mels, patch=patch, stride=stride,
                          heads=heads, layers=layers)


@ui.cached(spinner=T("running"))
def _ast(key: str, name: str, device: str, _y) -> dict:
    return al.ast_lesson(ui.model(name), _y, device=device)


# --------------------------------------------------------------------------- page
st.title(T("title"))
st.markdown(T("intro"))
ui.keep_widgets(al.SETTINGS)  # the front end's controls (sections 2, 3, 5) drive the sections after them
aud = ui.current_audio()  # the sidebar's choice, else the sample
if not st.session_state.get("audio"):
    st.caption(T("sample_clip", name=ui.plain(aud["name"])))
C = _clip(aud["key"], aud["sr"], _y=aud["y"])
y, sr = C["y"], C["sr"]
if C["note"] or aud.get("note"):
    st.info(" ".join(n for n in (aud.get("note"), C["cut"] and T("clip_cut", original=C["original_seconds"],
                                                                      max=al.MAX_SECONDS)) if n))
if not y.any():
    st.warning(T("silent"))
S_ = st.session_state
n_fft, window, n_mels, patch = S_["au_nfft"], S_["au_window"], S_["au_nmels"], S_["au_patch"]
hop = S_["au_hop"] if S_["au_hop"] <= n_fft else max(h for h in HOPS if h <= n_fft)
fmin, fmax = float(S_["au_fmin"]), float(min(S_["au_fmax"], sr // 2))
stride = min(S_["au_stride"], patch)
mel_key = (n_fft, hop, window, n_mels, fmin, fmax)

# ---- 1. the clip -------------------------------------------------------------------------------------
st.subheader(T("s1"))
st.audio(C["wav"], format="audio/wav")
ui.metrics((T("m_duration"), f"{C['seconds']:.2f} s", T("m_duration_help", max=al.MAX_SECONDS)),
           (T("m_samples"), f"{len(y):,}", "y.shape[0]"), (T("m_sr"), f"{sr:,} Hz"),
           (T("m_peak"), f"{C['env']['peak']:.3f}"), ("RMS", f"{C['env']['rms']:.4f}"))
ui.chart(afig.fig_waveform(C["env"], seconds=C["seconds"], title=f"{ui.plain(aud['name'])}: air pressure over time"),
         "au_wave")
st.caption(T("wave_caption", n=len(y), sr=sr, buckets=len(C["env"]["t"])))


@ui.part(T("s2"), "au_s2", expanded=True)
def _():
    c1, c2, c3 = st.columns(3)
    c1.select_slider(T("n_fft"), N_FFTS, key="au_nfft", on_change=ui.whole_page)
    h = ui.select_slider(T("hop"), [h for h in HOPS if h <= n_fft], key="au_hop", default=160, into=c2,
                         nearest=True, on_change=ui.whole_page, help=T("hop_help"))
    c3.selectbox(T("window"), list(al.WINDOWS), key="au_window", on_change=ui.whole_page, help=T("window_help"))
    st.latex(r"X[t,k]=\sum_{n=0}^{N-1} x[tH+n]\,w[n]\,e^{-2\pi i kn/N},\qquad P[t,k]=|X[t,k]|^2")
    st.latex(r"\Delta f=\frac{f_s}{N},\qquad T_w=\frac{N}{f_s},\qquad T_w\,\Delta f = 1")
    S1 = _stft(aud["key"], n_fft, h, window, sr, _y=y)
    R = S1["resolution"]
    ui.metrics((T("m_tw"), f"{R['window_ms']:.1f} ms", T("m_tw_help")),
               (T("m_df"), f"{R['bin_hz']:.1f} Hz", "sr / n_fft"),
               ("ENBW", f"{R['enbw_hz']:.1f} Hz", T("m_enbw_help")))
    ui.metrics((T("m_hop"), f"{R['hop_ms']:.1f} ms", T("m_hop_help", n=R["frames_per_s"])),
               (T("m_overlap"), f"{R['overlap']:.0%}", "1 - hop / n_fft"),
               (T("m_bins"), f"{S1['shape'][0]}×{S1['shape'][1]}", "P.shape: (1 + n_fft/2) × (1 + T/hop)"))
    st.markdown(al.tradeoff_sentence(R, window, ui.lang()))
    dur = float(max(C["seconds"], 0.01))
    if any(v > dur for v in st.session_state.get("au_zoom", ())):  # a zoom into a longer clip: back to all of it
        del st.session_state["au_zoom"]
    t0, t1 = st.slider(T("zoom"), 0.0, dur, (0.0, dur), step=0.01, key="au_zoom")
    V = _stft_view(aud["key"], n_fft, h, window, t0, t1, _L=S1)
    ui.chart(afig.fig_stft(V, title=f"|STFT|² in dB (0 dB = loudest cell), frames {V['frames'][0]}..{V['frames'][1]}"),
             "au_stft")
    fr, fc = V["pool"]
    st.caption(T("full_res") if fr * fc == 1 else T("pooled", fr=fr, fc=fc))


@ui.part(T("s3"), "au_s3")
def _():
    c1, c2, c3 = st.columns(3)
    c1.select_slider(T("n_mels"), [16, 32, 40, 64, 80, 96, 128], key="au_nmels", on_change=ui.whole_page)
    c2.slider("f_min (Hz)", 0, 1000, step=10, key="au_fmin", on_change=ui.whole_page)
    c3.slider("f_max (Hz)", 1000, sr // 2, step=100, key="au_fmax", on_change=ui.whole_page)
    st.latex(r"\mathrm{mel}=M\,P,\qquad M\in\mathbb{R}^{%d\times %d}" % (n_mels, 1 + n_fft // 2))
    st.latex(r"m(f)=\begin{cases}3f/200 & f<1000\ \mathrm{Hz}\\ 15+27\,\ln(f/1000)/\ln 6.4 & f\ge 1000\ \mathrm{Hz}"
             r"\end{cases}")
    ML = _mel(sr, n_fft, n_mels, fmin, fmax)
    ui.chart(afig.fig_mel_filters(ML, sr=sr, title=f"{n_mels} triangular mel filters from {fmin:.0f} to {fmax:.0f} "
                                  "Hz (librosa, Slaney mel scale)"), "au_mel")
    w = ML["widths"]
    st.caption(T("mel_caption", lo=w[0], hi=w[-1]))
    if len(ML["empty"]):
        st.warning(T("empty_filters", n=len(ML["empty"]), m=n_mels, hz=ML["bin_hz"]))


@ui.part(T("s4"), "au_s4")
def _():
    st.latex(r"S_{\mathrm{dB}}=10\log_{10}\frac{\max(M P,\,10^{-10})}{\max (M P)},\quad \text{floored at }-80\ "
             r"\mathrm{dB}")
    S = _log_mel(aud["key"], *mel_key, sr, _y=y)
    ui.chart(afig.fig_log_mel(S, _mel(sr, n_fft, n_mels, fmin, fmax)["centres"], hop_s=hop / sr,
                              title=f"log-mel: {S.shape[0]} bands × {S.shape[1]} frames"), "au_logmel")
    st.caption(f"S.shape = {S.shape}: n_frames = 1 + T // hop = 1 + {len(y)} // {hop} = {1 + len(y) // hop}.")


def _patch_grid(why: bool = False):
    """The patches of the log-mel picture (sections 5-7), or None with the reason (section 5) or a pointer to it."""
    if n_mels < patch:
        st.error(T("too_few_bands", m=n_mels, P=patch)) if why else st.caption(T("no_patches"))
        return None
    return _patches(aud["key"], mel_key, patch, stride, _S=_log_mel(aud["key"], *mel_key, sr, _y=y))


@ui.part(T("s5"), "au_s5")
def _():
    c1, c2 = st.columns(2)
    c1.select_slider(T("patch"), PATCHES, key="au_patch", on_change=ui.whole_page)
    ui.select_slider(T("stride"), [s for s in STRIDES if s <= patch], key="au_stride",
                     default=min(10, patch), into=c2, nearest=True, on_change=ui.whole_page)
    PL = _patch_grid(why=True)
    if PL is None:
        return
    (F_, Tp), N = PL["grid"], PL["counts"]["patches"]
    if ui.predict("au_q_patches", T("q_patches", m=n_mels, f=PL["S"].shape[1], P=patch, s=stride), lo=0, hi=10 ** 7,
                  context=(aud["key"], mel_key, patch, stride), reveal=lambda: (int(PL["patches"].shape[0]), T(
                      "q_patches_why", F=F_, T=Tp, N=int(PL["patches"].shape[0]),
                      shape=tuple(PL["patches"].shape)))) is None:  # the formula's numbers, the metrics and the grid
        st.latex(r"F=\left\lfloor\frac{n_{mels}-P}{s}\right\rfloor+1,\quad T=\left\lfloor\frac{n_{frames}-P}{s}"
                 r"\right\rfloor+1,\quad N=F\cdot T")  # answer it
        ui.metrics((T("m_values"), f"{patch * patch}", "patches.shape[1]"),
                   (T("m_overlap_p"), f"{max(0, patch - stride) / patch:.0%}", T("m_overlap_p_help")))
        st.caption(T("patches_open"))
        if PL["padded"]:
            st.info(T("padded", n=PL["n_frames"], P=patch, pad=PL["padded"]))
        return
    st.latex(r"F=\left\lfloor\frac{%d-%d}{%d}\right\rfloor+1=%d,\quad T=\left\lfloor\frac{%d-%d}{%d}\right\rfloor+1="
             r"%d,\quad N=F\cdot T=%d" % (n_mels, patch, stride, F_, PL["S"].shape[1], patch, stride, Tp, N))
    ui.metrics((T("m_grid"), f"{F_} × {Tp}", T("m_grid_help")), (T("m_patches"), f"{N:,}", "patches.shape[0]"),
               (T("m_tokens"), f"{N + 2:,}", T("m_tokens_help")),
               (T("m_values"), f"{patch * patch}", "patches.shape[1]"),
               (T("m_overlap_p"), f"{max(0, patch - stride) / patch:.0%}", T("m_overlap_p_help")))
    if PL["padded"]:
        st.info(T("padded", n=PL["n_frames"], P=patch, pad=PL["padded"]))
    sel = ui.slider(T("highlight"), 0, N - 1, key="au_sel", default=min(N - 1, (F_ // 2) * Tp + Tp // 4))
    ui.chart(afig.fig_log_mel_patches(PL["S"], PL["grid"], patch=patch, stride=stride, selected=sel, hop_s=hop / sr,
                                      title=f"{F_} × {Tp} patches of {patch} × {patch}, stride {stride}: patch {sel} "
                                            "(red) and its right neighbour (cyan)"), "au_patches")
    st.caption(T("patches_caption", s=stride, P=patch, shared=max(0, patch - stride)))


@ui.part(T("s6"), "au_s6")
def _():
    PL = _patch_grid()
    if PL is None:
        return
    (F_, Tp), N = PL["grid"], PL["counts"]["patches"]
    st.markdown(al.count_sentence(N, (F_, Tp), C["seconds"], ui.lang()))
    ui.chart(afig.fig_token_curve(_curve(sr, hop, n_fft, n_mels, patch, stride, 12, 12), current_s=C["seconds"],
                                  current_tokens=N + 2, title=f"Tokens and attention cost against duration (P={patch}, "
                                  f"s={stride}, {n_mels} bands, hop {hop / sr * 1000:.0f} ms)"), "au_curve")


@ui.part(T("s7"), "au_s7")
def _():
    PL = _patch_grid()
    if PL is None:
        return
    (F_, Tp), N = PL["grid"], PL["counts"]["patches"]
    st.markdown(T("s7_md", T=Tp, P=patch, P2=patch * patch))
    st.latex(r"z_0=[x_{\mathrm{cls}};\,x_{\mathrm{dist}};\,x_p^1E;\,\dots;\,x_p^{N}E]+E_{\mathrm{pos}},"
             r"\qquad x_p\in\mathbb{R}^{N\times %d},\ E\in\mathbb{R}^{%d\times D}" % (patch * patch, patch * patch))
    ui.chart(afig.fig_patch_sequence(PL["patches"], PL["grid"], patch=patch, n_show=16, title=f"tokens "
                                     f"0..{min(16, N) + 1} of {N + 2:,}: [CLS], [DIST], then patches (row, col)"), "au_seq")


@ui.part(T("s8"), "au_s8")
def _():
    info = ui.model_picker("ast", "au_model")
    if info.tier == "untrained":
        st.warning(T("untrained"))
    try:
        A = _ast(aud["key"], info.name, ui.device(), _y=y)
    except (ValueError, RuntimeError, OSError) as e:
        st.error(T("error", why=ui.scrub(e)))
        return
    n = A["numbers"]
    st.markdown(al.ast_sentence(A, C["seconds"], ui.lang()))
    if A["top"]:
        ui.chart(afig.fig_predictions(A["top"], multi_label=A["multi_label"], title="Top predictions" + (
            " (AudioSet labels are independent: scores do not add up to 1)" if A["multi_label"] else "")), "au_pred")
    layer = ui.slider(T("layer"), 0, n["depth"] - 1, key="au_layer", default=n["depth"] - 1) if n["depth"] > 1 else 0
    share, peak = A["patch_share"][layer], A["cls_max"][layer]  # (heads,) each
    ui.chart(afig.fig_cls_attention(A["features"], A["cls"][layer], patch=n["patch"], fstride=n["fstride"],
                                    tstride=n["tstride"], n_valid=A["n_valid"], cols=2 if n["heads"] <= 4 else 3,
                                    titles=[f"head {i} · max {peak[i]:.3f} · {share[i]:.0%} on patches"
                                            for i in range(n["heads"])]), "au_attn")
    st.caption(T("attn_caption", T=n["T"], layer=layer))


ui.show_code(al.stft_power, al.resolution, al.mel_filterbank, al.log_mel, al.spectrogram_patches, al.token_count,
             al.kaldi_fbank, al.ast_features, al.AST.patch_tokens, al.AST.embed, al.AST.logits, labels=True)
