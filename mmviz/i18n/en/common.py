"""What the shared helpers (mmviz.ui) say on every page."""

STRINGS = {
    # the language switch and presenter mode (sidebar)
    "common.language": "Language",
    "common.present": "Presenter mode",
    "common.present_help": "For a projector: larger text and figures, the sidebar folded away, one section at a "
                           "time (← and → move between sections). In a link: ?present=1.",
    "common.previous": "Previous",
    "common.next": "Next",
    "common.section_of": "Section {k} of {n} · ← →",
    # links to a view
    "common.link_title": "Link to this view",
    "common.link_help": "Copy it (the icon at the right of the box): it opens this page with every control as it is "
                        "now, in this language.",
    "common.link_uploads": "Uploads and recordings cannot travel in a link: whoever opens it sees the sample "
                           "instead of your file.",
    "common.link_long": "Texts longer than {n} characters are left out of the link (it opens with the first text).",
    "common.link_invalid": "The link's value {value} for “{label}” does not fit here, so the default is shown.",
    "common.link_stale": "The link holds settings this page does not have ({names}); they were ignored.",
    # predict, then reveal
    "common.predict_title": "Predict first",
    "common.predict_your_answer": "Your answer",
    "common.predict_placeholder": "a number",
    "common.predict_commit": "Commit my answer",
    "common.predict_hint": "The answer, computed from the tensors, appears once you commit.",
    "common.predict_right": "Right: you said {guess}, the tensors say {answer}.",
    "common.predict_wrong": "You said {guess}; the tensors say {answer}.",
    "common.predict_again": "Ask me again",
    # export
    "common.export_html": "HTML",
    "common.export_html_help": "The figure as a standalone web page (it works offline and in slides). For a PNG, "
                               "use the camera icon in the figure's toolbar (top right, on hover).",
    "common.export_numbers": "Numbers (NPZ)",
    "common.export_numbers_help": "The arrays drawn here ({names}) as a NumPy .npz file: np.load(file)[name].",
    "common.export_csv": "CSV",
    # pretrained checkpoints
    "common.download": "Download {name} (about {size} MB)",
    "common.download_nosize": "Download {name}",
    "common.download_help": "Runs python -m mmviz.download {name} on the server (needs internet once).",
    "common.download_off": "Downloads are switched off on this server (MMVIZ_DOWNLOADS=off): "
                           "`python -m mmviz.download {name}` fetches it.",
    "common.download_running": "Downloading {name}…",
    "common.download_progress": "Downloading {name}: {got:.0f} of about {total} MB",
    "common.download_failed": "{name} could not be downloaded: {why}",
    "common.download_done": "{name} is here: pick it above.",
    # text on its way to tokens (mmviz.ui.token_notes)
    "common.samples": "Samples (one click)",
    "common.chip_title": "position {pos}, id {id}",
    "common.note_empty": "The text is empty (or only spaces), so the model sees only its special tokens.",
    "common.note_cut": "The text ({chars:,} characters, {pieces:,}{more} tokens) was cut to its first {kept} tokens: "
                       "{why}.",
    "common.note_why_context": "the model's context is {ctx} tokens",
    "common.note_why_page": "this page draws every token and stops at {max} (the model itself takes {ctx})",
    "common.note_unknown_1": "{n} token became unknown ({token}): this tokenizer has no piece for some characters "
                             "(emoji, another script, control characters).",
    "common.note_unknown_n": "{n} tokens became unknown ({token}): this tokenizer has no piece for some characters "
                             "(emoji, another script, control characters).",
    "common.note_control": "The text holds invisible control or direction characters ({chars}).",
    # Show the code
    "common.show_code": "Show the code",
    # figures shared by every lesson (mmviz.figures.common): the English the builders write
    "common.fig_query_looks": "query (looks)",
    "common.fig_key_looked": "key (is looked at)",
    "common.fig_query_token": "query token",
    "common.fig_key_token": "key token",
    "common.fig_query": "query",
    "common.fig_key": "key",
    "common.fig_weight": "weight",
    "common.fig_value": "value",
    "common.fig_row": "row",
    "common.fig_column": "column",
    "common.fig_masked": "masked: −∞ before the softmax, weight 0<extra></extra>",
    "common.fig_true_alignment": "true alignment",
    "common.fig_layer_n": "layer {l}",
    "common.fig_head_n": "head {h}",
    "common.fig_layer_head": "layer {l}, head {h}",
    "common.fig_query_key": "query %{{y}} → key %{{x}}",
    "common.fig_queries": "queries",
    "common.fig_keys": "keys",
    "common.fig_other_queries": "other queries",
    "common.fig_chosen_query": "chosen query",
    "common.fig_weights": "weights",
    "common.fig_attention": "attention",
    "common.fig_masked_name": "masked",
    # one image picked on a page, and an image generated on a button press (mmviz.ui.images)
    "common.picker_src_scene": "Shapes-world scene",
    "common.picker_src_sidebar": "Sidebar image",
    "common.picker_src_upload": "Upload here",
    "common.picker_upload": "Upload an image",
    "common.picker_upload_hint": "Upload an image above (any size; PNG, JPEG, GIF, WebP, BMP or TIFF).",
    "common.picker_remove_help": "Back to the scene before.",
    "common.picker_reset_help": "Back to the first scene.",
    "common.picker_other_colour": "A {colour} {kind} hardly shows on this background, so the shapes world drew another "
                                 "colour.",
    "common.gen_generate": "Generate",
    "common.gen_sampling": "Sampling the codes…",
    "common.gen_sampling_s": "Sampling the codes… {s:.1f} s",
    "common.gen_busy_session": "Your last image is still being generated: wait until it is finished, then press "
                                 "Generate again.",
    "common.gen_busy_server": "{n} images are being generated on this server right now; please try again in a few "
                                "seconds.",
}
