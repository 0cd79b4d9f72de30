"""Provider tokens for workflows that ask for a sign-in (the web form's AuthRequester widget)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import SecretStr

from orch_tui.core.backend import Backend
from orch_tui.core.models import AuthToken


def wanted_providers(descriptors: Iterable[Any]) -> list[str]:
    """Providers named by ``authTokenDescriptors``, once each, in order."""
    seen: dict[str, None] = {}
    for descriptor in descriptors:
        if isinstance(descriptor, Mapping) and isinstance(descriptor.get("provider"), str):
            seen.setdefault(descriptor["provider"], None)
    return list(seen)


def tokens_for(
    descriptors: Iterable[Any], available: Mapping[str, SecretStr]
) -> tuple[list[AuthToken], list[str]]:
    """The tokens to send for these descriptors, and the providers no token is configured for."""
    tokens, missing = [], []
    for provider in wanted_providers(descriptors):
        secret = available.get(provider)
        if secret is None:
            missing.append(provider)
        else:
            tokens.append(AuthToken(provider=provider, token=secret.get_secret_value()))
    return tokens, missing


def missing_tokens_message(missing: list[str], going_on: str) -> str:
    """What to tell the user when the workflow asks for sign-ins the context has no token for."""
    return f"No {', '.join(missing)} token is configured for this context (auth_token_env); {going_on}."


async def workflow_sign_ins(backend: Backend, workflow_id: str) -> list[Any]:
    """The ``authTokenDescriptors`` a workflow's input form asks for (none without a usable schema)."""
    from orch_tui.core.forms import FormModel, SchemaError

    response = await backend.get_input_schema(workflow_id)
    if not response.inputSchema:
        return []
    try:
        return FormModel(response.inputSchema, apply_defaults=False).auth_token_descriptors()
    except SchemaError:
        return []
