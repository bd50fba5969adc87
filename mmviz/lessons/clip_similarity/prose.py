"""The CLIP page's longer texts and formulas (the page fills in its numbers)."""

from __future__ import annotations

__all__ = ["INTRO", "COS", "BATCH", "TINY_PHOTO", "TEMPERATURE", "SOFTMAX", "LOSS", "LOSS_CAPTION", "PCA", "WHERE",
           "TRUST", "LIVE"]

INTRO = ("CLIP has **two encoders**: a ViT turns an image into one vector, a text transformer turns a sentence into "
         "one vector of the same width. Both are divided by their length, so every image and every prompt is a point "
         "on the same unit sphere, and **how well a prompt fits an image is the cosine of the angle between them**. "
         "CLIP was trained on batches of matching (image, caption) pairs: each image had to pick out its own caption "
         "among all captions of the batch, and each caption its image. Below: your images against your prompts.")
COS = (r"\cos(x_i, y_j) = \frac{f(\text{image}_i)}{\lVert f(\text{image}_i)\rVert}\cdot"
       r"\frac{g(\text{text}_j)}{\lVert g(\text{text}_j)\rVert},\qquad "
       r"\text{logits}_{ij} = s\,\cos(x_i, y_j),\quad s = e^{t} = 1/\tau")
BATCH = ("Image *i* and prompt *i* form a **pair** (outlined in the matrices): the caption CLIP should pick for that "
         "image. Every image you add brings its prompt, written at the image's own line (edit it freely): scenes "
         "from the shapes world (what the tiny model was trained on), the sample photos, the sidebar's image, or "
         "your own files. Lines after the last image are extra prompts: candidates that belong to no image.")
TINY_PHOTO = ("**{name}** only knows the shapes world: one coloured shape on a plain or textured 64×64 background, "
              "and the few dozen words of its captions. On a photo it still returns numbers, but they say nothing "
              "about cats or astronauts. For photos, get the pretrained CLIP once (needs internet): "
              "`python -m mmviz.download {pretrained}`, then pick it under **Model**.")
TEMPERATURE = ("Softmax over each row turns an image's similarities into a probability for each prompt. The cosines "
               "lie in [−1, 1], too close together for a sharp softmax, so CLIP multiplies them by a **learned scale "
               "s** (this model learned s = {s:.2f}, a temperature τ = 1/s = {tau:.3f}). Move s: small s spreads the "
               "probability over all prompts, large s puts it all on the best one.")
SOFTMAX = r"p(j \mid i) = \frac{e^{s\cos(x_i, y_j)}}{\sum_{k=1}^{T} e^{s\cos(x_i, y_k)}}"
LOSS = (r"\mathcal{L} = \frac{1}{2}\Bigg[\underbrace{-\frac{1}{K}\sum_{i=1}^{K}\log\frac{e^{s\cos(x_i,y_i)}}"
        r"{\sum_{j=1}^{K} e^{s\cos(x_i,y_j)}}}_{\text{image}\to\text{text}}"
        r"\;\underbrace{-\frac{1}{K}\sum_{j=1}^{K}\log\frac{e^{s\cos(x_j,y_j)}}{\sum_{i=1}^{K} e^{s\cos(x_i,y_j)}}}"
        r"_{\text{text}\to\text{image}}\Bigg]")
LOSS_CAPTION = ("Computed with `clip_loss(logits[:K, :K])`, the function training uses: "
                "`(cross_entropy(logits, arange(K)) + cross_entropy(logits.T, arange(K))) / 2`. A loss below "
                "log K means the pairs stand out; {acc:.0%} of the images pick their own prompt.")
PCA = ("The image and text embeddings together, projected onto their two main directions (PCA). Each dotted line "
       "links a pair. Contrastive training pulls every pair together, yet it leaves images and texts in **two "
       "separate regions** of the sphere, shifted by a roughly constant offset (the *modality gap*, Liang et al. "
       "2022): the links then run almost parallel. What decides a match is which prompt is *relatively* closest, "
       "not how close it is.")
WHERE = ("Every patch token also goes through the image tower's final LayerNorm and projection, so it gets a vector "
         "in the same space: the cosine of a prompt with each patch, drawn over the image. Ideally “cat” lights up "
         "the cat and “boots” the boots.")
TRUST = ("Trust this picture only a little. CLIP was trained to align the **[CLS]** embedding with the text, never "
         "the patches: patch embeddings are a by-product, often noisy, sometimes brightest on the background. Read "
         "it as a hint of which patches resemble the prompt, not as a segmentation.")
LIVE = ("Start from **random weights** (the tiny CLIP's architecture, seeded) and train it here on the CPU: every step "
        "draws a fresh batch of scenes and captions and takes one AdamW step on the InfoNCE loss. Watch a fixed "
        "held-out batch: its matrix starts uniform and turns **diagonal** as the two encoders learn to agree; at "
        "first the loss sits at log B while both encoders map everything to the same point. (The embedded model "
        "got {card} on the full shapes world.) At most {steps} steps and {seconds:.0f} s, on one CPU thread.")
