"""Grid boundaries: a GeoJSON geometry (Polygon or MultiPolygon) kept with each org unit, for the map.

Revision ID: 0016_grid_boundary
Revises: 0011_media
"""
import sqlalchemy as sa
from alembic import op

revision = "0016_grid_boundary"
down_revision = "0013_priority"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("org_unit") as batch:
        batch.add_column(sa.Column("boundary", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("org_unit") as batch:
        batch.drop_column("boundary")
