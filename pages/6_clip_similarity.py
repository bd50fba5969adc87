"""Lesson: CLIP similarity. Images and prompts in one embedding space, the batch matrix, its loss, live training."""

from mmviz import ui
from mmviz.figures import clip_similarity as cfig
from mmviz.lessons import clip_similarity as cl
from mmviz.lessons.clip_similarity import batch, live, prose
from mmviz.ui import st

ui.start_page()
T = ui.texts("clip_similarity")


# --------------------------------------------------------------------------- cached backend calls
_scene = ui.cached(max_entries=64)(batch.scene_image)  # spec -> (S, S, 3) uint8
_similarity = ui.cached(max_entries=32)(cl.similarity_lesson)  # (image_embeds, text_embeds, scale): small arrays
_pca = ui.cached(max_entries=32)(cl.pca_2d)
_heldout = ui.cached(max_entries=1, ttl=None)(live.heldout_batch)  # the live runs' held-out batch, for everyone


@ui.cached(max_entries=32, spinner=T("encoding"))
def _encode_images(name: str, device: str, keys: tuple[str, ...], _images: list) -> dict:
    return cl.encode_images(ui.model(name), _images, device=device)


@ui.cached(max_entries=32)
def _encode_texts(name: str, device: str, prompts: tuple[str, ...]) -> dict:
    return cl.encode_texts(ui.model(name), list(prompts), device=device)


# --------------------------------------------------------------------------- page
st.title(T("title"))
st.markdown(T("intro"))
st.latex(prose.COS)

ui.keep_widgets(batch.KEEP)
info = ui.model_picker("clip", "clip_model", notes={cl.PRETRAINED: T("pretrained_note")},
                       missing_embedded=T("missing"), untrained_note=T("untrained"))
name, tiny, device = info.name, info.preset == cl.TINY, ui.device()
try:
    learned = cl.learned_scale(ui.model(name))
except Exception as e:  # noqa: BLE001 - a broken or partial checkpoint: one sentence, not a traceback
    st.error(T("load_error", name=name, why=ui.scrub(e)))
    st.stop()

# ---- the batch: images (left) and prompts (right); sections 1-5 draw what the model makes of it -----------------
S_ = st.session_state
if "clip_items" not in S_:
    batch.reset(S_)
side = S_.get("image")
if side is not None and side["name"] not in ui.sample_names("image") and S_.get("_clip_side_added") != side["key"]:
    S_["_clip_side_added"] = side["key"]  # the student's own sidebar upload joins the batch once, by itself
    batch.add_photo(S_, ui.small_photo(side), "sidebar")
st.subheader(T("s_batch"))
st.markdown(T("batch_md"))
left, right = st.columns([1.25, 1], gap="large")
with left:
    ui.scene_composer("clip", on_add=batch.add_scene, on_remove=batch.remove_last, on_reset=batch.reset,
                      args=(S_,), prompt_toggle=T("prompt_toggle"), remove_help=T("remove_help"),
                      reset_help=T("reset_help"))
    ui.image_sources("clip", samples_label=T("samples_label"),
                     on_samples=batch.sync_samples, args=(S_,),
                     on_sidebar=lambda state: batch.add_photo(state, ui.small_photo(state["image"]), "sidebar"))
    files, changed = ui.uploaded_photos("clip")
    batch.sync_uploads(S_, files, changed=changed)
with right:
    st.text_area(T("prompts_label", n=batch.MAX_PROMPTS),
                 key="clip_prompts", height=218, max_chars=4 * batch.MAX_PROMPTS * (batch.MAX_CHARS + 1))
    use_tpl = st.toggle(T("tpl_on"), key="clip_tpl_on", help=T("tpl_help"))
    template = st.text_input(T("tpl"), key="clip_tpl", disabled=not use_tpl,
                             max_chars=batch.MAX_TEMPLATE)[: batch.MAX_TEMPLATE]
images, over = batch.images(S_, _scene, ui.sample_image)
if over:
    st.warning(T("over_images", n=batch.MAX_IMAGES))
prompts, over, tpl_error = batch.prompts(S_, template if use_tpl else None, lang=ui.lang())
if over:
    st.warning(T("over_prompts", n=batch.MAX_PROMPTS))
if tpl_error:
    st.error(T("tpl_error", why=tpl_error))
if tiny and any(im["photo"] for im in images):
    st.info(T("tiny_photo", name=name, pretrained=cl.PRETRAINED))
ui.follow("clip_scale", name, float(round(min(max(learned, 1.0), 100.0), 2)))  # a new model starts at its scale
if not images or not prompts:
    st.info(T("empty"))
else:
    try:
        E = _encode_images(name, device, tuple(im["key"] for im in images), _images=[im["image"] for im in images])
    except (ValueError, RuntimeError, OSError) as e:
        st.error(T("encode_error", why=ui.scrub(e)))
        st.stop()
    X = _encode_texts(name, device, tuple(prompts))
    I, nT, labels = len(images), len(prompts), [f"#{i} {im['name']}" for i, im in enumerate(images)]
    sim0 = _similarity(E["embeds"], X["embeds"], learned)
    K, cos = sim0["K"], sim0["cos"]
    ui.thumbnails(E["images"], [f"#{i} {cfig.short_label(im['name'], 16)}" for i, im in enumerate(images)],
                  width=104, min_side=120)  # what the model sees
    st.caption(T("seen", px=E["images"].shape[1], shape=E["pixels_shape"]))
    with st.expander(T("tokens_of", n=nT, tok=X["tokenizer"], shape=X["input_ids_shape"]),
                     expanded=tiny and any(X["unknown"])):
        st.markdown(ui.token_lines(X["tokens"], unknown=X["unknown"], truncated=X["truncated"]))
        st.caption(T("text_tower") + T("unk_tiny" if tiny else "unk_bpe"))
        ui.show_code(cl.Tokenizer.encode, cl.TextTransformer.eos_positions, cl.CLIP.encode_text, joined=True)
    ui.metrics((T("m_images"), I, "image_embeds.shape[0]"), (T("m_prompts"), nT, "text_embeds.shape[0]"),
               (T("m_width"), E["embeds"].shape[1], "image_embeds.shape[1] = text_embeds.shape[1]"),
               (T("m_patches"), E["grid"][0] * E["grid"][1], T("m_patches_help", gh=E["grid"][0], gw=E["grid"][1],
                                                              P=E["patch_size"])),
               (T("m_scale"), f"{learned:.2f}", "model.logit_scale.exp()"))

    @ui.part(T("s1"), "clip_s1", expanded=True)
    def _():
        st.markdown(T("s1_md", I=I, T=nT, lo=cos.min(), hi=cos.max()))
        answered = ui.predict("clip_q_pick", T("q_pick", name=images[0]["name"]), options=list(range(nT)),
                              format_func=lambda j: f"{j}: {prompts[j]}", context=(name, tuple(labels), tuple(prompts)),
                              reveal=lambda: (int(cos[0].argmax()), T("q_pick_why", j=int(cos[0].argmax()),
                                              c=float(cos[0].max()), p=prompts[int(cos[0].argmax())], n=nT))) is not None
        if answered:  # the matrix and the best prompts give the answer away
            ui.chart(cfig.fig_similarity(cos, labels, prompts, title="cos(image i, prompt j)", ztitle="cos", K=K),
                     "clip_cos")
            st.markdown(T("best", best=", ".join(sim0["best"])))
        else:
            st.caption(T("q_pick_wait"))
        if not tiny:
            st.caption(T("narrow"))
        ui.show_code(cl.encode_images, cl.CLIP.encode_image, cl.CLIP.forward, joined=True)

    @ui.part(T("s2"), "clip_s2")
    def _():
        st.markdown(T("temperature", s=learned, tau=1 / learned))
        st.latex(prose.SOFTMAX)
        scale = st.slider(T("scale"), 1.0, 100.0, step=0.01, key="clip_scale", on_change=ui.whole_page,
                          help=T("scale_help"))
        sim = _similarity(E["embeds"], X["embeds"], scale)
        ui.chart(cfig.fig_similarity(sim["probs"], labels, prompts, title=f"softmax over each row, s = {scale:g}",
                                     ztitle="p", zmin=0.0, zmax=1.0, K=K, extra={"cos": sim["cos"],
                                                                                 "logit": sim["logits"]}), "clip_probs")
        pick = ui.selectbox(T("pick"), list(range(I)), key="clip_pick",
                            default=0, format_func=lambda i: labels[i])
        a, b = st.columns([1, 1.2])
        cand = a.segmented_control(T("cand"), ["your prompts", "6 shape kinds", "9 colours"], key="clip_cand",
                                   format_func=lambda c: T("cand_" + c.split()[-1])) or "your prompts"
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
        st.caption(T("zero_shot"))
        if tiny and (card := cl.card_numbers(ui.model_card(name), ui.lang())):
            st.caption(card)
        ui.show_code(cl.similarity_lesson, cl.sharpening, joined=True)

    @ui.part(T("s3"), "clip_s3")
    def _():
        scale = S_["clip_scale"]  # section 2's control
        sim = _similarity(E["embeds"], X["embeds"], scale)
        st.markdown(T("s3_md", K=K, s=f"{scale:g}"))
        st.latex(prose.LOSS)
        if K >= 1:
            st.latex(rf"\mathcal{{L}} = \tfrac{{1}}{{2}}\big({sim['loss_i2t']:.4f} + {sim['loss_t2i']:.4f}\big) = "
                     rf"\mathbf{{{sim['loss']:.4f}}}\qquad(s = {scale:g},\ K = {K},\ \text{{chance}} = \log K = "
                     rf"{sim['chance']:.4f})")
            note = T("loss_note", K=K, I=I, T=nT) + " " if I != nT else ""
            st.caption(note + T("loss_caption", acc=sim["pair_acc"]))
            ui.table([{T("col_pair"): f"#{i}", T("col_image"): images[i]["name"], T("col_prompt"): prompts[i],
                       "cos": float(sim["cos"][i, i]), "−log p(text | image)": float(sim["row_losses"][i]),
                       "−log p(image | text)": float(sim["col_losses"][i])} for i in range(K)],
                     dict.fromkeys(("cos", "−log p(text | image)", "−log p(image | text)"), "%.4f"))
        ui.show_code(cl.clip_loss, joined=True)

    @ui.part(T("s4"), "clip_s4")
    def _():
        pca = _pca(E["embeds"], X["embeds"])
        st.markdown(T("pca_md"))
        st.markdown(cl.pca_numbers(pca, sim0, E["embeds"].shape[1], ui.lang()))
        ui.chart(cfig.fig_pca(pca["image_xy"], pca["text_xy"], labels, prompts, K=K, explained=pca["explained"],
                              pair_cos=sim0["pair_cos"], title=f"PCA of {I} image and {nT} text embeddings (E = "
                                                     f"{E['embeds'].shape[1]} → 2)"), "clip_pca")
        st.caption(T("pca_caption", share=pca["explained"].sum()))
        ui.show_code(cl.pca_2d, joined=True)

    @ui.part(T("s5"), "clip_s5")
    def _():
        st.markdown(T("where_md"))
        st.warning(T("trust"), icon=":material/info:")
        look = ui.selectbox(T("image"), list(range(I)), key="clip_look", default=0, format_func=lambda i: labels[i])
        maps = cl.patch_similarity(E["patches"][look:look + 1], X["embeds"][:9], E["grid"])[0]  # (T', gh, gw)
        ui.chart(cfig.fig_prompt_maps(E["images"][look], maps, E["patch_size"], prompts[:9], cls_cos=cos[look, :9]),
                 "clip_look_maps")
        st.caption(("" if nT <= 9 else T("first_9", n=nT) + " ") + T("maps_caption"))
        ui.show_code(cl.CLIP.encode_patches, cl.patch_similarity, joined=True)


st.subheader(T("s6"))
st.markdown(T("live_md", card=live.card_summary(ui.model_card(cl.TINY), ui.lang()), steps=live.MAX_STEPS,
              seconds=live.MAX_SECONDS))
c1, c2, c3 = st.columns(3)
live_steps = c1.slider(T("steps"), 20, live.MAX_STEPS, step=10, key="clip_live_steps")
live_data = c2.segmented_control(T("data"), ["easy", "full"], key="clip_live_data", help=T("data_help"),
                                 format_func=lambda d: T("data_" + d)) or "easy"
live_batch = c3.select_slider(T("batch"), [16, 32, 64], key="clip_live_batch")
ui.live_buttons("clip_live", T("train"))
ui.live_panel("clip_live", lambda: live.history(live_steps, batch_size=live_batch, data=live_data, heldout=_heldout(),
                                                max_seconds=live.MAX_SECONDS, lang=ui.lang()),
              lambda hist: cfig.fig_live(hist, _heldout()["captions"]), max_runs=live.MAX_RUNS, seconds=live.MAX_SECONDS,
              before=lambda: ui.thumbnails(_heldout()["rgb"], [f"#{i} {c}" for i, c in enumerate(_heldout()["captions"])],
                                           width=80, min_side=80, title=T("heldout")))
ui.show_code(live.live_training, live.easy_batch, live.contrastive_loss, live.optimizer_step, joined=True)
ui.keep_widgets(batch.KEEP)  # save what this run changed (a new model's scale, a clamped image index)
