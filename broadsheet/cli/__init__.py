"""The site's own `flask ...` commands, registered by one init_app (the import and export
commands are importers.cli's)."""

from __future__ import annotations

from flask import Flask

from broadsheet.cli import backups, mail, site, users


def init_app(app: Flask) -> None:
    app.cli.add_command(site.demo_command)
    app.cli.add_command(site.search_language_command)
    app.cli.add_command(users.users_cli)
    app.cli.add_command(mail.mail_cli)
    app.cli.add_command(mail.privacy_cli)
    app.cli.add_command(backups.backup_command)
    app.cli.add_command(backups.restore_command)
