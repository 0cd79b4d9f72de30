from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from orch_tui.core.auth import tokens_for, wanted_providers
from orch_tui.core.config import Overrides, resolve_context


def test_tokens_for_descriptors() -> None:
    descriptors = [{"provider": "github", "scope": "repo"}, {"provider": "gitlab"}, {"provider": "github"}, "junk", {}]
    assert wanted_providers(descriptors) == ["github", "gitlab"]
    tokens, missing = tokens_for(descriptors, {"github": SecretStr("gh")})
    assert [(t.provider, t.token) for t in tokens] == [("github", "gh")] and missing == ["gitlab"]
    assert tokens_for([], {"github": SecretStr("gh")}) == ([], [])


def test_context_provider_tokens_from_env(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[contexts.a]\nurl = "http://a"\nauth_token_env = { github = "GH_TOK", gitlab = "GL_TOK" }\n')
    cfg.chmod(0o600)
    ctx = resolve_context(Overrides(), environ={"GH_TOK": "secret-gh"}, config_path=cfg)
    assert {k: v.get_secret_value() for k, v in ctx.provider_tokens.items()} == {"github": "secret-gh"}
    described = ctx.describe()
    assert described["auth_tokens"] == {"github": "set (hidden)", "gitlab": "$GL_TOK not set"}
    assert "secret-gh" not in repr(described)
