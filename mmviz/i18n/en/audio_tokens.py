"""English: the audio_tokens lesson (pages/*_audio_tokens.py, mmviz.figures.audio_tokens)."""

STRINGS: dict[str, str] = {
    "audio_tokens.title": "Audio tokens",
    "audio_tokens.intro": "A transformer cannot listen. It reads a **sequence of vectors**, so a sound has to become "
                          "one. The Audio Spectrogram Transformer (AST) does it in four steps: cut the waveform into "
                          "short overlapping frames and measure how much of each frequency each frame holds (the "
                          "**STFT**); pool the frequencies into bands spaced like our ears hear them (**mel**); take "
                          "the **log**, since loudness is heard in ratios; and cut the resulting picture into **16×16 "
                          "patches**, exactly like a ViT cuts an image. Every patch becomes one token.",
    "audio_tokens.computing_stft": "Computing the STFT…",
    "audio_tokens.computing_logmel": "Computing the log-mel spectrogram…",
    "audio_tokens.running": "Running the AST once, keeping [CLS]'s attention in every layer…",
    "audio_tokens.sample_clip": "Showing the sample clip **{name}**: pick a sample, upload a file or record one in the "
                                "sidebar.",
    "audio_tokens.clip_cut": "The clip is {original:.1f} s long; this lesson uses its first {max:g} s.",
    "audio_tokens.silent": "This clip is silent (all samples are zero): every spectrogram below is the -80 dB floor.",
    # 1
    "audio_tokens.s1": "1. The waveform",
    "audio_tokens.m_duration": "Duration",
    "audio_tokens.m_duration_help": "at most {max:g} s are used",
    "audio_tokens.m_samples": "Samples T",
    "audio_tokens.m_sr": "Sample rate",
    "audio_tokens.m_peak": "Peak |y|",
    "audio_tokens.wave_caption": "{n:,} numbers, {sr:,} per second. Drawn as the minimum and maximum of each of "
                                 "{buckets} time buckets; a waveform shows loudness, but hides which pitches are "
                                 "playing.",
    # 2
    "audio_tokens.s2": "2. Short-time Fourier transform: which frequencies, when",
    "audio_tokens.n_fft": "Window n_fft (samples)",
    "audio_tokens.hop": "Hop (samples)",
    "audio_tokens.hop_help": "Your choice comes back when the window allows it.",
    "audio_tokens.window": "Window",
    "audio_tokens.window_help": "boxcar = rectangular (no tapering): sharpest peak, most leakage.",
    "audio_tokens.m_tw": "Window T_w",
    "audio_tokens.m_tw_help": "n_fft / sr: the time each column blurs together",
    "audio_tokens.m_df": "Bin spacing Δf",
    "audio_tokens.m_enbw_help": "equivalent noise bandwidth, n_fft·Σw²/(Σw)² bins × Δf: how wide one bin really "
                                "listens",
    "audio_tokens.m_hop": "Hop",
    "audio_tokens.m_hop_help": "{n:.0f} frames per second",
    "audio_tokens.m_overlap": "Overlap",
    "audio_tokens.m_bins": "Bins × frames",
    "audio_tokens.tradeoff": "**The trade-off, in numbers:** a {window_ms:.0f} ms window separates frequencies "
                             "{bin_hz:.0f} Hz apart (T_w·Δf = {txf:.0f}); doubling n_fft halves Δf to {half:.0f} Hz but "
                             "blurs {double:.0f} ms of sound into each column. The {window} window widens each bin to "
                             "{enbw_bins:.2f} bins ({enbw_hz:.0f} Hz) in exchange for less leakage into distant bins.",
    "audio_tokens.zoom": "Zoom (seconds)",
    "audio_tokens.full_res": "Drawn at full resolution.",
    "audio_tokens.pooled": "Drawn with {fr} bin(s) × {fc} frame(s) per cell (the maximum of each cell); zoom in to see "
                           "every frame. The numbers above are from the full array.",
    # 3
    "audio_tokens.s3": "3. Mel filterbank: frequencies pooled the way we hear them",
    "audio_tokens.n_mels": "Mel bands",
    "audio_tokens.mel_caption": "Each triangle adds up the power of the FFT bins under it. Low bands are {lo:.0f} Hz "
                                "wide, the top band {hi:.0f} Hz: equal steps in pitch, not in Hz. librosa scales each "
                                "triangle to unit area (Slaney), so wide bands have low peaks.",
    "audio_tokens.empty_filters": "{n} of {m} filters are narrower than the {hz:.0f} Hz bin spacing and catch no FFT "
                                  "bin at all (their rows are empty). Use a larger n_fft or fewer mel bands.",
    # 4
    "audio_tokens.s4": "4. Log-mel spectrogram: the picture the transformer reads",
    # 5
    "audio_tokens.too_few_bands": "{m} mel bands are fewer than one {P}-band patch: choose more mel bands or a smaller "
                                  "patch.",
    "audio_tokens.no_patches": "No patches with these settings: section 5 says why.",
    "audio_tokens.s5": "5. Patches: cut the picture like an image",
    "audio_tokens.patch": "Patch size P",
    "audio_tokens.stride": "Stride s (s < P: patches overlap)",
    "audio_tokens.q_patches": "The log-mel picture has {m} bands × {f} frames. Cut into {P}×{P} patches every {s} "
                              "bands and every {s} frames, how many patches does this clip give?",
    "audio_tokens.q_patches_why": "⌊(bands − P) / s⌋ + 1 = {F} rows of patches and ⌊(frames − P) / s⌋ + 1 = {T} "
                                  "columns: {F} × {T} = **{N:,}** patches (`patches.shape = {shape}`). Each becomes "
                                  "one token.",
    "audio_tokens.patches_open": "The formula's numbers, the patch counts and the patch grid on the log-mel picture "
                                 "appear once you answer the question above (or click “Just show me”).",
    "audio_tokens.m_grid": "Grid F × T",
    "audio_tokens.m_grid_help": "patches.shape → grid",
    "audio_tokens.m_patches": "Patches N",
    "audio_tokens.m_tokens": "Tokens N + 2",
    "audio_tokens.m_tokens_help": "+ [CLS] + distillation token (AST)",
    "audio_tokens.m_values": "Patch values P²",
    "audio_tokens.m_overlap_p": "Patch overlap",
    "audio_tokens.m_overlap_p_help": "(P - s) / P along each axis",
    "audio_tokens.padded": "The clip gives only {n} frames, fewer than one {P}-frame patch, so {pad} frames of the "
                           "-80 dB floor were added on the right.",
    "audio_tokens.highlight": "Highlight patch k",
    "audio_tokens.patches_caption": "Faint lines mark where patches start, every {s} bands / frames; each patch reaches "
                                    "{P} further, so neighbours share {shared} columns. Hover anywhere for the patch "
                                    "under it.",
    # 6
    "audio_tokens.s6": "6. How many tokens? Attention grows with the square",
    "audio_tokens.count": "With these settings this {seconds:.2f} s clip gives **{N:,} patches** ({F} × {T}), so each "
                          "attention head of each layer fills a **{tokens:,} × {tokens:,}** matrix ({weights:,} "
                          "weights). The AST checkpoint pads every clip to 1024 frames (10.24 s at a 10 ms hop) with "
                          "128 mel bands, 16×16 patches and stride 10: **{eF} × {eT} = {e_patches:,} patches**, "
                          "{e_tokens:,} tokens, {e_weights:,} weights per head per layer. Twice the audio, twice the "
                          "tokens, four times the attention.",
    # 7
    "audio_tokens.s7": "7. The patches as a token sequence",
    "audio_tokens.s7_md": "Read frequency row by row, left to right (patch k sits at row k // {T}, column k % {T}), "
                          "each {P}×{P} patch is flattened to {P2} numbers and multiplied by one learned matrix E; a "
                          "[CLS] and a distillation token go in front and learned positions are added.",
    # 8
    "audio_tokens.s8": "8. An Audio Spectrogram Transformer listens",
    "audio_tokens.untrained": "This AST has **random weights**: no trained audio model is installed yet, so its "
                              "attention is close to uniform and its predictions are guesses. The page is wired for "
                              "trained weights; they appear in the list above once they are installed.",
    "audio_tokens.error": "The model could not read this clip: {why}",
    "audio_tokens.ast_hears": "it hears the first {model:.2f} s of this {seconds:.2f} s clip",
    "audio_tokens.ast_padded": "this {seconds:.2f} s clip is padded to {model:.2f} s",
    "audio_tokens.ast": "The model has its own front end: Kaldi log-mel features, **{mel} bands × {frames} frames**, "
                        "25 ms windows every 10 ms, normalised; {heard}. {patch}×{patch} patches at stride {stride} "
                        "give {F} × {T} = **{N} patches**, {tokens} tokens of width {D}, {heads} heads, {depth} "
                        "layers.",
    "audio_tokens.layer": "Layer",
    "audio_tokens.attn_caption": "Row 0 of each head's {T}×{T} attention matrix in layer {layer}, without the [CLS] "
                                 "and distillation columns, drawn over the model's input (grey; low frequencies at the "
                                 "bottom). A patch is clear when it gets no more than an even share (1/{T}) and red at "
                                 "the head's maximum; grey shading = padding.",
    # figures (the English the builders write)
    "audio_tokens.fig_wave_title": "{name}: air pressure over time",
    "audio_tokens.fig_time": "time (s)",
    "audio_tokens.fig_amplitude": "amplitude",
    "audio_tokens.fig_max": "max",
    "audio_tokens.fig_min": "min",
    "audio_tokens.fig_stft_title": "|STFT|² in dB (0 dB = loudest cell), frames {a}..{b}",
    "audio_tokens.fig_frequency": "frequency (Hz)",
    "audio_tokens.fig_mel_title": "{n} triangular mel filters from {a} to {b} Hz (librosa, Slaney mel scale)",
    "audio_tokens.fig_even": "even filters",
    "audio_tokens.fig_odd": "odd filters",
    "audio_tokens.fig_filter": "filter %{{customdata}}",
    "audio_tokens.fig_weight_area": "weight (area-normalised)",
    "audio_tokens.fig_logmel_title": "log-mel: {a} bands × {b} frames",
    "audio_tokens.fig_mel_band": "mel band (centre frequency)",
    "audio_tokens.fig_patches_title": "{F} × {T} patches of {P} × {P}, stride {s}: patch {k} (red) and its right "
                                      "neighbour (cyan)",
    "audio_tokens.fig_patch_rc": "patch %{{z}} (row %{{customdata[0]}}, col %{{customdata[1]}})",
    "audio_tokens.fig_starts": "starts at %{{customdata[4]}} ms<extra></extra>",
    "audio_tokens.fig_frame": "frame",
    "audio_tokens.fig_mel_bin": "mel bin",
    "audio_tokens.fig_selected_patch": "selected patch",
    "audio_tokens.fig_seq_title": "tokens 0..{a} of {b}: [CLS], [DIST], then patches (row, col)",
    "audio_tokens.fig_curve_title": "Tokens and attention cost against duration (P={P}, s={s}, {m} bands, hop {h} ms)",
    "audio_tokens.fig_tokens_n2": "tokens N + 2",
    "audio_tokens.fig_attn_weights": "attention weights (N + 2)²",
    "audio_tokens.fig_this_clip": "this clip",
    "audio_tokens.fig_this_clip_hover": "this clip: %{{x:.2f}} s, %{{y}} tokens<extra></extra>",
    "audio_tokens.fig_n_tokens": "%{{y}} tokens<extra></extra>",
    "audio_tokens.fig_duration": "clip duration (s)",
    "audio_tokens.fig_tokens": "tokens",
    "audio_tokens.fig_weights_axis": "attention weights per head and layer",
    "audio_tokens.fig_top": "Top predictions",
    "audio_tokens.fig_top_multi": "Top predictions (AudioSet labels are independent: scores do not add up to 1)",
    "audio_tokens.fig_sigmoid": "sigmoid score",
    "audio_tokens.fig_softmax": "softmax probability",
    "audio_tokens.fig_head_title": "head {i} · max {m} · {p} on patches",
    "audio_tokens.fig_cls_patch": "[CLS] → patch %{{customdata[0]}} (row %{{customdata[1]}}, col %{{customdata[2]}})",
}
