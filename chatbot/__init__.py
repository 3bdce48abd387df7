"""A chat loop on top of :class:`memory.GatedMemory`, with pluggable reply backends.

from chatbot import Chatbot
from ..memory import GatedMemory
bot = Chatbot(GatedMemory())
print(bot.reply("ana", "My dog is called Rex.").text)
"""

from __future__ import annotations

from .loop import Chatbot, Reply
from .openai_compat import OpenAIResponder
from .responders import MemoryResponder, Responder, ResponderError

__all__ = ["Chatbot", "Reply", "Responder", "ResponderError", "MemoryResponder", "OpenAIResponder"]
