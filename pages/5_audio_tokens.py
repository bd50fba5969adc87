"""Lesson: audio tokens. Waveform -> STFT -> mel -> log-mel -> patches -> an Audio Spectrogram Transformer."""

from mmviz import ui
from mmviz.figures import audio_tokens as afig
from mmviz.lessons import audio_tokens as al
from mmviz.ui import st

ui.start_page()

N_FFTS = [128, 256, 400, 512, 1024, 2048]
HOPS = [40, 80, 160, 256, 320, 512]
PATCHES = [8, 16, 32]
STRIDES = [4, 6, 8, 10, 12, 16, 24, 32]


# --------------------------------------------------------------------------- cached backend calls
@ui.cached()
def _clip(key: str, sr: int, _y) -> dict:
    c = al.prepare_clip(_y, sr)
    return {**c, "wav": al.wav_bytes(c["y"], c["sr"]), "env": al.waveform_envelope(c["y"], c["sr"])}


@ui.cached(spinner="Computing the STFT…")
def _stft(key: str, n_fft: int, hop: int, window: str, sr: int, _y) -> dict:
    return al.stft_lesson(_y, sr, n_fft=n_fft, hop_length=hop, window=window)


@ui.cached()
def _stft_view(key: str, n_fft: int, hop: int, window: str, t0: float, t1: float, _L) -> dict:
    return al.stft_view(_L, t0, t1)


@ui.cached()
def _mel(sr: int, n_fft: int, n_mels: int, fmin: float, fmax: float) -> dict:
    return al.mel_lesson(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax)


@ui.cached(spinner="Computing the log-mel spectrogram…")
def _log_mel(key: str, n_fft: int, hop: int, window: str, n_mels: int, fmin: float, fmax: float, sr: int, _y):
    return al.log_mel_lesson(_y, sr, n_fft=n_fft, hop_length=hop, window=window, n_mels=n_mels, fmin=fmin, fmax=fmax)


@ui.cached()
def _patches(key: str, mel_key: tuple, patch: int, stride: int, _S) -> dict:
    return al.patch_lesson(_S, patch=patch, stride=stride)


@ui.cached()
def _curve(sr: int, hop: int, n_fft: int, n_mels: int, patch: int, stride: int, heads: int, layers: int) -> dict:
    return al.token_curve(sr=sr, hop_length=hop, n_fft=n_fft, n_mels=n_mels, patch=patch, stride=stride,
                          heads=heads, layers=layers)


@ui.cached(spinner="Running the AST once, keeping [CLS]'s attention in every layer…")
def _ast(key: str, name: str, device: str, _y) -> dict:
    return al.ast_lesson(ui.model(name), _y, device=device)


# --------------------------------------------------------------------------- page
st.title("Audio tokens")
st.markdown(
    "A transformer cannot listen. It reads a **sequence of vectors**, so a sound has to become one. "
    "The Audio Spectrogram Transformer (AST) does it in four steps: cut the waveform into short "
    "overlapping frames and measure how much of each frequency each frame holds (the **STFT**); "
    "pool the frequencies into bands spaced like our ears hear them (**mel**); take the **log**, "
    "since loudness is heard in ratios; and cut the resulting picture into **16×16 patches**, exactly "
    "like a ViT cuts an image. Every patch becomes one token."
)

aud = ui.current_audio()  # the sidebar's choice, else the sample
if not st.session_state.get("audio"):
    st.caption(f"Showing the sample clip **{aud['name']}**: pick a sample, upload a file or record one in the sidebar.")
C = _clip(aud["key"], aud["sr"], _y=aud["y"])
y, sr = C["y"], C["sr"]
if C["note"] or aud.get("note"):
    st.info(" ".join(n for n in (aud.get("note"), C["note"]) if n))
if not y.any():
    st.warning("This clip is silent (all samples are zero): every spectrogram below is the -80 dB floor.")

# ---- 0. the clip -------------------------------------------------------------------------------------
st.subheader("1. The waveform")
st.audio(C["wav"], format="audio/wav")
m = st.columns(5)
m[0].metric("Duration", f"{C['seconds']:.2f} s", help=f"at most {al.MAX_SECONDS:g} s are used")
m[1].metric("Samples T", f"{len(y):,}", help="y.shape[0]")
m[2].metric("Sample rate", f"{sr:,} Hz")
m[3].metric("Peak |y|", f"{C['env']['peak']:.3f}")
m[4].metric("RMS", f"{C['env']['rms']:.4f}")
ui.chart(afig.fig_waveform(C["env"], seconds=C["seconds"], title=f"{aud['name']}: air pressure over time"), "au_wave")
st.caption(f"{len(y):,} numbers, {sr:,} per second. Drawn as the minimum and maximum of each of "
           f"{len(C['env']['t'])} time buckets; a waveform shows loudness, but hides which pitches are playing.")

# ---- 2. STFT -----------------------------------------------------------------------------------------
st.subheader("2. Short-time Fourier transform: which frequencies, when")
c1, c2, c3 = st.columns(3)
n_fft = c1.select_slider("Window n_fft (samples)", N_FFTS, value=400, key="au_nfft")
hop = ui.select_slider("Hop (samples)", [h for h in HOPS if h <= n_fft], key="au_hop", default=min(160, n_fft),
                       into=c2)
window = c3.selectbox("Window", list(al.WINDOWS), key="au_window",
                      help="boxcar = rectangular (no tapering): sharpest peak, most leakage.")
st.latex(r"X[t,k]=\sum_{n=0}^{N-1} x[tH+n]\,w[n]\,e^{-2\pi i kn/N},\qquad P[t,k]=|X[t,k]|^2")
st.latex(r"\Delta f=\frac{f_s}{N},\qquad T_w=\frac{N}{f_s},\qquad T_w\,\Delta f = 1")
S1 = _stft(aud["key"], n_fft, hop, window, sr, _y=y)
R = S1["resolution"]
m = st.columns(6)
m[0].metric("Window T_w", f"{R['window_ms']:.1f} ms", help="n_fft / sr: the time each column blurs together")
m[1].metric("Bin spacing Δf", f"{R['bin_hz']:.1f} Hz", help="sr / n_fft")
m[2].metric("ENBW", f"{R['enbw_hz']:.1f} Hz", help="equivalent noise bandwidth, n_fft·Σw²/(Σw)² bins × Δf: how wide one bin really listens")
m[3].metric("Hop", f"{R['hop_ms']:.1f} ms", help=f"{R['frames_per_s']:.0f} frames per second")
m[4].metric("Overlap", f"{R['overlap']:.0%}", help="1 - hop / n_fft")
m[5].metric("Bins × frames", f"{S1['shape'][0]}×{S1['shape'][1]}", help="P.shape: (1 + n_fft/2) × (1 + T/hop)")
st.markdown(f"**The trade-off, in numbers:** a {R['window_ms']:.0f} ms window separates frequencies "
            f"{R['bin_hz']:.0f} Hz apart (T_w·Δf = {R['time_x_freq']:.0f}); doubling n_fft halves Δf to "
            f"{R['bin_hz'] / 2:.0f} Hz but blurs {2 * R['window_ms']:.0f} ms of sound into each column. "
            f"The {window} window widens each bin to {R['enbw_bins']:.2f} bins ({R['enbw_hz']:.0f} Hz) in "
            "exchange for less leakage into distant bins.")
t0, t1 = st.slider("Zoom (seconds)", 0.0, float(max(C["seconds"], 0.01)), (0.0, float(C["seconds"])),
                   step=0.01, key="au_zoom")
V = _stft_view(aud["key"], n_fft, hop, window, t0, t1, _L=S1)
ui.chart(afig.fig_stft(V, title=f"|STFT|² in dB (0 dB = loudest cell), frames {V['frames'][0]}..{V['frames'][1]}"),
         "au_stft")
fr, fc = V["pool"]
st.caption("Drawn at full resolution." if fr * fc == 1 else
           f"Drawn with {fr} bin(s) × {fc} frame(s) per cell (the maximum of each cell); zoom in to see every "
           "frame. The numbers above are from the full array.")

# ---- 3. mel ------------------------------------------------------------------------------------------
st.subheader("3. Mel filterbank: frequencies pooled the way we hear them")
c1, c2, c3 = st.columns(3)
n_mels = c1.select_slider("Mel bands", [16, 32, 40, 64, 80, 96, 128], value=128, key="au_nmels")
fmin = c2.slider("f_min (Hz)", 0, 1000, 0, 10, key="au_fmin")
fmax = c3.slider("f_max (Hz)", 1000, sr // 2, sr // 2, 100, key="au_fmax")
st.latex(r"\mathrm{mel}=M\,P,\qquad M\in\mathbb{R}^{%d\times %d}" % (n_mels, 1 + n_fft // 2))
st.latex(r"m(f)=\begin{cases}3f/200 & f<1000\ \mathrm{Hz}\\ 15+27\,\ln(f/1000)/\ln 6.4 & f\ge 1000\ \mathrm{Hz}"
         r"\end{cases}")
ML = _mel(sr, n_fft, n_mels, float(fmin), float(fmax))
ui.chart(afig.fig_mel_filters(ML, sr=sr, title=f"{n_mels} triangular mel filters from {fmin} to {fmax} Hz "
                              "(librosa, Slaney mel scale)"), "au_mel")
w = ML["widths"]
st.caption(f"Each triangle adds up the power of the FFT bins under it. Low bands are {w[0]:.0f} Hz wide, the top "
           f"band {w[-1]:.0f} Hz: equal steps in pitch, not in Hz. librosa scales each triangle to unit area "
           "(Slaney), so wide bands have low peaks.")
if len(ML["empty"]):
    st.warning(f"{len(ML['empty'])} of {n_mels} filters are narrower than the {ML['bin_hz']:.0f} Hz bin spacing and "
               "catch no FFT bin at all (their rows are empty). Use a larger n_fft or fewer mel bands.")

# ---- 4. log-mel --------------------------------------------------------------------------------------
st.subheader("4. Log-mel spectrogram: the picture the transformer reads")
st.latex(r"S_{\mathrm{dB}}=10\log_{10}\frac{\max(M P,\,10^{-10})}{\max (M P)},\quad \text{floored at }-80\ \mathrm{dB}")
mel_key = (n_fft, hop, window, n_mels, float(fmin), float(fmax))
S = _log_mel(aud["key"], *mel_key, sr, _y=y)
ui.chart(afig.fig_log_mel(S, ML["centres"], hop_s=hop / sr, title=f"log-mel: {S.shape[0]} bands × {S.shape[1]} frames"),
         "au_logmel")
st.caption(f"S.shape = {S.shape}: n_frames = 1 + T // hop = 1 + {len(y)} // {hop} = {1 + len(y) // hop}.")

# ---- 5. patches --------------------------------------------------------------------------------------
st.subheader("5. Patches: cut the picture like an image")
c1, c2 = st.columns(2)
patch = ui.select_slider("Patch size P", PATCHES, key="au_patch", default=16, into=c1)
stride = ui.select_slider("Stride s (s < P: patches overlap)", [s for s in STRIDES if s <= patch], key="au_stride",
                          default=min(10, patch), into=c2)
if n_mels < patch:
    st.error(f"{n_mels} mel bands are fewer than one {patch}-band patch: choose more mel bands or a smaller patch.")
    st.stop()
PL = _patches(aud["key"], mel_key, patch, stride, _S=S)
F_, Tp = PL["grid"]
N = PL["counts"]["patches"]
st.latex(r"F=\left\lfloor\frac{%d-%d}{%d}\right\rfloor+1=%d,\quad T=\left\lfloor\frac{%d-%d}{%d}\right\rfloor+1=%d,"
         r"\quad N=F\cdot T=%d" % (n_mels, patch, stride, F_, PL["S"].shape[1], patch, stride, Tp, N))
m = st.columns(5)
m[0].metric("Grid F × T", f"{F_} × {Tp}", help="patches.shape → grid")
m[1].metric("Patches N", f"{N:,}", help="patches.shape[0]")
m[2].metric("Tokens N + 2", f"{N + 2:,}", help="+ [CLS] + distillation token (AST)")
m[3].metric("Patch values P²", f"{patch * patch}", help="patches.shape[1]")
m[4].metric("Patch overlap", f"{max(0, patch - stride) / patch:.0%}", help="(P - s) / P along each axis")
if PL["padded"]:
    st.info(f"The clip gives only {PL['n_frames']} frames, fewer than one {patch}-frame patch, so {PL['padded']} "
            "frames of the -80 dB floor were added on the right.")
sel = ui.slider("Highlight patch k", 0, N - 1, key="au_sel", default=min(N - 1, (F_ // 2) * Tp + Tp // 4))
ui.chart(afig.fig_log_mel_patches(PL["S"], PL["grid"], patch=patch, stride=stride, selected=sel, hop_s=hop / sr,
                                  title=f"{F_} × {Tp} patches of {patch} × {patch}, stride {stride}: patch {sel} (red) "
                                      f"and its right neighbour (cyan)"), "au_patches")
st.caption(f"Faint lines mark where patches start, every {stride} bands / frames; each patch reaches {patch} "
           f"further, so neighbours share {max(0, patch - stride)} columns. Hover anywhere for the patch under it.")

# ---- 6. counts ---------------------------------------------------------------------------------------
st.subheader("6. How many tokens? Attention grows with the square")
ex = al.token_count(128, 1024, patch=16, stride=10)
curve = _curve(sr, hop, n_fft, n_mels, patch, stride, 12, 12)
st.markdown(
    f"With these settings this {C['seconds']:.2f} s clip gives **{N:,} patches** ({F_} × {Tp}), so each attention "
    f"head of each layer fills a **{N + 2:,} × {N + 2:,}** matrix ({(N + 2) ** 2:,} weights). The AST checkpoint "
    f"pads every clip to 1024 frames (10.24 s at a 10 ms hop) with 128 mel bands, 16×16 patches and stride 10: "
    f"**{ex['grid'][0]} × {ex['grid'][1]} = {ex['patches']:,} patches**, {ex['tokens']:,} tokens, "
    f"{ex['attention']:,} weights per head per layer. Twice the audio, twice the tokens, four times the attention.")
ui.chart(afig.fig_token_curve(curve, current_s=C["seconds"], current_tokens=N + 2,
                              title=f"Tokens and attention cost against duration (P={patch}, s={stride}, "
                                  f"{n_mels} bands, hop {hop / sr * 1000:.0f} ms)"), "au_curve")

# ---- 7. sequence -------------------------------------------------------------------------------------
st.subheader("7. The patches as a token sequence")
st.markdown(f"Read frequency row by row, left to right (patch k sits at row k // {Tp}, column k % {Tp}), each "
            f"{patch}×{patch} patch is flattened to {patch * patch} numbers and multiplied by one learned matrix "
            "E; a [CLS] and a distillation token go in front and learned positions are added.")
st.latex(r"z_0=[x_{\mathrm{cls}};\,x_{\mathrm{dist}};\,x_p^1E;\,\dots;\,x_p^{N}E]+E_{\mathrm{pos}},"
         r"\qquad x_p\in\mathbb{R}^{N\times %d},\ E\in\mathbb{R}^{%d\times D}" % (patch * patch, patch * patch))
ui.chart(afig.fig_patch_sequence(PL["patches"], PL["grid"], patch=patch, n_show=16,
                                 title=f"tokens 0..{min(16, N) + 1} of {N + 2:,}: [CLS], [DIST], then patches (row, col)"), "au_seq")

# ---- 8. model ----------------------------------------------------------------------------------------
st.subheader("8. An Audio Spectrogram Transformer listens")
info = ui.model_picker("ast", "au_model")
if info.tier == "untrained":
    st.warning("This AST has **random weights**: no trained audio model is installed yet, so its attention is "
               "close to uniform and its predictions are guesses. The page is wired for trained weights; they "
               "appear in the list above once they are installed.")
try:
    A = _ast(aud["key"], info.name, ui.device(), _y=y)
except (ValueError, RuntimeError, OSError) as e:
    st.error(f"The model could not read this clip: {e}")
    st.stop()
n = A["numbers"]
heard = (f"it hears the first {n['seconds']:.2f} s of this {C['seconds']:.2f} s clip" if C["seconds"] > n["seconds"]
         else f"this {C['seconds']:.2f} s clip is padded to {n['seconds']:.2f} s")
st.markdown(f"The model has its own front end: Kaldi log-mel features, **{n['mel']} bands × {n['frames']} frames**, "
            f"25 ms windows every 10 ms, normalised; {heard}. {n['patch']}×{n['patch']} patches at stride {n['fstride']} give {A['grid'][0]} × "
            f"{A['grid'][1]} = **{n['N']} patches**, {n['T']} tokens of width {n['D']}, {n['heads']} heads, "
            f"{n['depth']} layers.")
if A["top"]:
    ui.chart(afig.fig_predictions(A["top"], multi_label=A["multi_label"],
                                  title="Top predictions" + (" (AudioSet labels are independent: scores do not add "
                                                             "up to 1)" if A["multi_label"] else "")), "au_pred")
layer = st.slider("Layer", 0, n["depth"] - 1, n["depth"] - 1, key="au_layer") if n["depth"] > 1 else 0
maps = A["cls"][layer]  # (heads, F, Tp)
share, peak = A["patch_share"][layer], A["cls_max"][layer]  # (heads,) each
ui.chart(afig.fig_cls_attention(A["features"], maps, patch=n["patch"], fstride=n["fstride"], tstride=n["tstride"],
                                n_valid=A["n_valid"], cols=2 if n["heads"] <= 4 else 3,
                                titles=[f"head {i} · max {peak[i]:.3f} · {share[i]:.0%} on patches"
                                        for i in range(n["heads"])]), "au_attn")
st.caption(f"Row 0 of each head's {n['T']}×{n['T']} attention matrix in layer {layer}, without the [CLS] and "
           "distillation columns, drawn over the model's input (grey; low frequencies at the bottom). A patch is "
           f"clear when it gets no more than an even share (1/{n['T']}) and red at the head's maximum; grey "
           "shading = padding.")

ui.show_code(al.stft_power, al.resolution, al.mel_filterbank, al.log_mel, al.spectrogram_patches, al.token_count,
             al.kaldi_fbank, al.ast_features, al.AST.patch_tokens, al.AST.embed, al.AST.logits, labels=True)
