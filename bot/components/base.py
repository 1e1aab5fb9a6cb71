"""The shared `create` of Aduan's NLU components that take no configuration."""

from __future__ import annotations

from typing import Any, TypeVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

# Rasa runs on Python 3.10, which has no typing.Self.
T = TypeVar("T", bound="StatelessComponent")


class StatelessComponent(GraphComponent):
    """A component with nothing to train, persist or configure: built with `cls()`."""

    @classmethod
    def create(
        cls: type[T],
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> T:
        return cls()
