"""A chat loop on top of :class:`memory.GatedMemory`, with pluggable reply backends.

    from gatedmem import GatedMemory
    from gatedmem.chatbot import Chatbot

    bot = Chatbot(GatedMemory())
    print(bot.reply("ana", "My dog is called Rex.").text)
    bot.last("ana")  # ana's last turn: what was recalled and stored for it

One Chatbot serves many users: each has their own conversation and last turn.
"""

from __future__ import annotations

from .loop import Chatbot, Reply
from .openai_compat import OpenAIResponder
from .responders import MemoryResponder, Responder, ResponderError

__all__ = ["Chatbot", "Reply", "Responder", "ResponderError", "MemoryResponder", "OpenAIResponder"]
