"""The shared life cycle of Aduan's NLU components: `StatelessComponent` for
those with nothing to learn, `TrainableComponent` for those that keep what
they learnt in the model."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, TypeVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

logger = logging.getLogger(__name__)

# Rasa runs on Python 3.10, which has no typing.Self.
T = TypeVar("T", bound="StatelessComponent")
U = TypeVar("U", bound="TrainableComponent")


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


class TrainableComponent(GraphComponent):
    """A component that learns something when the model is trained and keeps it
    in the model's own storage: subclasses write it in `persist_to` and read it
    back in `restore_from`. A model without it (an older one) still loads: the
    component then works with what `__init__` set up, and says so."""

    @classmethod
    def get_default_config(cls) -> dict[str, Any]:
        return {}

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(
        cls: type[U],
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> U:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls: type[U],
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> U:
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                component.restore_from(directory)
        except (ValueError, FileNotFoundError):
            logger.warning("%s: nothing learnt in the model, running without it", cls.__name__)
        return component

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            self.persist_to(directory)

    def persist_to(self, directory: Path) -> None:
        raise NotImplementedError

    def restore_from(self, directory: Path) -> None:
        raise NotImplementedError
