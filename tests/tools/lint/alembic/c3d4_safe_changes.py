"""the same changes, done safely

Revision ID: c3d4
Revises: a1b2
"""

import sqlalchemy as sa
from alembic import op

revision = "c3d4"
down_revision = "a1b2"


def upgrade() -> None:
    op.execute("SET lock_timeout = '3s'")
    op.execute(sa.text("SET statement_timeout = '10min'"))
    op.add_column("users", sa.Column("score", sa.BigInteger(), nullable=False, server_default="0"))
    op.add_column("users", sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()))
    op.alter_column("users", "name", existing_type=sa.String(50), type_=sa.Text())
    op.create_check_constraint("ck_users_email_nn", "users", "email IS NOT NULL", postgresql_not_valid=True)
    op.create_foreign_key(
        "fk_orders_user", "orders", "users", ["user_id"], ["id"], ondelete="CASCADE", postgresql_not_valid=True
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.Text()),
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    with op.get_context().autocommit_block():
        op.create_index(
            "ix_users_email", "users", ["email"], unique=True, postgresql_concurrently=True, if_not_exists=True
        )
        op.drop_index("ix_users_old", table_name="users", postgresql_concurrently=True, if_exists=True)


def downgrade() -> None:
    op.drop_table("audit_events")
