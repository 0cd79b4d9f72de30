"""Command line of the Lab Node orchestrator (orchestrator-core's typer CLI).

    python manage.py db init             # once: writes alembic.ini and migrations/ here
    python manage.py db upgrade heads    # core schema + the Lab Node data migration
"""

from nwastdlib.logging import initialise_logging
from orchestrator.core import app_settings
from orchestrator.core.cli.main import app as orchestrator_cli
from orchestrator.core.db import init_database
from orchestrator.core.log_config import LOGGER_OVERRIDES

import labnode  # noqa: F401  (registers the product and its workflows)

if __name__ == "__main__":
    initialise_logging(LOGGER_OVERRIDES)
    init_database(app_settings)
    orchestrator_cli()
