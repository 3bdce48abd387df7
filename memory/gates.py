"""The three gate networks, their config, and saving/loading their weights.

In the LSTM picture the user's memories are the cell state and a context vector of the
recent conversation is the hidden state. Here:

- the **input gate** maps a new utterance (its embedding, text cues, its novelty against the
  nearest memories, its fit with the context) to P(store), which is also its initial strength;
- the **forget gate** has two heads: a *time* head that gives each new memory a half-life
  (durable facts decay slowly, passing remarks fast), and a *content* head that looks at a
  new utterance beside one stored memory and says keep, weaken or supersede;
- the **output gate** scores a stored memory for a query from their embeddings and from
  similarity, strength, age and context signals.

Weights are a ``config.json`` plus a safetensors ``state_dict`` (never a pickle). Torch is
imported by this module only; the rest of the package imports it on first use.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .blas import one_blas_thread
from .calibration import FEATURES, SMALL
from .errors import WeightsError
from .features import CHANGE_BITS, N_INPUT_EXTRA, N_OUTPUT, N_PAIR, N_TEXT, change_word_ids
from .types import ACTIONS

CONFIG_FILE = "config.json"
WEIGHTS_FILE = "gates.safetensors"


@dataclass
class GateConfig:
    dim: int = 384  # embedding dimension the gates were trained for
    hidden: int = 64  # width of each gate's hidden layers
    dropout: float = 0.2  # on the embedding projections, while training
    embedding_model: str = "sentence-transformers/all-MiniLM-L6-v2"
    n_text: int = N_TEXT  # text features per utterance (memory.features)
    n_input_extra: int = N_INPUT_EXTRA
    n_pair: int = N_PAIR
    n_output: int = N_OUTPUT
    # The forget gate's change-words head hashes words into 2**change_bits slots; 0 for
    # weights from before it, whose content head decides supersession alone.
    change_bits: int = 0
    min_half_life_hours: float = 1.0  # the time head's range
    max_half_life_hours: float = 5 * 365 * 24.0
    # Decision thresholds, set by the training script (see the model card): write and recall
    # on held-out data, supersede by the cost of a lost fact.
    write_threshold: float = 0.5
    supersede_threshold: float = 0.5
    recall_threshold: float = 0.5
    # Recall's calibration (memory.calibration): coef, bias, and the threshold it sets;
    # empty for gates not calibrated, whose scores are the output gate's own values.
    calibration: dict = field(default_factory=dict)
    trained: dict = field(default_factory=dict)  # data, seed and held-out metrics


def _mlp(n_in: int, hidden: int, n_out: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Linear(n_in, hidden),
        nn.GELU(approximate="tanh"),  # the tanh form, so NumPy inference is the same maths
        nn.Linear(hidden, hidden),
        nn.GELU(approximate="tanh"),
        nn.Linear(hidden, n_out),
    )


class InputGate(nn.Module):
    """P(store) of an utterance."""

    def __init__(self, cfg: GateConfig):
        super().__init__()
        self.embed = nn.Linear(cfg.dim, cfg.hidden)
        self.mlp = _mlp(cfg.hidden + cfg.n_text + cfg.n_input_extra, cfg.hidden, 1)

    def forward(self, e: torch.Tensor, text: torch.Tensor, extra: torch.Tensor) -> torch.Tensor:
        h = torch.cat([torch.tanh(self.embed(e)), text, extra], dim=-1)  # (N, H + T + X)
        return self.mlp(h).squeeze(-1)  # (N,) logits


class ForgetGate(nn.Module):
    """Half-life of a new memory (time head); keep/weaken/supersede of a pair (content head);
    P(the new turn changes the memory's fact) from the words it says (change-words head: a
    logistic regression over hashed words and word pairs, features.change_word_ids, and the
    pair's cosine)."""

    def __init__(self, cfg: GateConfig):
        super().__init__()
        self.cfg = cfg
        self.time_embed = nn.Linear(cfg.dim, cfg.hidden)
        self.time = _mlp(cfg.hidden + cfg.n_text, cfg.hidden, 1)
        self.prod = nn.Linear(cfg.dim, cfg.hidden)  # reads u * m: which dimensions agree
        self.diff = nn.Linear(cfg.dim, cfg.hidden)  # reads u - m: what changed
        self.content = _mlp(2 * cfg.hidden + cfg.n_pair + cfg.n_text, cfg.hidden, len(ACTIONS))
        self.drop = nn.Dropout(cfg.dropout)
        if cfg.change_bits:
            n = 1 << cfg.change_bits  # made as zeros: no draw from torch's random stream
            self.words = nn.EmbeddingBag(n, 1, mode="sum", _weight=torch.zeros(n, 1))
            self.words_cos = nn.Parameter(torch.zeros(2))  # the pair's cosine's weight, bias

    def change_logit(
        self, ids: torch.Tensor, offsets: torch.Tensor, cos: torch.Tensor
    ) -> torch.Tensor:
        """ids: every pair's change_word_ids, concatenated; offsets: where each begins."""
        words = self.words(ids, offsets).squeeze(-1)  # (N,)
        return words + self.words_cos[0] * cos + self.words_cos[1]  # (N,) logits

    def time_logit(self, e: torch.Tensor, text: torch.Tensor) -> torch.Tensor:
        h = torch.cat([torch.tanh(self.time_embed(e)), text], dim=-1)  # (N, H + T)
        return self.time(h).squeeze(-1)  # (N,)

    def half_life_hours(self, e: torch.Tensor, text: torch.Tensor) -> torch.Tensor:
        lo = math.log(self.cfg.min_half_life_hours)
        hi = math.log(self.cfg.max_half_life_hours)
        return torch.exp(lo + (hi - lo) * torch.sigmoid(self.time_logit(e, text)))  # (N,)

    def forward(
        self, u: torch.Tensor, m: torch.Tensor, pair: torch.Tensor, u_text: torch.Tensor
    ) -> torch.Tensor:
        h = torch.cat(
            [
                self.drop(torch.tanh(self.prod(u * m))),
                self.drop(torch.tanh(self.diff(u - m))),
                pair,
                u_text,
            ],
            dim=-1,
        )  # (N, 2H + P + T)
        return self.content(h)  # (N, 3) logits over ACTIONS


class OutputGate(nn.Module):
    """P(relevant) of a stored memory for a query."""

    def __init__(self, cfg: GateConfig):
        super().__init__()
        self.prod = nn.Linear(cfg.dim, cfg.hidden)
        self.mlp = _mlp(cfg.hidden + cfg.n_output, cfg.hidden, 1)
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, q: torch.Tensor, m: torch.Tensor, scalars: torch.Tensor) -> torch.Tensor:
        h = torch.cat([self.drop(torch.tanh(self.prod(q * m))), scalars], dim=-1)  # (N, H + S)
        return self.mlp(h).squeeze(-1)  # (N,) logits


class Gates(nn.Module):
    """The three gates together, with NumPy-in, NumPy-out inference helpers."""

    def __init__(self, cfg: GateConfig):
        super().__init__()
        self.cfg = cfg
        self.input = InputGate(cfg)
        self.forget = ForgetGate(cfg)
        self.output = OutputGate(cfg)

    # ---- inference (NumPy: torch's per-op overhead dominates networks this small) --------

    @property
    def np(self) -> _NumpyGates:
        """The same networks as NumPy functions (rebuilt if the weights changed)."""
        if getattr(self, "_np", None) is None or self.training:
            self._np = _NumpyGates(self)
        return self._np

    def p_write(self, e: np.ndarray, text: np.ndarray, extra: np.ndarray) -> np.ndarray:
        with one_blas_thread():
            return _sigmoid(self.np.input(e, text, extra))

    def half_life_hours_np(self, e: np.ndarray, text: np.ndarray) -> np.ndarray:
        lo = math.log(self.cfg.min_half_life_hours)
        hi = math.log(self.cfg.max_half_life_hours)
        with one_blas_thread():
            return np.exp(lo + (hi - lo) * _sigmoid(self.np.time(e, text)))

    def content_probs(
        self, u: np.ndarray, m: np.ndarray, pair: np.ndarray, u_text: np.ndarray
    ) -> np.ndarray:
        with one_blas_thread():
            z = self.np.content(u, m, pair, u_text)
        z = np.exp(z - z.max(axis=-1, keepdims=True))
        return z / z.sum(axis=-1, keepdims=True)

    @property
    def has_change_words(self) -> bool:
        return bool(self.cfg.change_bits)

    def p_change(self, new: str, olds: list[str], cos: np.ndarray) -> np.ndarray:
        """(n,) P(``new`` changes each stored text's fact) from the change-words head; ``cos``:
        each pair's cosine. Only for gates that have the head (``has_change_words``)."""
        assert self.has_change_words, "these gates have no change-words head"
        z = self.np.change([change_word_ids(new, old, self.cfg.change_bits) for old in olds], cos)
        return _sigmoid(z)

    def relevance(self, q: np.ndarray, m: np.ndarray, scalars: np.ndarray) -> np.ndarray:
        with one_blas_thread():
            return _sigmoid(self.np.output(q, m, scalars))

    # ---- persistence ----------------------------------------------------------------

    def save(self, directory: str | Path) -> Path:
        from safetensors.torch import save_file

        out = Path(directory)
        _config(asdict(self.cfg), out / CONFIG_FILE)  # never write what load would refuse
        out.mkdir(parents=True, exist_ok=True)
        (out / CONFIG_FILE).write_text(json.dumps(asdict(self.cfg), indent=2) + "\n")
        state = {k: v.detach().contiguous() for k, v in self.state_dict().items()}
        save_file(state, str(out / WEIGHTS_FILE))
        return out

    @classmethod
    def load(cls, directory: str | Path, calibration: bool = True) -> Gates:
        """Load gates from a weights directory; any problem is a :class:`WeightsError`.
        ``calibration=False`` leaves out recall's calibration (scores are then the output
        gate's own), as ``gatedmem calibrate`` does before fitting a new one: a calibration
        this version cannot read is then no obstacle."""
        from safetensors import SafetensorError
        from safetensors.torch import load_file

        d = Path(directory)
        cfg_path, w_path = d / CONFIG_FILE, d / WEIGHTS_FILE
        for p in (cfg_path, w_path):
            if not p.is_file():
                raise WeightsError(f"gate weights are missing {p}; retrain with `gatedmem train`")
        try:
            raw = json.loads(cfg_path.read_text())
        except ValueError as exc:
            raise WeightsError(f"{cfg_path} is not a valid gate config: {exc}") from None
        cfg = _config(raw, cfg_path, calibration)
        expected = {"n_text": N_TEXT, "n_input_extra": N_INPUT_EXTRA, "n_pair": N_PAIR}
        expected["n_output"] = N_OUTPUT
        if cfg.change_bits not in (0, CHANGE_BITS):
            raise WeightsError(
                f"{d} hashes change words into 2**{cfg.change_bits} slots, this version into "
                f"2**{CHANGE_BITS}; retrain with `gatedmem train --out {d}`"
            )
        for name, n in expected.items():
            if getattr(cfg, name) != n:
                raise WeightsError(
                    f"{d} was trained on {getattr(cfg, name)} {name[2:]} features, this "
                    f"version computes {n}; retrain with `gatedmem train --out {d}`"
                )
        cal = cfg.calibration
        if cal:
            names = list(cal.get("features") or FEATURES)
            if names not in ([*FEATURES], [*FEATURES, *SMALL]) or len(names) != len(
                cal.get("coef", ())
            ):
                raise WeightsError(
                    f"{cfg_path}: its calibration reads features {names} with "
                    f"{len(cal.get('coef', ()))} weights; this version reads {list(FEATURES)}, "
                    f"then {list(SMALL)}; "
                    f"recalibrate with `gatedmem calibrate {d}`"
                )
        model = cls(cfg)
        try:
            state = load_file(str(w_path))
            model.load_state_dict(state, strict=True)
        except (SafetensorError, RuntimeError, OSError, ValueError) as exc:
            msg = str(exc).splitlines()[0][:300]
            raise WeightsError(
                f"{w_path} is corrupt or does not match its config ({msg}); "
                "reinstall gatedmem or retrain with `gatedmem train`"
            ) from None
        model.eval()
        return model


_SIZES = ("dim", "hidden", "n_text", "n_input_extra", "n_pair", "n_output")
_PROBABILITIES = ("write_threshold", "supersede_threshold", "recall_threshold")


def _config(raw: object, path: Path, calibration: bool = True) -> GateConfig:
    """The GateConfig a config file holds, each field checked for its type and range (a
    hand-edited file must fail here, with the field named, not later in a gate); without
    ``calibration``, the calibration is left unread (Gates.load drops it)."""

    def bad(what: str) -> WeightsError:
        return WeightsError(f"{path} is not a valid gate config: {what}")

    if not isinstance(raw, dict):
        raise bad(f"it holds a JSON {type(raw).__name__}, not an object")
    if "dim" not in raw:
        raise bad("it has no dim (the embedding dimension the gates were trained for)")
    known = {f.name for f in fields(GateConfig)}
    values = {k: v for k, v in raw.items() if k in known}
    if not calibration:
        # The output gate's own values, with the threshold of their own scale (where the
        # calibration kept it readably): a calibration this version cannot read, or a
        # threshold on its scale, is then no obstacle.
        cal = values.pop("calibration", None)
        fit = cal.get("fit") if isinstance(cal, dict) else None
        own = fit.get("raw_threshold") if isinstance(fit, dict) else None
        if isinstance(own, int | float) and not isinstance(own, bool) and 0.0 <= own <= 1.0:
            values["recall_threshold"] = own
    for name in _SIZES:
        v = values.get(name, 1)
        if not isinstance(v, int) or isinstance(v, bool) or v < 1:
            raise bad(f"{name} must be a positive integer, not {v!r}")
    bits = values.get("change_bits", 0)
    if not isinstance(bits, int) or isinstance(bits, bool):
        raise bad(f"change_bits must be an integer, not {bits!r}")
    for name in (*_PROBABILITIES, "dropout"):
        v = values.get(name, 0.5)
        if not isinstance(v, int | float) or isinstance(v, bool) or not 0.0 <= v <= 1.0:
            raise bad(f"{name} must be a number from 0 to 1, not {v!r}")
    defaults = GateConfig()
    lo = values.get("min_half_life_hours", defaults.min_half_life_hours)
    hi = values.get("max_half_life_hours", defaults.max_half_life_hours)
    for name, v in (("min_half_life_hours", lo), ("max_half_life_hours", hi)):
        if not isinstance(v, int | float) or isinstance(v, bool) or not 0.0 < v < math.inf:
            raise bad(f"{name} must be a positive number of hours, not {v!r}")
    if lo > hi:
        raise bad(f"min_half_life_hours ({lo}) is above max_half_life_hours ({hi})")
    if not isinstance(values.get("embedding_model", ""), str):
        raise bad("embedding_model must be a string")
    if not isinstance(values.get("trained", {}), dict):
        raise bad(f"trained must be an object, not {values['trained']!r}")
    cal = values.get("calibration", {})
    if not isinstance(cal, dict):
        raise bad(f"calibration must be an object, not {cal!r}")
    if cal:
        _check_calibration(cal, bad)
    return GateConfig(**values)


def _check_calibration(cal: dict, bad) -> None:
    """A calibration's numbers (memory.calibration.calibrated reads coef and bias, recall's
    fallback fit.raw_threshold): present, finite, a threshold a probability."""
    coef, bias, fit = cal.get("coef"), cal.get("bias"), cal.get("fit", {})
    if not isinstance(coef, list) or not isinstance(fit, dict):
        raise bad("calibration needs a list coef and an object fit")
    numbers = [*coef, bias, fit.get("raw_threshold", 0.5), fit.get("threshold", 0.5)]
    if not all(
        isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) for x in numbers
    ):
        raise bad("calibration's coef, bias and thresholds must be finite numbers")
    if not all(0.0 <= t <= 1.0 for t in numbers[-2:]):
        raise bad("calibration's thresholds must be from 0 to 1")


def _gelu(x: np.ndarray) -> np.ndarray:
    c = np.clip(x, -10.0, 10.0)  # tanh is saturated there; the cube would overflow far out
    return 0.5 * x * (1.0 + np.tanh(0.7978845608028654 * (c + 0.044715 * c * c * c)))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # = 1 / (1 + exp(-x)), without overflow


class _Linear:
    def __init__(self, layer: nn.Linear):
        self.w = np.ascontiguousarray(layer.weight.detach().numpy().T)  # (in, out)
        self.b = layer.bias.detach().numpy().copy()

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return x @ self.w + self.b


class _MLP:
    def __init__(self, seq: nn.Sequential):
        self.layers = [_Linear(m) for m in seq if isinstance(m, nn.Linear)]

    def __call__(self, x: np.ndarray) -> np.ndarray:
        for layer in self.layers[:-1]:
            x = _gelu(layer(x))
        return self.layers[-1](x)


class _NumpyGates:
    """Gates.forward paths in NumPy, float32, dropout off: the inference path."""

    def __init__(self, g: Gates):
        self.in_embed, self.in_mlp = _Linear(g.input.embed), _MLP(g.input.mlp)
        f = g.forget
        self.t_embed, self.t_mlp = _Linear(f.time_embed), _MLP(f.time)
        self.f_prod, self.f_diff, self.f_mlp = _Linear(f.prod), _Linear(f.diff), _MLP(f.content)
        self.o_prod, self.o_mlp = _Linear(g.output.prod), _MLP(g.output.mlp)
        if g.cfg.change_bits:
            self.words = g.forget.words.weight.detach().numpy()[:, 0].copy()  # (2**bits,)
            self.words_cos, self.words_bias = (float(x) for x in g.forget.words_cos.detach())

    def input(self, e, text, extra):
        h = np.concatenate([np.tanh(self.in_embed(e)), text, extra], axis=-1)
        return self.in_mlp(h)[:, 0]

    def time(self, e, text):
        return self.t_mlp(np.concatenate([np.tanh(self.t_embed(e)), text], axis=-1))[:, 0]

    def content(self, u, m, pair, u_text):
        h = np.concatenate(
            [np.tanh(self.f_prod(u * m)), np.tanh(self.f_diff(u - m)), pair, u_text], axis=-1
        )
        return self.f_mlp(h)

    def change(self, ids: list[np.ndarray], cos: np.ndarray) -> np.ndarray:
        words = np.fromiter((self.words[i].sum() for i in ids), dtype=np.float64, count=len(ids))
        return words + self.words_cos * np.asarray(cos, dtype=np.float64) + self.words_bias

    def output(self, q, m, scalars):
        return self.o_mlp(np.concatenate([np.tanh(self.o_prod(q * m)), scalars], axis=-1))[:, 0]


def default_weights_dir() -> Path:
    """The trained weights shipped inside the package."""
    return Path(__file__).resolve().parent / "weights"
