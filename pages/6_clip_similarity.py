"""Lesson: CLIP similarity. Images and prompts in one embedding space, the batch matrix, its loss, live training."""

from mmviz import ui
from mmviz.figures import clip_similarity as cfig
from mmviz.lessons import clip_similarity as cl
from mmviz.lessons.clip_similarity import batch, live, prose
from mmviz.ui import st

ui.start_page()



# --------------------------------------------------------------------------- cached backend calls
_scene = ui.cached(max_entries=64)(batch.scene_image)  # spec -> (S, S, 3) uint8
_similarity = ui.cached(max_entries=32)(cl.similarity_lesson)  # (image_embeds, text_embeds, scale): small arrays
_pca = ui.cached(max_entries=32)(cl.pca_2d)
_heldout = ui.cached(max_entries=1, ttl=None)(live.heldout_batch)  # the live runs' held-out batch, for everyone


@ui.cached(max_entries=32, spinner="Encoding the images…")
def _encode_images(name: str, device: str, keys: tuple[str, ...], _images: list) -> dict:
    return cl.encode_images(ui.model(name), _images, device=device)


@ui.cached(max_entries=32)
def _encode_texts(name: str, device: str, prompts: tuple[str, ...]) -> dict:
    return cl.encode_texts(ui.model(name), list(prompts), device=device)


# --------------------------------------------------------------------------- page
st.title("CLIP similarity")
st.markdown(prose.INTRO)
st.latex(prose.COS)

ui.keep_widgets(batch.KEEP)
info = ui.model_picker("clip", "clip_model", notes={cl.PRETRAINED: "knows everyday words and photos"},
                       missing_embedded="The embedded trained CLIP is missing, so this page can only show the untrained "
                       "one (random weights: the similarities mean nothing yet; train one live at the bottom).",
                       untrained_note="Random weights: the similarities below mean nothing yet. Compare with "
                       "clip-tiny-shapes, or train one live at the bottom of the page.")
name, tiny, device = info.name, info.preset == cl.TINY, ui.device()
try:
    learned = cl.learned_scale(ui.model(name))
except Exception as e:  # noqa: BLE001 - a broken or partial checkpoint: one sentence, not a traceback
    st.error(f"{name} could not be loaded: {ui.scrub(e)}")
    st.stop()

# ---- the batch: images (left) and prompts (right); sections 1-5 draw what the model makes of it -----------------
S_ = st.session_state
if "clip_items" not in S_:
    batch.reset(S_)
side = S_.get("image")
if side is not None and side["name"] not in ui.sample_names("image") and S_.get("_clip_side_added") != side["key"]:
    S_["_clip_side_added"] = side["key"]  # the student's own sidebar upload joins the batch once, by itself
    batch.add_photo(S_, ui.small_photo(side), "sidebar")
st.subheader("The batch: images and prompts")
st.markdown(prose.BATCH)
left, right = st.columns([1.25, 1], gap="large")
with left:
    ui.scene_composer("clip", on_add=batch.add_scene, on_remove=batch.remove_last, on_reset=batch.reset,
                      args=(S_,), prompt_toggle="Add its prompt too (e.g. “a red circle”)",
                      remove_help="Removes the last image (a scene, a sample or a photo) and its prompt.",
                      reset_help="Back to the four scenes and prompts the page starts with.")
    ui.image_sources("clip", samples_label="Sample photos (click to add or remove; each brings a prompt)",
                     on_samples=batch.sync_samples, args=(S_,),
                     on_sidebar=lambda state: batch.add_photo(state, ui.small_photo(state["image"]), "sidebar"))
    files, changed = ui.uploaded_photos("clip")
    batch.sync_uploads(S_, files, changed=changed)
with right:
    st.text_area(f"Prompts, one per line: line i is the prompt of image i (at most {batch.MAX_PROMPTS})",
                 key="clip_prompts", height=218, max_chars=4 * batch.MAX_PROMPTS * (batch.MAX_CHARS + 1))
    use_tpl = st.toggle("Apply a prompt template", key="clip_tpl_on",
                        help="CLIP's paper: “a photo of a {label}” works better than the bare label for web-trained "
                             "CLIP. A leading “a”/“an” of the prompt is dropped first.")
    template = st.text_input("Template ({} = the prompt)", key="clip_tpl", disabled=not use_tpl,
                             max_chars=batch.MAX_TEMPLATE)[: batch.MAX_TEMPLATE]
images, over = batch.images(S_, _scene, ui.sample_image)
if over:
    st.warning(f"Only the first {batch.MAX_IMAGES} images are used.")
prompts, over, tpl_error = batch.prompts(S_, template if use_tpl else None)
if over:
    st.warning(f"Only the first {batch.MAX_PROMPTS} prompts are used.")
if tpl_error:
    st.error(f"The template is not used: {tpl_error}.")
if tiny and any(im["photo"] for im in images):
    st.info(prose.TINY_PHOTO.format(name=name, pretrained=cl.PRETRAINED))
ui.follow("clip_scale", name, float(round(min(max(learned, 1.0), 100.0), 2)))  # a new model starts at its scale
if not images or not prompts:
    st.info("Add at least one image and one prompt to see the similarity matrix.")
else:
    try:
        E = _encode_images(name, device, tuple(im["key"] for im in images), _images=[im["image"] for im in images])
    except (ValueError, RuntimeError, OSError) as e:
        st.error(f"The images could not be encoded: {ui.scrub(e)}")
        st.stop()
    X = _encode_texts(name, device, tuple(prompts))
    I, T, labels = len(images), len(prompts), [f"#{i} {im['name']}" for i, im in enumerate(images)]
    sim0 = _similarity(E["embeds"], X["embeds"], learned)
    K, cos = sim0["K"], sim0["cos"]
    ui.thumbnails(E["images"], [f"#{i} {cfig.short_label(im['name'], 16)}" for i, im in enumerate(images)],
                  width=104, min_side=120)  # what the model sees
    st.caption(f"Each image as the model sees it: centre-cropped to a square and resized to {E['images'].shape[1]}×"
               f"{E['images'].shape[1]} px (`pixels.shape = {E['pixels_shape']}`).")
    with st.expander(f"Tokens of the {T} prompts ({X['tokenizer']}: `input_ids.shape = {X['input_ids_shape']}`)",
                     expanded=tiny and any(X["unknown"])):
        st.markdown(ui.token_lines(X["tokens"], unknown=X["unknown"], truncated=X["truncated"]))
        st.caption("The text tower reads these ids left to right with causal attention and takes its output at "
                   "`<|endoftext|>` as the prompt's embedding"
                   + (". Words outside its vocabulary all become the same `<unk>` id: the model cannot tell them "
                      "apart." if tiny else "; byte-level BPE never needs `<unk>`: rare words are split into pieces, "
                      "and `</w>` marks the piece that ends a word."))
        ui.show_code(cl.Tokenizer.encode, cl.TextTransformer.eos_positions, cl.CLIP.encode_text, joined=True)
    ui.metrics(("Images I", I, "image_embeds.shape[0]"), ("Prompts T", T, "text_embeds.shape[0]"),
               ("Embedding width E", E["embeds"].shape[1], "image_embeds.shape[1] = text_embeds.shape[1]"),
               ("Patches per image", E["grid"][0] * E["grid"][1], f"{E['grid'][0]}×{E['grid'][1]} patches of "
                f"{E['patch_size']} px"), ("Learned scale s", f"{learned:.2f}", "model.logit_scale.exp()"))

    @ui.part("1. The similarity matrix", "clip_s1", expanded=True)
    def _():
        st.markdown(f"Every image embedding against every prompt embedding: `image_embeds @ text_embeds.T`, shape "
                    f"({I}, {T}). Values run from {cos.min():.3f} to {cos.max():.3f}. A good model makes the outlined "
                    f"pairs the largest of their row. Best prompt per image: {', '.join(sim0['best'])}.")
        ui.chart(cfig.fig_similarity(cos, labels, prompts, title="cos(image i, prompt j)", ztitle="cos", K=K),
                 "clip_cos")
        if not tiny:
            st.caption("Web-trained CLIP's cosines sit in a narrow band (about 0.15 to 0.35): what matters is which "
                       "one is largest. The learned scale s stretches these small gaps before the softmax.")
        ui.show_code(cl.encode_images, cl.CLIP.encode_image, cl.CLIP.forward, joined=True)

    @ui.part("2. From similarities to probabilities: the temperature", "clip_s2")
    def _():
        st.markdown(prose.TEMPERATURE.format(s=learned, tau=1 / learned))
        st.latex(prose.SOFTMAX)
        scale = st.slider("Logit scale s = 1/τ", 1.0, 100.0, step=0.01, key="clip_scale", on_change=ui.whole_page,
                          help="Default: the model's learned exp(logit_scale). CLIP clamps it at 100.")
        sim = _similarity(E["embeds"], X["embeds"], scale)
        ui.chart(cfig.fig_similarity(sim["probs"], labels, prompts, title=f"softmax over each row, s = {scale:g}",
                                     ztitle="p", zmin=0.0, zmax=1.0, K=K, extra={"cos": sim["cos"],
                                                                                 "logit": sim["logits"]}), "clip_probs")
        pick = ui.selectbox("Image for the zero-shot bars and the sharpening curve", list(range(I)), key="clip_pick",
                            default=0, format_func=lambda i: labels[i])
        a, b = st.columns([1, 1.2])
        cand = a.segmented_control("Candidates", ["your prompts", "6 shape kinds", "9 colours"],
                                   key="clip_cand") or "your prompts"
        own = cand == "your prompts"
        cprompts = prompts if own else cl.candidate_prompts("kinds" if cand == "6 shape kinds" else "colours",
                                                            template if use_tpl and "{}" in template else None)
        zs = sim if own else _similarity(E["embeds"], _encode_texts(name, device, tuple(cprompts))["embeds"], scale)
        ui.chart(cfig.fig_zero_shot(zs["probs"][pick], zs["cos"][pick], cprompts, true_index=pick if own and pick < K
                                    else None, colors="palette" if own else None,
                                    title=f"Zero-shot: which caption fits #{pick}? (s = {scale:g})"), "clip_zeroshot",
                 into=a)
        ui.chart(cfig.fig_sharpen(cl.SCALES, cl.sharpening(sim["cos"][pick], cl.SCALES), prompts, scale,
                                  image_label=f"#{pick}", learned=learned, pair=pick if pick < K else None),
                 "clip_sharpen", into=b)
        st.caption("Zero-shot classification is just this row: write one prompt per class, take the most similar. "
                   "No classifier was trained for these classes.")
        if tiny and (card := cl.card_numbers(ui.model_card(name))):
            st.caption(card)
        ui.show_code(cl.similarity_lesson, cl.sharpening, joined=True)

    @ui.part("3. The batch's InfoNCE loss", "clip_s3")
    def _():
        scale = S_["clip_scale"]  # section 2's control
        sim = _similarity(E["embeds"], X["embeds"], scale)
        st.markdown(f"Training pushes every pair's logit above the others of its row (image → text) **and** of its "
                    f"column (text → image). With the {K} pairs on the diagonal as positives (s = {scale:g}, set in "
                    "section 2):")
        st.latex(prose.LOSS)
        if K >= 1:
            st.latex(rf"\mathcal{{L}} = \tfrac{{1}}{{2}}\big({sim['loss_i2t']:.4f} + {sim['loss_t2i']:.4f}\big) = "
                     rf"\mathbf{{{sim['loss']:.4f}}}\qquad(s = {scale:g},\ K = {K},\ \text{{chance}} = \log K = "
                     rf"{sim['chance']:.4f})")
            note = f"Only the first {K} images and prompts enter the loss (I = {I}, T = {T}). " if I != T else ""
            st.caption(note + prose.LOSS_CAPTION.format(acc=sim["pair_acc"]))
            ui.table([{"pair": f"#{i}", "image": images[i]["name"], "prompt": prompts[i],
                       "cos": float(sim["cos"][i, i]), "−log p(text | image)": float(sim["row_losses"][i]),
                       "−log p(image | text)": float(sim["col_losses"][i])} for i in range(K)],
                     dict.fromkeys(("cos", "−log p(text | image)", "−log p(image | text)"), "%.4f"))
        ui.show_code(cl.clip_loss, joined=True)

    @ui.part("4. Two modalities in one space", "clip_s4")
    def _():
        pca = _pca(E["embeds"], X["embeds"])
        st.markdown(prose.PCA)
        st.markdown(cl.pca_numbers(pca, sim0, E["embeds"].shape[1]))
        ui.chart(cfig.fig_pca(pca["image_xy"], pca["text_xy"], labels, prompts, K=K, explained=pca["explained"],
                              pair_cos=sim0["pair_cos"], title=f"PCA of {I} image and {T} text embeddings (E = "
                                                     f"{E['embeds'].shape[1]} → 2)"), "clip_pca")
        st.caption(f"Two axes keep {pca['explained'].sum():.0%} of the variance: distances in the picture are only "
                   "roughly those in E dimensions; hover a point for its exact cosine with its partner.")
        ui.show_code(cl.pca_2d, joined=True)

    @ui.part("5. Where does the prompt look?", "clip_s5")
    def _():
        st.markdown(prose.WHERE)
        st.warning(prose.TRUST, icon=":material/info:")
        look = ui.selectbox("Image", list(range(I)), key="clip_look", default=0, format_func=lambda i: labels[i])
        maps = cl.patch_similarity(E["patches"][look:look + 1], X["embeds"][:9], E["grid"])[0]  # (T', gh, gw)
        ui.chart(cfig.fig_prompt_maps(E["images"][look], maps, E["patch_size"], prompts[:9], cls_cos=cos[look, :9]),
                 "clip_look_maps")
        st.caption(("" if T <= 9 else f"The first 9 of {T} prompts are shown. ") + "One colour scale for all prompts "
                   "(bright = the patch's embedding points the same way as the prompt's). Each title gives the whole "
                   "image's cosine ([CLS]) and the range over the patches.")
        ui.show_code(cl.CLIP.encode_patches, cl.patch_similarity, joined=True)


st.subheader("6. Train CLIP live")
st.markdown(prose.LIVE.format(card=live.card_summary(ui.model_card(cl.TINY)), steps=live.MAX_STEPS,
                              seconds=live.MAX_SECONDS))
c1, c2, c3 = st.columns(3)
live_steps = c1.slider("Steps", 20, live.MAX_STEPS, step=10, key="clip_live_steps")
live_data = c2.segmented_control("Training data", ["easy", "full"], key="clip_live_data",
                                 help="easy: calm backgrounds, captions like “a red circle” (learns in a few hundred "
                                      "steps). full: the embedded model's data (needs thousands).") or "easy"
live_batch = c3.select_slider("Pairs per batch B", [16, 32, 64], key="clip_live_batch")
ui.live_buttons("clip_live", "Train from scratch")
ui.live_panel("clip_live", lambda: live.history(live_steps, batch_size=live_batch, data=live_data, heldout=_heldout(),
                                                max_seconds=live.MAX_SECONDS),
              lambda hist: cfig.fig_live(hist, _heldout()["captions"]), max_runs=live.MAX_RUNS, seconds=live.MAX_SECONDS,
              before=lambda: ui.thumbnails(_heldout()["rgb"], [f"#{i} {c}" for i, c in enumerate(_heldout()["captions"])],
                                           width=80, min_side=80, title="The held-out batch (never trained on), image i "
                                           "with caption i:"))
ui.show_code(live.live_training, live.easy_batch, live.contrastive_loss, live.optimizer_step, joined=True)
ui.keep_widgets(batch.KEEP)  # save what this run changed (a new model's scale, a clamped image index)
