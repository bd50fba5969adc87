"""What the page says in each section: the intuition (Markdown) and the formula the code computes (LaTeX).

Kept apart from the numbers so the page stays a short script of widgets and figures.
"""

from __future__ import annotations

__all__ = ["INTRO", "SECTIONS"]

INTRO = (
    "Both are stacks of the same transformer block. **BERT** (an encoder) lets every token look at every other "
    "token and is trained to fill in hidden words: it *understands*. **GPT** (a decoder) lets a token look only at "
    "the tokens before it and is trained to predict the next one: it *writes*. Inside, the one difference is a "
    "matrix added to the attention scores: the **mask** M.",
    r"\mathrm{Attention}(Q,K,V)=\mathrm{softmax}\!\Big(\frac{QK^\top}{\sqrt d}+M\Big)V,\qquad "
    r"M_{ij}=\begin{cases}0 & \text{BERT: always; GPT: } j\le i\\ -\infty & \text{GPT: } j>i\end{cases}",
)

#: section key -> (intuition, formula or None)
SECTIONS: dict[str, tuple[str, str | None]] = {
    "tokens": (
        "A tokenizer cuts the text into pieces of a fixed vocabulary and numbers them. BERT adds [CLS] and [SEP]; GPT "
        "starts from <bos> (GPT-2: <|endoftext|>). A piece it lacks is [UNK] (red) or, in GPT-2's byte-level BPE, "
        "bytes of a character (yellow): no text is ever refused. Hover a chip for its position.",
        r"\text{text}\ \longrightarrow\ (\mathrm{id}_0,\dots,\mathrm{id}_{T-1}),\quad \mathrm{id}_t\in\{0,\dots,V-1\}",
    ),
    "embed": (
        "The ids are row numbers: each token fetches its row of a learned V × D table, and a position vector is "
        "added so that the model knows where the token stands (attention itself ignores order).",
        None,
    ),
    "masks": (
        "A grey cell is −∞ before the softmax, so its weight is exactly 0: GPT's token t never sees the future. "
        "That is why GPT can learn every position in one pass (section 8), and why it can write.",
        r"w_{ij}=\frac{e^{s_{ij}+M_{ij}}}{\sum_k e^{s_{ik}+M_{ik}}},\qquad e^{-\infty}=0",
    ),
    "heads": (
        "Each line runs from a token (left) to a token it attends to (right), thicker = more weight. Click a token "
        "on the left (or pick it below) to follow its lines; hover for the weights.",
        r"a_i=\mathrm{softmax}_j\big(q_i\cdot k_j/\sqrt d\big),\qquad q_i=x_iW_Q,\ k_j=x_jW_K",
    ),
    "summary": (
        "Every head of every layer at once (BertViz's model view). Heads specialise: some look at the previous "
        "token, some at the first token (a place to park attention), some spread evenly.",
        r"\text{previous}=\tfrac1{|R|}\textstyle\sum_{i\in R}A_{i,i-1},\quad \text{first}=\tfrac1{|R|}\sum_i A_{i,0},"
        r"\quad \text{spread}=\tfrac1{|R|}\sum_i \frac{H(A_i)}{\log n_i}",
    ),
    "fill": (
        "Hide a token behind [MASK]: BERT's masked-LM head turns the vector at that position into a score for "
        "every word of its vocabulary, reading **both sides** of the gap.",
        r"p(w\mid\text{both sides})=\mathrm{softmax}\big(\mathrm{LN}(\mathrm{GELU}(W h_i))E^\top+b\big)_w",
    ),
    "recipe": (
        "**BERT's training recipe**: choose 15% of the tokens; of those, 80% become [MASK], 10% a random token, 10% "
        "stay as they are; the loss counts the chosen ones only (so BERT must keep every token's vector useful).",
        r"\mathcal L=-\frac1{|C|}\sum_{i\in C}\log p(x_i\mid \tilde x),\quad C=\text{chosen},\ \tilde x=\text{what BERT reads}",
    ),
    "generate": (
        "The scores z after the last token become a distribution; **temperature** τ sharpens (<1) or flattens (>1) "
        "it, **top-k** keeps the k best, **top-p** the fewest whose probabilities add up to p. One token is drawn, "
        "appended, and the model runs again, until <eos> or the length limit.",
        r"p_i=\frac{e^{z_i/\tau}}{\sum_{j\ \text{kept}} e^{z_j/\tau}}\ \text{for the kept tokens, else } 0",
    ),
    "teacher": (
        "Training feeds the true sentence and asks every position for the next token at once: the mask keeps "
        "position t from seeing token t+1, so one pass equals T separate predictions (checked below against one "
        "token at a time).",
        r"\mathcal L=-\frac1{T-1}\sum_{t=0}^{T-2}\log p(x_{t+1}\mid x_{\le t}),\qquad \mathrm{perplexity}=e^{\mathcal L}",
    ),
    "cache": (
        "Under the causal mask the keys and values of earlier tokens never change, so a step can keep them and run "
        "the new token only. The counts below come from the weights' shapes (qkv: 3D × D, MLP: M × D).",
        r"\text{step with }n\text{ tokens: } L\big(n(4D^2+2DM)+2n^2D\big)\ \longrightarrow\ L\big(4D^2+2DM+2nD\big),"
        r"\quad \text{cache}=2LTD",
    ),
    "pronoun": (
        "In “The animal didn't cross the street because it was too tired”, “it” is the animal; with “too wide” it "
        "is the street. Does a head's attention from “it” peak on the noun it refers to? Measured per head on this "
        "sentence, and (tiny models) on held-out texts against two baselines that resolve nothing: always the first "
        "noun, always the nearest noun before the pronoun.",
        r"\text{share}_{\ell,h}=\frac{\#\{\text{pronouns }p:\ \arg\max_j A^{\ell,h}_{p,j}=\text{referent}(p)\}}"
        r"{\#\text{pronouns}}",
    ),
    "uses": (
        "Same blocks, different mask and task. An encoder gives every token a vector informed by the whole text: "
        "good for understanding. A decoder gives a distribution over the next token: good for writing. The "
        "encoder–decoder (next lesson) combines both for translation.",
        None,
    ),
}
