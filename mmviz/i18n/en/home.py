"""English: the home lesson (pages/*_home.py, mmviz.figures.home)."""

STRINGS: dict[str, str] = {
    "home.title": "Every modality becomes a sequence of tokens",
    "home.intro": "A transformer never sees a sentence, a photo or a sound. It sees a **matrix of tokens** of shape "
                  "$(N, D)$: $N$ vectors of $D$ numbers each. Text is cut into characters or word pieces, an image "
                  "into patches, audio into patches of its spectrogram; each piece becomes one row. From then on the "
                  "same machine, **attention**, mixes the rows: every token looks at every other token and takes a "
                  "weighted average of what it finds.",
    "home.text_label": "Text to tokenize (try Korean or an emoji: one character, several bytes)",
    "home.row": "{mod}: tokens N × width D",
    "home.mod_text": "Text",
    "home.mod_image": "Image",
    "home.mod_audio": "Audio",
    "home.how_text": "{c} characters -> {n} UTF-8 bytes -> {n} tokens",
    "home.how_text_multi": "{c} characters -> {n} UTF-8 bytes -> {n} tokens (some characters take several bytes)",
    "home.how_image": "{S}x{S} image / {P}x{P} patches = {gh}x{gw} = {n} tokens",
    "home.how_audio": "log-mel {M} bins x {F} frames / {P}x{P} patches = {gh}x{gw} = {n} tokens",
    "home.q_bytes": "“{text}” has {c} characters and {w} words. A byte-level tokenizer reads its UTF-8 bytes: how "
                    "many tokens does it make of it?",
    "home.q_bytes_why": "The token matrix has {n} rows: one per UTF-8 byte, not per word ({w}) nor per character ({c}). "
                        "{multi} of the {c} characters take more than one byte (a Korean syllable takes 3, an emoji 4).",
    "home.text_open": "The text's token matrix, byte by byte, appears once you answer the question above (or click "
                      "“Just show me”).",
    "home.caption": "The (N, D) matrices above are made by the real tokenizers of the lessons from your inputs; the "
                    "embedding weights here are untrained (seeded), because this page is about shapes. The lessons "
                    "show trained weights at work.",
    "home.lessons": "**Lessons**: *Patch tokenization* cuts your image into patches and counts the cost of attention; "
                    "*Positional encoding* shows why the tokens need to know where they are; *Attention maps* shows "
                    "where every head of every layer looks; *Swin windows* attends inside shifted windows to keep the "
                    "cost linear; *Audio tokens* turns a sound into spectrogram patches; *CLIP similarity* puts images "
                    "and sentences in one space and compares them. Pick an image or a sound in the sidebar: samples "
                    "are one click away, or upload your own.",
    # figures (the English the builders write)
    "home.fig_value": "value",
    "home.fig_dimension_d": "dimension (D = {D})",
    "home.fig_token_n": "token (N = {N})",
    "home.fig_byte_in_row": "byte in the row (+0 … +15)",
    "home.fig_row_index": "token index of the row",
    "home.fig_byte_hover": "token %{{customdata[0]}}: byte 0x%{{customdata[1]}}",
    "home.fig_byte_of_hover": "%{{customdata[2]}} of “%{{customdata[3]}}” (%{{customdata[4]}})<extra></extra>",
    "home.fig_text_title": "Text: {c} characters → {n} UTF-8 bytes = {m} tokens; orange: characters of several bytes",
    "home.fig_text_title_more": "Text: {c} characters → {n} UTF-8 bytes = {m} tokens (the first {shown} of {k} bytes "
                                "drawn); orange: characters of several bytes",
    "home.fig_patch_token": "patch %{{z}} → token %{{z}}<extra></extra>",
    "home.fig_x_pixels": "x (pixels)",
    "home.fig_y_pixels": "y (pixels)",
    "home.fig_image_title": "Image: {W}×{H} px in {gh}×{gw} patches of {p}×{q} px = {N} tokens (read row by row)",
    "home.fig_frame": "frame ({ms} ms each)",
    "home.fig_mel_bin": "mel bin (low → high)",
    "home.fig_audio_title": "Audio: log-mel {M} bins × {T} frames in {nf}×{nt} patches of {p}×{q} = {N} tokens",
    "home.fig_pooled": "{r} ≈ %{{y:.0f}}, {c} ≈ %{{x:.0f}}",  # a pooled hover cell of any matrix (mmviz.figures.common.matrix_traces)
    "home.fig_pooled_mean": "{v} (mean of the {a}×{b} cells around it)",
    "home.fig_token_hover": "token",
    "home.fig_dim_hover": "dimension",
    "home.fig_mel_hover": "mel bin",
    "home.fig_frame_hover": "frame",
}
