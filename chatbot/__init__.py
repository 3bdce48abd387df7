"""A chat loop on top of :class:`memory.GatedMemory`, with pluggable reply backends.

from chatbot import Chatbot
from memory import GatedMemory
bot = Chatbot(GatedMemory())
print(bot.reply("ana", "My dog is called Rex.").text)
"""

from __future__ import annotations

from .loop import Chatbot, Reply
from .responders import MemoryResponder, Responder

__all__ = ["Chatbot", "Reply", "Responder", "MemoryResponder"]
