"""Lab Node product, its root product block, resource types, workflows and task.

Hand-written (orchestrator-core's `db revision` generator formats its output with ruff, which
the harness does not install). integration/setup.sh copies this file into the alembic tree made
by `python manage.py db init` (migrations/versions/schema/) and replaces the placeholder of
`depends_on` with the schema head of the installed orchestrator-core, so the data branch runs
after the core tables exist.

Revision ID: 1ab0de0c0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op
from orchestrator.core.migrations.helpers import create_task, create_workflow, delete_workflow

revision = "1ab0de0c0001"
down_revision = None
branch_labels = ("data",)
depends_on = "@CORE_SCHEMA_HEAD@"

PRODUCT_ID = "7a3c0f10-5b1e-4e55-9d2a-1ab0de0c0001"
BLOCK_ID = "7a3c0f10-5b1e-4e55-9d2a-1ab0de0c00b1"
RESOURCE_TYPES = {
    "hostname": "Host name of the node",
    "role": "core, edge or access",
    "port_count": "Number of ports",
    "notes": "Free text",
}
WORKFLOWS = [
    ("create_lab_node", "CREATE", "Create lab node"),
    ("modify_lab_node", "MODIFY", "Change lab node (needs approval)"),
    ("terminate_lab_node", "TERMINATE", "Terminate lab node"),
    ("validate_lab_node", "VALIDATE", "Validate lab node"),
]
TASKS = [("task_lab_nap", "Lab nap task")]


def upgrade() -> None:
    conn = op.get_bind()
    conn.execute(
        sa.text(
            "INSERT INTO product_blocks (product_block_id, name, description, tag, status) "
            "VALUES (:id, 'LabNodeBlock', 'Lab node root block', 'LAB', 'active')"
        ),
        {"id": BLOCK_ID},
    )
    for name, description in RESOURCE_TYPES.items():
        resource_type_id = conn.execute(
            sa.text(
                "INSERT INTO resource_types (resource_type, description) VALUES (:name, :description) "
                "ON CONFLICT (resource_type) DO UPDATE SET resource_type = EXCLUDED.resource_type "
                "RETURNING resource_type_id"
            ),
            {"name": name, "description": description},
        ).scalar_one()
        conn.execute(
            sa.text("INSERT INTO product_block_resource_types (product_block_id, resource_type_id) VALUES (:b, :r)"),
            {"b": BLOCK_ID, "r": resource_type_id},
        )
    conn.execute(
        sa.text(
            "INSERT INTO products (product_id, name, description, product_type, tag, status) "
            "VALUES (:id, 'Lab Node', 'Lab node for orch-tui integration tests', 'LabNode', 'LAB', 'active')"
        ),
        {"id": PRODUCT_ID},
    )
    conn.execute(
        sa.text("INSERT INTO product_product_blocks (product_id, product_block_id) VALUES (:p, :b)"),
        {"p": PRODUCT_ID, "b": BLOCK_ID},
    )
    for name, target, description in WORKFLOWS:
        # also links the workflow to every product of that product_type (products_workflows)
        create_workflow(conn, {"name": name, "target": target, "description": description, "product_type": "LabNode"})
    for name, description in TASKS:
        create_task(conn, {"name": name, "description": description})


def downgrade() -> None:
    conn = op.get_bind()
    for name, *_ in WORKFLOWS + TASKS:
        delete_workflow(conn, name)
    conn.execute(sa.text("DELETE FROM products WHERE product_id = :id"), {"id": PRODUCT_ID})
    conn.execute(sa.text("DELETE FROM product_blocks WHERE product_block_id = :id"), {"id": BLOCK_ID})
    conn.execute(
        sa.text("DELETE FROM resource_types WHERE resource_type = ANY(:names)"), {"names": list(RESOURCE_TYPES)}
    )
