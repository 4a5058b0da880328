"""`flask import`: placeholder."""

import click


@click.group("import")
def import_cli() -> None:
    pass
