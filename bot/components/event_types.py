"""Look up Rasa event classes by type name once, not on every event.

Rasa 3.6's `Event.resolve_by_type` walks every subclass of `Event`
(`all_subclasses`, recursive, with an `inspect.isabstract` check each) for
each event it reads: every event of a tracker loaded from the tracker store
and every event an action returns. Profiling Rasa at saturation put 11 % of
its time there. The subclasses do not change once Rasa has started, so this
module remembers the answer per type name; an unknown name still goes to
Rasa's own method (its default and its error).

Installed by bot/components/__init__.py, like action_validation.
"""

from __future__ import annotations

from functools import cache

from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

_original = Event.resolve_by_type


@cache
def _known(type_name: str) -> type[Event] | None:
    for cls in all_subclasses(Event):
        if cls.type_name == type_name:
            return cls  # type: ignore[no-any-return]
    return None


def _resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    known = _known(type_name)
    if known is not None:
        return known
    return _original(type_name, default)


def install() -> None:
    Event.resolve_by_type = staticmethod(_resolve_by_type)  # type: ignore[method-assign,assignment]
