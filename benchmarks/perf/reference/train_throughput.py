"""PyTorch reference for benchmarks/perf/train-throughput: the same Llama architecture and training step.

Plain PyTorch (HF transformers is not installable here): embedding, pre-norm decoder layers with RMSNorm,
rotary embeddings (rotate_half layout), causal multi-head attention, SwiGLU MLP, final RMSNorm, a linear
token-classification head after dropout 0.1, cross-entropy over every token, global-norm clipping at 1, AdamW
(betas 0.9/0.95, eps 1e-5, wd 0.1 on matrices only): the step of lookright's trainer, as bench:train runs it.
Modes: full (every parameter trains, embeddings included) and lora (r=64, alpha 16, dropout 0.1 on q and v;
base frozen; adapters and head train). 3 warm-up + 20 timed steps; prints one JSON line.

Matmul precision (--matmul-precision, reported as `matmul_precision`):
- f32 (default): everything in float32; the matmuls go through the BLAS torch loaded (OpenBLAS here).
- bf16: PyTorch's own bfloat16 path, as its documentation prescribes for CPU mixed precision: the forward pass and
  the loss run under torch.autocast("cpu", dtype=torch.bfloat16), backward outside it. Autocast runs every matmul
  (linear, matmul/bmm: projections, LoRA, attention products, head) with both inputs cast to bfloat16 through
  oneDNN (AMX or AVX512-BF16 where the CPU has them), accumulating in float32. Unlike lookright's bf16 precision
  (float32 outputs), autocast's matmul outputs are bfloat16 (PyTorch's choice), so some elementwise work after
  them runs in bfloat16 too (SwiGLU's product, LoRA's sum); ops that meet a float32 operand (RMSNorm's weight,
  the residual adds, RoPE's tables, the mask), the softmax (asked for in float32) and cross-entropy (autocast
  keeps it float32) run in float32. Trained parameters stay float32 (master weights); their gradients, clipping
  and AdamW are float32 as in f32.
  In lora mode the frozen base weights of the decoder layers' linear layers are stored as bfloat16 once, before
  training (--lora-base-weights, default `auto`: bf16 for bf16 lora runs, f32 otherwise): autocast would round the
  same weights to bfloat16 again in every forward (it caches casts only of weights that require grad), so the
  numbers are the same bits (checked: equal losses at every digit) and the per-step casts are saved (less work
  per step, not measurably faster in short runs on a shared 2-core VM: within its noise of a few per cent).
  `--lora-base-weights f32` keeps them float32 (plain autocast). Reported as `lora_base_weights`.

Usage: python3 train_throughput.py --config reference|large --mode full|lora [--threads N] [--steps 20] [--variant NAME]
       [--matmul-precision f32|bf16] [--lora-base-weights auto|f32|bf16]
The JSON line reports torch's version, ATen parallel backend and build BLAS, and the OpenBLAS library this process
loaded with its kernel core and config, so a run on an unintended BLAS shows.
"""
import argparse
import ctypes
import json
import math
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

MODELS = {
    "reference": dict(hidden=256, layers=4, heads=4, kv_heads=4, intermediate=688),
    "large": dict(hidden=512, layers=8, heads=8, kv_heads=8, intermediate=1376),
}
VOCAB, BATCH, SEQ, LABELS = 8000, 16, 64, 9
HEAD_DROPOUT, CLIP_NORM = 0.1, 1.0
LORA_R, LORA_ALPHA, LORA_DROPOUT = 64, 16, 0.1


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


class LoraLinear(nn.Module):
    """A frozen nn.Linear plus scaling * B(A(dropout(x))), B initialised to zero (PEFT's init)."""

    def __init__(self, base: nn.Linear):
        super().__init__()
        self.base = base
        self.base.weight.requires_grad_(False)
        self.a = nn.Linear(base.in_features, LORA_R, bias=False)
        self.b = nn.Linear(LORA_R, base.out_features, bias=False)
        nn.init.zeros_(self.b.weight)
        self.drop = nn.Dropout(LORA_DROPOUT)
        self.scaling = LORA_ALPHA / LORA_R

    def forward(self, x):
        return self.base(x) + self.b(self.a(self.drop(x))) * self.scaling


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Attention(nn.Module):
    def __init__(self, hidden, heads, kv_heads):
        super().__init__()
        self.heads, self.kv_heads, self.head_dim = heads, kv_heads, hidden // heads
        self.q_proj = nn.Linear(hidden, heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(hidden, kv_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(hidden, kv_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(heads * self.head_dim, hidden, bias=False)

    def forward(self, x, cos, sin, mask):
        b, s, _ = x.shape
        q = self.q_proj(x).view(b, s, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, s, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(b, s, self.kv_heads, self.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        group = self.heads // self.kv_heads
        if group > 1:
            k = k.repeat_interleave(group, dim=1)
            v = v.repeat_interleave(group, dim=1)
        scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim) + mask
        probs = F.softmax(scores, dim=-1, dtype=torch.float32)
        out = torch.matmul(probs, v).transpose(1, 2).reshape(b, s, -1)
        return self.o_proj(out)


class Layer(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.input_layernorm = RMSNorm(m["hidden"])
        self.self_attn = Attention(m["hidden"], m["heads"], m["kv_heads"])
        self.post_attention_layernorm = RMSNorm(m["hidden"])
        self.gate_proj = nn.Linear(m["hidden"], m["intermediate"], bias=False)
        self.up_proj = nn.Linear(m["hidden"], m["intermediate"], bias=False)
        self.down_proj = nn.Linear(m["intermediate"], m["hidden"], bias=False)

    def forward(self, h, cos, sin, mask):
        h = h + self.self_attn(self.input_layernorm(h), cos, sin, mask)
        y = self.post_attention_layernorm(h)
        return h + self.down_proj(F.silu(self.gate_proj(y)) * self.up_proj(y))


class TokenClassifier(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.embed_tokens = nn.Embedding(VOCAB, m["hidden"])
        self.layers = nn.ModuleList(Layer(m) for _ in range(m["layers"]))
        self.norm = RMSNorm(m["hidden"])
        self.head_dropout = nn.Dropout(HEAD_DROPOUT)
        self.head = nn.Linear(m["hidden"], LABELS)
        head_dim = m["hidden"] // m["heads"]
        inv_freq = 1.0 / (10000 ** (torch.arange(0, head_dim, 2).float() / head_dim))
        freqs = torch.outer(torch.arange(SEQ).float(), inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)
        self.register_buffer("cos", emb.cos()[None, None], persistent=False)
        self.register_buffer("sin", emb.sin()[None, None], persistent=False)
        causal = torch.full((SEQ, SEQ), torch.finfo(torch.float32).min).triu(1)
        self.register_buffer("mask", causal[None, None], persistent=False)
        for mod in self.modules():
            if isinstance(mod, (nn.Linear, nn.Embedding)):
                nn.init.normal_(mod.weight, std=0.02)

    def forward(self, ids):
        h = self.embed_tokens(ids)
        for layer in self.layers:
            h = layer(h, self.cos, self.sin, self.mask)
        return self.head(self.head_dropout(self.norm(h)))


def loaded_blas():
    """The OpenBLAS library this process loaded and the kernel core it chose ({path, core, config})."""
    with open("/proc/self/maps") as maps:
        paths = sorted({line.split()[-1] for line in maps if "libopenblas" in line})
    if not paths:
        return None
    lib = ctypes.CDLL(paths[0])
    out = {"path": paths[0]}
    for name in ("openblas_get_corename", "openblas_get_config"):
        fn = getattr(lib, name, None)
        if fn is not None:
            fn.restype = ctypes.c_char_p
            out[name.split("_")[-1]] = fn().decode()
    return out


def torch_build():
    """What torch itself says about its build and threading: version, ATen parallel backend, BLAS it was built for."""
    parallel = next((l.split(":", 1)[1].strip() for l in torch.__config__.parallel_info().splitlines()
                     if l.startswith("ATen parallel backend")), None)
    blas_info = next((part.split("=", 1)[1] for l in torch.__config__.show().splitlines()
                      for part in l.replace(",", " ").split() if part.startswith("BLAS_INFO=")), None)
    return {"torch_version": torch.__version__, "aten_parallel": parallel, "torch_blas_info": blas_info}


def lora_base_weights(parser, args):
    """The dtype the frozen base weights are stored in: None in full mode (nothing is frozen), else f32 or bf16."""
    if args.mode != "lora":
        if args.lora_base_weights not in ("auto", "f32"):
            parser.error("--lora-base-weights bf16 needs --mode lora (in full mode every weight trains in float32)")
        return None
    if args.lora_base_weights == "auto":
        return args.matmul_precision
    if args.lora_base_weights == "bf16" and args.matmul_precision != "bf16":
        parser.error("--lora-base-weights bf16 needs --matmul-precision bf16 (an f32 matmul cannot take bf16 weights)")
    return args.lora_base_weights


def store_frozen_base_as_bf16(model):
    """Stores the frozen base weights of every decoder linear layer (LoRA's base included) as bfloat16, once."""
    for layer in model.layers:
        attn = layer.self_attn
        for linear in (attn.q_proj.base, attn.k_proj, attn.v_proj.base, attn.o_proj,
                       layer.gate_proj, layer.up_proj, layer.down_proj):
            assert not linear.weight.requires_grad, "only frozen weights may be stored as bfloat16"
            linear.weight.data = linear.weight.data.to(torch.bfloat16)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--config", default="reference", choices=sorted(MODELS))
    p.add_argument("--mode", default="full", choices=["full", "lora"])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--variant", default="default", help="name of the BLAS environment bench:train chose (echoed)")
    p.add_argument("--matmul-precision", default="f32", choices=["f32", "bf16"],
                   help="bf16: forward + loss under torch.autocast('cpu', dtype=torch.bfloat16)")
    p.add_argument("--lora-base-weights", default="auto", choices=["auto", "f32", "bf16"],
                   help="dtype the frozen base weights are stored in (lora mode); auto: bf16 when --matmul-precision "
                        "is bf16, else f32")
    a = p.parse_args()
    base_weights = lora_base_weights(p, a)
    torch.manual_seed(0)
    torch.set_num_threads(a.threads)
    model = TokenClassifier(MODELS[a.config])
    if a.mode == "lora":
        for p_ in model.parameters():
            p_.requires_grad_(False)
        for layer in model.layers:
            layer.self_attn.q_proj = LoraLinear(layer.self_attn.q_proj)
            layer.self_attn.v_proj = LoraLinear(layer.self_attn.v_proj)
        for p_ in model.head.parameters():
            p_.requires_grad_(True)
        if base_weights == "bf16":
            store_frozen_base_as_bf16(model)
    params = [p_ for p_ in model.parameters() if p_.requires_grad]
    # as lookright's trainer: weight decay on matrices only, global-norm clipping at CLIP_NORM
    groups = [
        {"params": [p_ for p_ in params if p_.dim() >= 2], "weight_decay": 0.1},
        {"params": [p_ for p_ in params if p_.dim() < 2], "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(groups, lr=2e-4, betas=(0.9, 0.95), eps=1e-5)
    ids = torch.randint(0, VOCAB, (BATCH, SEQ))
    labels = torch.randint(0, LABELS, (BATCH * SEQ,))
    model.train()

    def step():
        opt.zero_grad(set_to_none=True)
        # forward and loss under autocast (bf16), backward outside it, as PyTorch documents
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.matmul_precision == "bf16"):
            loss = F.cross_entropy(model(ids).reshape(-1, LABELS), labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, CLIP_NORM)
        opt.step()
        return loss.item()

    for _ in range(a.warmup):
        step()
    cpu0, t0 = time.process_time(), time.perf_counter()
    for _ in range(a.steps):
        loss = step()
    ms = (time.perf_counter() - t0) * 1000 / a.steps
    cpu_ms = (time.process_time() - cpu0) * 1000 / a.steps
    print(json.dumps({
        "config": a.config, "mode": a.mode, "backend": f"pytorch-{torch.__version__}", "native": None,
        "tokens_per_s": round(BATCH * SEQ * 1000 / ms), "ms_per_step": round(ms, 1),
        "cpu_ms_per_step": round(cpu_ms, 1), "live_tensors": None,
        "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "trainable_params": sum(p_.numel() for p_ in params), "final_loss": round(loss, 4),
        "threads": torch.get_num_threads(), "blas": loaded_blas(), "variant": a.variant,
        "matmul_precision": a.matmul_precision, "lora_base_weights": base_weights, **torch_build(),
    }))


if __name__ == "__main__":
    main()
