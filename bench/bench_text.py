"""Text models on CPU: mmviz GPT vs transformers GPT-2, and what a KV cache saves when generating.

    python bench/bench_text.py [--threads 1] [--repeats 15] [--tokens 128]

(a) GPT-2 at full size (openai-community/gpt2's config: 12 layers, 768 wide, 12 heads, 50257 ids;
    random weights, no download): a transformers ``GPT2Model`` is saved and loaded into mmviz with
    ``mmviz.weights.load_hf`` (same weights), both are checked to give the same hidden states and
    attentions, then one forward pass over ``--tokens`` tokens with every layer's attention is
    timed, interleaved: mmviz ``model(ids, return_attn=True)`` vs transformers eager with
    ``output_attentions=True``. Target: ratio mmviz / transformers <= 1.0 (within NOISE).
(b) A tiny GPT (vocabulary 64, 128 positions, 128 wide, 4 layers, 4 heads) writes 64 tokens
    greedily from one start token, with the KV cache (each step runs the new token only) and
    without (each step runs the whole sequence again). Both give the same tokens. Target: ratio
    cache / no cache <= 0.5.

Both sides run in one process on the same threads; absolute times on a shared CPU are noisy,
compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

TARGETS = {"gpt2": 1.0, "cache": 0.5}
NOISE = 0.05  # what two interleaved runs of the same code differ by here
TINY = dict(vocab_size=64, context_length=128, dim=128, depth=4, num_heads=4)


def time_interleaved(cases: dict, repeats: int, warmup: int) -> dict[str, list[float]]:
    """Seconds per call of each case, the cases taking turns so that load drift hits them alike."""
    out: dict[str, list[float]] = {name: [] for name in cases}
    with torch.inference_mode():
        for rep in range(warmup + repeats):
            for name, fn in cases.items():
                start = time.perf_counter()
                fn()
                if rep >= warmup:
                    out[name].append(time.perf_counter() - start)
    return out


def report(times: dict[str, list[float]], target: str) -> float:
    """Print each case's median and the ratio first / second against TARGETS[target]; return the ratio."""
    med = {name: 1000 * statistics.median(t) for name, t in times.items()}
    for name, ms in med.items():
        print(f"  {name:50s} median {ms:8.1f} ms  (min {1000 * min(times[name]):.1f})")
    a, b = med.values()
    ratio = a / b
    verdict = "ok" if ratio <= TARGETS[target] + NOISE else "MISSED"
    print(f"  ratio = {ratio:.3f}  (target <= {TARGETS[target]} within {NOISE}) {verdict}")
    return ratio


def bench_gpt2(tokens: int, repeats: int, warmup: int) -> float:
    """(a): full-size GPT-2 forward with attentions, mmviz vs transformers eager."""
    from transformers import GPT2Config, GPT2Model

    from mmviz.weights import load_hf

    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as tmp:
        GPT2Model(GPT2Config()).save_pretrained(tmp)
        ours = load_hf(tmp)
        eager = GPT2Model.from_pretrained(tmp, attn_implementation="eager").eval()
    ids = torch.randint(0, 50257, (1, tokens), generator=torch.Generator().manual_seed(1))
    with torch.inference_mode():
        hidden, attns = ours(ids, return_attn=True)
        ref = eager(ids, output_attentions=True)
        d_h = float((hidden - ref.last_hidden_state).abs().max())
        d_a = max(float((a - b).abs().max()) for a, b in zip(attns, ref.attentions))
    print(f"(a) GPT-2 124M forward, {tokens} tokens, all 12 layers' attentions "
          f"(parity: hidden {d_h:.1e}, attention {d_a:.1e})")
    return report(time_interleaved({
        "mmviz GPT(ids, return_attn=True)": lambda: ours(ids, return_attn=True),
        "transformers GPT2Model eager, output_attentions": lambda: eager(ids, output_attentions=True),
    }, repeats, warmup), "gpt2")


def bench_cache(new_tokens: int, repeats: int, warmup: int) -> float:
    """(b): tiny GPT, greedy generation with and without the KV cache."""
    from mmviz.models.gpt import GPT, GPTConfig

    torch.manual_seed(0)
    model = GPT(GPTConfig(**TINY)).eval()
    start = torch.zeros(1, 1, dtype=torch.long)
    same = torch.equal(model.generate(start, new_tokens, greedy=True, use_cache=True),
                       model.generate(start, new_tokens, greedy=True, use_cache=False))
    print(f"(b) tiny GPT {TINY}, {new_tokens} new tokens, greedy (same tokens: {same})")
    return report(time_interleaved({
        "generate, KV cache": lambda: model.generate(start, new_tokens, greedy=True, use_cache=True),
        "generate, no cache": lambda: model.generate(start, new_tokens, greedy=True, use_cache=False),
    }, repeats, warmup), "cache")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--tokens", type=int, default=128, help="GPT-2 input length for (a)")
    ap.add_argument("--new-tokens", type=int, default=64, help="tokens generated in (b)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    import transformers

    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(f"torch {torch.__version__}, transformers {transformers.__version__}, threads {torch.get_num_threads()}, "
          f"load average {load[0]:.2f} on {os.cpu_count()} CPUs")
    r_a = bench_gpt2(args.tokens, args.repeats, args.warmup)
    r_b = bench_cache(args.new_tokens, args.repeats, args.warmup)
    print(f"\n{'case':50s} {'ratio':>7s} {'target':>7s}")
    print(f"{'(a) GPT-2 forward + attentions, mmviz/HF':50s} {r_a:7.3f} {TARGETS['gpt2']:7.2f}")
    print(f"{f'(b) generate {args.new_tokens} tokens, cache/no cache':50s} {r_b:7.3f} {TARGETS['cache']:7.2f}")


if __name__ == "__main__":
    main()
