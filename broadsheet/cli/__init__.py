"""Every `flask ...` command Broadsheet adds, registered by one init_app."""

from __future__ import annotations

import importlib

import click
from flask import Flask

from broadsheet.cli import backups, mail, site, users


class _Deferred(click.Command):
    """A command imported only when it runs: a web worker never loads the importers
    (their XML, HTML and image code: about 6 MiB of each gunicorn worker)."""

    def __init__(self, name: str, target: str, short_help: str) -> None:
        super().__init__(name, short_help=short_help, add_help_option=False)
        self.target = target

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        module, attribute = self.target.split(":")
        real = getattr(importlib.import_module(module), attribute)
        # The context, and so the options, subcommands and callback, are the real command's.
        return real.make_context(info_name, args, parent=parent, **extra)


def init_app(app: Flask) -> None:
    app.cli.add_command(site.demo_command)
    app.cli.add_command(site.search_language_command)
    app.cli.add_command(users.users_cli)
    app.cli.add_command(mail.mail_cli)
    app.cli.add_command(mail.privacy_cli)
    app.cli.add_command(backups.backup_command)
    app.cli.add_command(backups.restore_command)
    app.cli.add_command(
        _Deferred("import", "importers.cli:import_cli", "Bring stories and comments in.")
    )
    app.cli.add_command(
        _Deferred("export", "importers.cli:export_command", "Write the whole site to a zip.")
    )
