"""The model registry's words (mmviz.weights): one sentence per model, and how to train a missing one."""

STRINGS = {
    "models.vit-tiny-shapes": "Tiny ViT (4 layers, 4 heads, 64 px, 8 px patches) trained by mmviz on generated shapes.",
    "models.untrained": "The same tiny ViT with random weights (seeded): attention before any training.",
    "models.facebook/dino-vits16": "DINO ViT-S/16: self-supervised on ImageNet, famous for object-shaped attention.",
    "models.google/vit-base-patch16-224": "ViT-B/16: supervised ImageNet-21k, fine-tuned to 1000 ImageNet classes.",
    "models.swin-tiny-shapes": "Tiny Swin (3 stages, 4 px patches, 4x4 windows, 64 px) trained by mmviz on generated "
                               "shapes.",
    "models.swin-untrained": "The same tiny Swin with random weights (seeded): attention before any training.",
    "models.microsoft/swin-tiny-patch4-window7-224": "Swin-T: supervised on ImageNet-1k, 7x7 windows, 1000 classes.",
    "models.ast-tiny-sounds": "Tiny AST (4 layers, 4 heads, 64 mel x 2.6 s) trained by mmviz on generated sounds.",
    "models.ast-untrained": "The same tiny AST with random weights (seeded): attention before any training.",
    "models.MIT/ast-finetuned-audioset-10-10-0.4593": "AST fine-tuned on AudioSet: 527 everyday sound labels, 10 s "
                                                      "clips.",
    "models.clip-tiny-shapes": "Tiny CLIP (4-layer ViT + 3-layer text transformer, 64 px) trained by mmviz on "
                               "generated shapes and their captions.",
    "models.clip-untrained": "The same tiny CLIP with random weights (seeded): similarities before any training.",
    "models.openai/clip-vit-base-patch32": "OpenAI CLIP ViT-B/32: 400 million web image-text pairs, knows everyday "
                                           "words.",
    "models.gpt-tiny-shapes": "Tiny GPT (4 layers, 4 heads, D 128) trained by mmviz to continue texts of the shapes-"
                              "world grammar.",
    "models.gpt-untrained": "The same tiny GPT with random weights (seeded): next-token guesses before any training.",
    "models.bert-tiny-shapes": "Tiny BERT (4 layers, 4 heads, D 128) trained by mmviz to fill in masked words of the "
                               "shapes-world grammar.",
    "models.bert-untrained": "The same tiny BERT with random weights (seeded).",
    "models.encdec-tiny-shapes": "Tiny Transformer (3 + 3 layers, D 128) trained by mmviz to translate the shapes-"
                                 "world grammar into Korean.",
    "models.encdec-untrained": "The same tiny encoder-decoder with random weights (seeded).",
    "models.openai-community/gpt2": "GPT-2 (124 M): OpenAI's decoder-only model that continues English text one byte-"
                                    "level BPE token at a time.",
    "models.google-bert/bert-base-uncased": "BERT-base uncased: Google's bidirectional encoder trained to fill in "
                                            "masked English words.",
    "models.Helsinki-NLP/opus-mt-en-de": "Marian opus-mt-en-de: an encoder-decoder that translates English into "
                                         "German, trained on OPUS.",
    "models.vq-tiny-shapes": "Tiny VQ-VAE trained by mmviz: a 64 px shapes-world image becomes 8 x 8 codes of a "
                             "256-entry codebook.",
    "models.dalle-tiny-shapes": "Tiny DALL-E: one decoder (6 layers) over [caption ; 8 x 8 image codes], trained by "
                                "mmviz on shapes-world captions.",
    "models.parti-tiny-shapes": "Tiny Parti: a caption encoder and an image-code decoder with cross-attention, trained"
                                " by mmviz on the same data.",
    "models.fusion-a": "Fusion (a) early summation: answers questions about shapes-world scenes (trained by mmviz).",
    "models.fusion-b": "Fusion (b) early concatenation: answers questions about shapes-world scenes (trained by "
                       "mmviz).",
    "models.fusion-c": "Fusion (c) multi-stream then one-stream: answers questions about shapes-world scenes (trained "
                       "by mmviz).",
    "models.fusion-d": "Fusion (d) one-stream then multi-stream: answers questions about shapes-world scenes (trained "
                       "by mmviz).",
    "models.fusion-e": "Fusion (e) cross-attention: answers questions about shapes-world scenes (trained by mmviz).",
    "models.fusion-f": "Fusion (f) cross-attention then concatenation: answers questions about shapes-world scenes "
                       "(trained by mmviz).",
    "models.cnn-kind-judge": "Small CNN that names the kind of one shape on a calm background: it judges generated "
                             "images.",
    "models.train_hint": "Run `python -m mmviz.train {recipe}` to train it ({file} is missing).",
}
