"""unsafe changes

Revision ID: a1b2
Revises: 9f00
"""

import sqlalchemy as sa
from alembic import op

revision = "a1b2"
down_revision = "9f00"


def upgrade() -> None:
    op.add_column("users", sa.Column("score", sa.BigInteger(), nullable=False))
    op.add_column("users", sa.Column("token", sa.Text(), server_default=sa.text("gen_random_uuid()::text")))
    op.create_index(op.f("ix_users_email"), "users", ["email"], unique=True)
    op.alter_column("users", "name", existing_type=sa.String(50), type_=sa.String(100))
    op.alter_column("users", "bio", existing_type=sa.String(50), type_=sa.BigInteger())
    op.alter_column("users", "email", existing_type=sa.Text(), nullable=False)
    op.create_foreign_key("fk_orders_user", "orders", "users", ["user_id"], ["id"], ondelete="CASCADE")
    with op.batch_alter_table("orders") as batch_op:
        batch_op.drop_column("legacy")
        batch_op.create_check_constraint("ck_total", "total >= 0")
    op.create_index("ix_orders_x", "orders", ["x"], postgresql_concurrently=True, if_not_exists=True)
    op.execute(
        """
        UPDATE users SET score = 0 WHERE score IS NULL;
        ALTER TABLE users RENAME COLUMN bio TO about;
        """
    )
    op.execute(build_statement())  # noqa: F821 - dynamic SQL the linter cannot read
    op.drop_table("sessions")


def downgrade() -> None:
    op.create_table("sessions", sa.Column("id", sa.BigInteger(), primary_key=True))
