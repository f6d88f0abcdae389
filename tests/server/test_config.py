import pytest
from pydantic import ValidationError

from pgsage.server.cli import build_parser
from pgsage.server.cmd_serve import config_from_args
from pgsage.server.config import Config


def test_flags_win_over_environment_which_wins_over_defaults() -> None:
    env = {"DATABASE_URL": "postgresql://env@h/db", "PGSAGE_MAX_ROWS": "50", "PGSAGE_TENANT_COLUMN": "org_id"}
    config = Config.load({"max_rows": 10, "tenant_column": None}, env=env)
    assert config.max_rows == 10
    assert config.tenant_column == "org_id"
    assert config.dsn_value == "postgresql://env@h/db"
    assert config.statement_timeout_ms == 15_000
    assert config.read_only


def test_pgsage_database_url_wins_over_database_url() -> None:
    env = {"DATABASE_URL": "postgresql://a@h/one", "PGSAGE_DATABASE_URL": "postgresql://b@h/two"}
    assert Config.load(env=env).dsn_value == "postgresql://b@h/two"


def test_secrets_never_appear_in_repr_or_dump() -> None:
    config = Config.load({"dsn": "postgresql://u:topsecret@h/db", "auth_token": "tok-123456"}, env={})
    assert "topsecret" not in repr(config)
    assert "tok-123456" not in repr(config)
    assert "topsecret" not in config.model_dump_json()
    assert config.display_dsn == "postgresql://u:***@h/db"


def test_bad_values_are_rejected_with_the_field_named() -> None:
    with pytest.raises(ValidationError) as info:
        Config.load({"max_rows": 0}, env={})
    assert "max_rows" in str(info.value)
    with pytest.raises(ValidationError):
        Config.load(env={"PGSAGE_ACCESS_MODE": "yolo"})


def test_serve_flags_become_config() -> None:
    args = build_parser().parse_args(
        [
            "serve",
            "--transport",
            "http",
            "--port",
            "9001",
            "--safe-functions",
            "my_fn, other_fn",
            "--no-ingest",
            "--scratch-dsn",
            "postgresql://u@h/scratch",
            "--ingest-roots",
            "/srv/docs,/srv/more",
        ]
    )
    config = config_from_args(args)
    assert config.transport == "http"
    assert config.port == 9001
    assert config.safe_functions == ["my_fn", "other_fn"]
    assert config.allow_ingest is False
    assert config.scratch_dsn is not None and config.scratch_dsn.get_secret_value() == "postgresql://u@h/scratch"
    assert config.ingest_roots == ["/srv/docs", "/srv/more"]
