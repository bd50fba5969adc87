"""English: the clip_similarity lesson (pages/*_clip_similarity.py, mmviz.figures.clip_similarity)."""

STRINGS: dict[str, str] = {
    "clip_similarity.title": "CLIP similarity",
    "clip_similarity.intro": "CLIP has **two encoders**: a ViT turns an image into one vector, a text transformer "
                             "turns a sentence into one vector of the same width. Both are divided by their length, "
                             "so every image and every prompt is a point on the same unit sphere, and **how well a "
                             "prompt fits an image is the cosine of the angle between them**. CLIP was trained on "
                             "batches of matching (image, caption) pairs: each image had to pick out its own "
                             "caption among all captions of the batch, and each caption its image. Below: your "
                             "images against your prompts.",
    "clip_similarity.encoding": "Encoding the images…",
    "clip_similarity.pretrained_note": "knows everyday words and photos",
    "clip_similarity.missing": "The embedded trained CLIP is missing, so this page can only show the untrained one "
                               "(random weights: the similarities mean nothing yet; train one live at the bottom).",
    "clip_similarity.untrained": "Random weights: the similarities below mean nothing yet. Compare with "
                                 "clip-tiny-shapes, or train one live at the bottom of the page.",
    "clip_similarity.load_error": "{name} could not be loaded: {why}",
    "clip_similarity.s_batch": "The batch: images and prompts",
    "clip_similarity.batch_md": "Image *i* and prompt *i* form a **pair** (outlined in the matrices): the caption "
                                "CLIP should pick for that image. Every image you add brings its prompt, written at "
                                "the image's own line (edit it freely): scenes from the shapes world (what the tiny "
                                "model was trained on), the sample photos, the sidebar's image, or your own files. "
                                "Lines after the last image are extra prompts: candidates that belong to no image.",
    "clip_similarity.prompt_toggle": "Add its prompt too (e.g. “a red circle”)",
    "clip_similarity.remove_help": "Removes the last image (a scene, a sample or a photo) and its prompt.",
    "clip_similarity.reset_help": "Back to the four scenes and prompts the page starts with.",
    "clip_similarity.samples_label": "Sample photos (click to add or remove; each brings a prompt)",
    "clip_similarity.prompts_label": "Prompts, one per line: line i is the prompt of image i (at most {n})",
    "clip_similarity.tpl_on": "Apply a prompt template",
    "clip_similarity.tpl_help": "CLIP's paper: “a photo of a {{label}}” works better than the bare label for "
                                "web-trained CLIP. A leading “a”/“an” of the prompt is dropped first.",
    "clip_similarity.tpl": "Template ({{}} = the prompt)",
    "clip_similarity.over_images": "Only the first {n} images are used.",
    "clip_similarity.over_prompts": "Only the first {n} prompts are used.",
    "clip_similarity.tpl_error": "The template is not used: {why}.",
    "clip_similarity.tiny_photo": "**{name}** only knows the shapes world: one coloured shape on a plain or "
                                  "textured 64×64 background, and the few dozen words of its captions. On a photo "
                                  "it still returns numbers, but they say nothing about cats or astronauts. For "
                                  "photos, get the pretrained CLIP once (needs internet): `python -m mmviz.download "
                                  "{pretrained}`, then pick it under **Model**.",
    "clip_similarity.empty": "Add at least one image and one prompt to see the similarity matrix.",
    "clip_similarity.encode_error": "The images could not be encoded: {why}",
    "clip_similarity.seen": "Each image as the model sees it: centre-cropped to a square and resized to {px}×{px} "
                            "px (`pixels.shape = {shape}`).",
    "clip_similarity.tokens_of": "Tokens of the {n} prompts ({tok}: `input_ids.shape = {shape}`)",
    "clip_similarity.text_tower": "The text tower reads these ids left to right with causal attention and takes its "
                                  "output at `<|endoftext|>` as the prompt's embedding",
    "clip_similarity.unk_tiny": ". Words outside its vocabulary all become the same `<unk>` id: the model cannot "
                                "tell them apart.",
    "clip_similarity.unk_bpe": "; byte-level BPE never needs `<unk>`: rare words are split into pieces, and `</w>` "
                               "marks the piece that ends a word.",
    "clip_similarity.m_images": "Images I",
    "clip_similarity.m_prompts": "Prompts T",
    "clip_similarity.m_width": "Embedding width E",
    "clip_similarity.m_patches": "Patches per image",
    "clip_similarity.m_patches_help": "{gh}×{gw} patches of {P} px",
    "clip_similarity.m_scale": "Learned scale s",
    "clip_similarity.s1": "1. The similarity matrix",
    "clip_similarity.s1_md": "Every image embedding against every prompt embedding: `image_embeds @ text_embeds.T`, "
                             "shape ({I}, {T}). Values run from {lo:.3f} to {hi:.3f}. A good model makes the "
                             "outlined pairs the largest of their row.",
    "clip_similarity.q_pick": "Which prompt will CLIP pick for image #0 ({name}), the one with the largest cosine "
                              "in its row?",
    "clip_similarity.q_pick_why": "Row 0 of the matrix below peaks at prompt {j}, “{p}”: cos = {c:.3f}, the largest "
                                  "of its {n} prompts. Zero-shot classification is exactly this argmax.",
    "clip_similarity.best": "Best prompt per image: {best}.",
    "clip_similarity.q_pick_wait": "The similarity matrix and each image’s best prompt appear once you answer the "
                                   "question (or press “Just show me”).",
    "clip_similarity.narrow": "Web-trained CLIP's cosines sit in a narrow band (about 0.15 to 0.35): what matters "
                              "is which one is largest. The learned scale s stretches these small gaps before the "
                              "softmax.",
    "clip_similarity.s2": "2. From similarities to probabilities: the temperature",
    "clip_similarity.temperature": "Softmax over each row turns an image's similarities into a probability for each "
                                   "prompt. The cosines lie in [−1, 1], too close together for a sharp softmax, so "
                                   "CLIP multiplies them by a **learned scale s** (this model learned s = {s:.2f}, "
                                   "a temperature τ = 1/s = {tau:.3f}). Move s: small s spreads the probability "
                                   "over all prompts, large s puts it all on the best one.",
    "clip_similarity.scale": "Logit scale s = 1/τ",
    "clip_similarity.scale_help": "Default: the model's learned exp(logit_scale). CLIP clamps it at 100.",
    "clip_similarity.pick": "Image for the zero-shot bars and the sharpening curve",
    "clip_similarity.cand": "Candidates",
    "clip_similarity.cand_prompts": "your prompts",
    "clip_similarity.cand_kinds": "6 shape kinds",
    "clip_similarity.cand_colours": "9 colours",
    "clip_similarity.zero_shot": "Zero-shot classification is just this row: write one prompt per class, take the "
                                 "most similar. No classifier was trained for these classes.",
    "clip_similarity.card": "Measured on {n} fresh scenes (model card): this tiny CLIP picks the right colour among "
                            "9 “a … shape” prompts {colour:.0%} of the time, but the right kind among 6 only "
                            "{kind:.0%}; its own caption among {candidates} captions {caption:.0%}. Colour is the "
                            "easiest word to learn from 64×64 scenes.",
    "clip_similarity.s3": "3. The batch's InfoNCE loss",
    "clip_similarity.s3_md": "Training pushes every pair's logit above the others of its row (image → text) **and** "
                             "of its column (text → image). With the {K} pairs on the diagonal as positives (s = "
                             "{s}, set in section 2):",
    "clip_similarity.loss_note": "Only the first {K} images and prompts enter the loss (I = {I}, T = {T}).",
    "clip_similarity.loss_caption": "Computed with `clip_loss(logits[:K, :K])`, the function training uses: "
                                    "`(cross_entropy(logits, arange(K)) + cross_entropy(logits.T, arange(K))) / 2`. "
                                    "A loss below log K means the pairs stand out; {acc:.0%} of the images pick "
                                    "their own prompt.",
    "clip_similarity.col_pair": "pair",
    "clip_similarity.col_image": "image",
    "clip_similarity.col_prompt": "prompt",
    "clip_similarity.s4": "4. Two modalities in one space",
    "clip_similarity.pca_md": "The image and text embeddings together, projected onto their two main directions "
                              "(PCA). Each dotted line links a pair. Contrastive training pulls every pair "
                              "together, yet it leaves images and texts in **two separate regions** of the sphere, "
                              "shifted by a roughly constant offset (the *modality gap*, Liang et al. 2022): the "
                              "links then run almost parallel. What decides a match is which prompt is *relatively* "
                              "closest, not how close it is.",
    "clip_similarity.pca_numbers": "Here, from the {width}-dimensional embeddings: mean cosine of two images "
                                   "**{ii:.3f}**, of two prompts **{tt:.3f}**, of any image and prompt "
                                   "**{it:.3f}**{pair}; distance between the two modalities' mean embeddings "
                                   "{gap:.3f}.",
    "clip_similarity.pca_pair": ", of an image and its own prompt **{c:.3f}**",
    "clip_similarity.pca_caption": "Two axes keep {share:.0%} of the variance: distances in the picture are only "
                                   "roughly those in E dimensions; hover a point for its exact cosine with its "
                                   "partner.",
    "clip_similarity.s5": "5. Where does the prompt look?",
    "clip_similarity.where_md": "Every patch token also goes through the image tower's final LayerNorm and "
                                "projection, so it gets a vector in the same space: the cosine of a prompt with "
                                "each patch, drawn over the image. Ideally “cat” lights up the cat and “boots” the "
                                "boots.",
    "clip_similarity.trust": "Trust this picture only a little. CLIP was trained to align the **[CLS]** embedding "
                             "with the text, never the patches: patch embeddings are a by-product, often noisy, "
                             "sometimes brightest on the background. Read it as a hint of which patches resemble "
                             "the prompt, not as a segmentation.",
    "clip_similarity.image": "Image",
    "clip_similarity.first_9": "The first 9 of {n} prompts are shown.",
    "clip_similarity.maps_caption": "One colour scale for all prompts (bright = the patch's embedding points the "
                                    "same way as the prompt's). Each title gives the whole image's cosine ([CLS]) "
                                    "and the range over the patches.",
    "clip_similarity.s6": "6. Train CLIP live",
    "clip_similarity.live_md": "Start from **random weights** (the tiny CLIP's architecture, seeded) and train it "
                               "here on the CPU: every step draws a fresh batch of scenes and captions and takes "
                               "one AdamW step on the InfoNCE loss. Watch a fixed held-out batch: its matrix starts "
                               "uniform and turns **diagonal** as the two encoders learn to agree; at first the "
                               "loss sits at log B while both encoders map everything to the same point. (The "
                               "embedded model got {card} on the full shapes world.) At most {steps} steps and "
                               "{seconds:.0f} s, on one CPU thread.",
    "clip_similarity.steps": "Steps",
    "clip_similarity.data": "Training data",
    "clip_similarity.data_help": "easy: calm backgrounds, captions like “a red circle” (learns in a few hundred "
                                 "steps). full: the embedded model's data (needs thousands).",
    "clip_similarity.data_easy": "easy",
    "clip_similarity.data_full": "full",
    "clip_similarity.batch": "Pairs per batch B",
    "clip_similarity.train": "Train from scratch",
    "clip_similarity.heldout": "The held-out batch (never trained on), image i with caption i:",
    # figures (the English the builders write)
    "clip_similarity.fig_pairs": "pairs (the loss's positives)",
    "clip_similarity.fig_prompt_axis": "prompt (text embedding)",
    "clip_similarity.fig_image_axis": "image (image embedding)",
    "clip_similarity.fig_softmax_title": "softmax over each row, s = {s}",
    "clip_similarity.fig_scale_axis": "logit scale s = 1/τ (log axis)",
    "clip_similarity.fig_sharpen_title": "{image}: the softmax over the prompts sharpens as s grows",
    "clip_similarity.fig_zero_shot_title": "Zero-shot: which caption fits #{i}? (s = {s})",
    "clip_similarity.fig_prob_axis": "probability (softmax over the candidates)",
    "clip_similarity.fig_pca_title": "PCA of {I} image and {T} text embeddings (E = {E} → 2)",
    "clip_similarity.fig_pair": "pair (image i, prompt i)",
    "clip_similarity.fig_images": "images",
    "clip_similarity.fig_prompts": "prompts",
    "clip_similarity.fig_pc1": "PC 1 ({p} of the variance)",
    "clip_similarity.fig_batch_loss": "batch loss",
    "clip_similarity.fig_heldout_loss": "held-out loss",
    "clip_similarity.fig_heldout_top1": "held-out top-1 (right axis)",
    "clip_similarity.fig_training_step": "training step",
    "clip_similarity.fig_heldout_top1_axis": "held-out top-1",
    "clip_similarity.fig_loss_title": "Loss while training",
    "clip_similarity.fig_heldout_title": "Held-out batch after {n} steps: cos(image i, caption j)",
    # the lesson's own sentences (mmviz.lessons.clip_similarity.live and .batch)
    "clip_similarity.card_unknown": "thousands of steps",
    "clip_similarity.card_summary": "{steps} steps of {batch} pairs in {minutes:.0f} min",
    "clip_similarity.stop_done": "Done: all {steps} steps in {seconds:.0f} s.",
    "clip_similarity.stop_limited": "Stopped after {reached} of {steps} steps: a run may take {max_seconds:.0f} s, "
                                    "and at {rate:.2g} steps per second (the server's CPU is shared with the other "
                                    "students' pages and runs) the {steps} steps would have needed {need:.0f} s. "
                                    "Fewer steps, a smaller batch or a quieter moment finish the run.",
    "clip_similarity.stop_no_step": "Stopped after {reached} of {steps} steps: a run may take {max_seconds:.0f} s, "
                                    "and at {rate:.2g} steps per second (the server's CPU is shared with the other "
                                    "students' pages and runs) it made no step. Fewer steps, a smaller batch or a "
                                    "quieter moment finish the run.",
    "clip_similarity.live_message": "Step {step}/{steps} · batch loss {loss:.3f} · held-out loss {heldout_loss:.3f}, "
                                    "top-1 {acc:.0%} · learned s = {scale:.1f} · {seconds:.0f} s",
    "clip_similarity.live_summary": "{stop} Last evaluation: {message}.",
    "clip_similarity.tpl_no_slot": 'the template needs a "{{}}" where the prompt goes, e.g. "a photo of a {{}}"',
}
