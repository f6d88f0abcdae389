from pgsage.tools.dsn import dsn_password, redact_dsn, scrub


def test_url_password_is_masked_and_parsed() -> None:
    dsn = "postgresql://app:s3cr%40t@db.example.com:5432/prod?sslmode=require"
    assert dsn_password(dsn) == "s3cr@t"
    assert redact_dsn(dsn) == "postgresql://app:***@db.example.com:5432/prod?sslmode=require"


def test_password_in_query_string_is_masked() -> None:
    dsn = "postgres://app@db/prod?password=hunter2&sslmode=require"
    assert dsn_password(dsn) == "hunter2"
    assert "hunter2" not in redact_dsn(dsn)
    assert "sslmode=require" in redact_dsn(dsn)


def test_keyword_dsn_is_masked() -> None:
    dsn = "host=db user=app password='p a ss' dbname=prod"
    assert dsn_password(dsn) == "p a ss"
    assert redact_dsn(dsn) == "host=db user=app password=*** dbname=prod"


def test_dsn_without_password_is_unchanged() -> None:
    dsn = "postgresql://app@db/prod"
    assert dsn_password(dsn) is None
    assert redact_dsn(dsn) == dsn


def test_scrub_removes_secret_and_any_embedded_dsn_password() -> None:
    text = "could not connect to postgresql://app:hunter2@db/prod: hunter2 rejected"
    cleaned = scrub(text, "hunter2")
    assert "hunter2" not in cleaned
    assert "postgresql://app:***@db/prod" in cleaned
