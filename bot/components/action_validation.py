"""Validate action-server replies against a compiled schema, once.

Rasa 3.6 checks every reply from the action server with
`jsonschema.validate(result, schema)`, which first re-validates the (large)
event schema itself on every call. Profiling a complaint conversation put
70% of Rasa's time per turn there (about 170 ms per custom-action call on
this 2-core machine). This module compiles the validator once and checks
each reply with it: the same schema, the same error for a bad reply.

It is applied when Rasa loads the model (bot/components/__init__.py imports
it, and the pipeline uses bot.components). tests/actions/test_stores.py
checks that it is in place and still rejects a malformed reply.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction

_original = RemoteAction._validate_action_result


@cache
def _validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    error = best_match(_validator().iter_errors(result))
    if error is None:
        return True
    # Let Rasa word the error exactly as it does without this module.
    return bool(_original(self, result))


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
