"""The formula each section of the page illustrates (LaTeX: the same in every language; the words around
them are in the catalogues, mmviz.i18n ``bert_gpt.*``)."""

from __future__ import annotations

__all__ = ["FORMULAS"]

#: section -> the formula the code computes
FORMULAS: dict[str, str] = {
    "intro": r"\mathrm{Attention}(Q,K,V)=\mathrm{softmax}\!\Big(\frac{QK^\top}{\sqrt d}+M\Big)V,\qquad "
             r"M_{ij}=\begin{cases}0 & \text{BERT: always; GPT: } j\le i\\ -\infty & \text{GPT: } j>i\end{cases}",
    "tokens": r"\text{text}\ \longrightarrow\ (\mathrm{id}_0,\dots,\mathrm{id}_{T-1}),\quad \mathrm{id}_t\in\{0,\dots,V-1\}",
    "embed_bert": r"x_t=\mathrm{LayerNorm}(E[\mathrm{id}_t]+P[t]+S[\mathrm{segment}_t])",
    "embed_gpt": r"x_t = E[\mathrm{id}_t] + P[t]",
    "masks": r"w_{ij}=\frac{e^{s_{ij}+M_{ij}}}{\sum_k e^{s_{ik}+M_{ik}}},\qquad e^{-\infty}=0",
    "heads": r"a_i=\mathrm{softmax}_j\big(q_i\cdot k_j/\sqrt d\big),\qquad q_i=x_iW_Q,\ k_j=x_jW_K",
    "summary": r"\text{previous}=\tfrac1{|R|}\textstyle\sum_{i\in R}A_{i,i-1},\quad \text{first}=\tfrac1{|R|}\sum_i A_{i,0},"
               r"\quad \text{spread}=\tfrac1{|R|}\sum_i \frac{H(A_i)}{\log n_i}",
    "fill": r"p(w\mid\text{both sides})=\mathrm{softmax}\big(\mathrm{LN}(\mathrm{GELU}(W h_i))E^\top+b\big)_w",
    "recipe": r"\mathcal L=-\frac1{|C|}\sum_{i\in C}\log p(x_i\mid \tilde x),\quad C=\text{chosen},\ "
              r"\tilde x=\text{what BERT reads}",
    "generate": r"p_i=\frac{e^{z_i/\tau}}{\sum_{j\ \text{kept}} e^{z_j/\tau}}\ \text{for the kept tokens, else } 0",
    "teacher": r"\mathcal L=-\frac1{T-1}\sum_{t=0}^{T-2}\log p(x_{t+1}\mid x_{\le t}),\qquad "
               r"\mathrm{perplexity}=e^{\mathcal L}",
    "cache": r"\text{step with }n\text{ tokens: } L\big(n(4D^2+2DM)+2n^2D\big)\ \longrightarrow\ L\big(4D^2+2DM+2nD\big),"
             r"\quad \text{cache}=2LTD",
    "pronoun": r"\text{share}_{\ell,h}=\frac{\#\{\text{pronouns }p:\ \arg\max_j A^{\ell,h}_{p,j}=\text{referent}(p)\}}"
               r"{\#\text{pronouns}}",
}
