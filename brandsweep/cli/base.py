"""The command group, the context and the helpers every ``brandsweep`` command uses.

Each command calls one library function, has ``--help`` with an example, and maps expected
errors to a one-line message on stderr with exit status 1 (usage errors exit 2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from brandsweep.core import __version__
from brandsweep.core.errors import BrandsweepError
from brandsweep.store import DEFAULT_DB, open_db


class Failure(click.ClickException):
    """A :class:`BrandsweepError` on its way out: ``brandsweep: error: <message>``, its exit status."""

    def __init__(self, error: BrandsweepError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code

    def show(self, file: Any = None) -> None:
        click.echo(f"brandsweep: error: {self.format_message()}", err=True, file=file)


class BrandsweepGroup(click.Group):
    """The one place where the library's error tree becomes messages and exit statuses.

    Every :class:`BrandsweepError` raised below any command (subgroups included) ends here; click
    shows it and exits with its ``exit_code`` (1). Usage errors stay click's (exit status 2);
    anything else is a bug and keeps its traceback.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrandsweepError as exc:
            raise Failure(exc) from exc


class Ctx:
    def __init__(self, db_path: str | None, config_path: str | None = None, *, quiet: bool = False,
                 as_json: bool = False) -> None:
        self.db_arg = db_path  # --db / BRANDSWEEP_DB; None: [store] url, else ./brandsweep.db
        self.config_path = config_path  # --config / BRANDSWEEP_CONFIG; None: ./brandsweep.toml if present
        self.quiet = quiet
        self.as_json = as_json

    @property
    def db_path(self) -> str:
        """The store: --db (env BRANDSWEEP_DB), else ``[store] url`` in the configuration, else ./brandsweep.db."""
        return self.db_arg or self.config().store.url or DEFAULT_DB

    @property
    def blobs(self) -> str | None:
        """``[store] blobs``: the folder for image bytes, or None for the store's default place."""
        return self.config().store.blobs or None

    def db(self, *, create: bool = True) -> Any:
        return open_db(self.db_path, create=create, blobs=self.blobs)

    def config(self) -> Any:
        """The configuration file (brandsweep.config.Config); defaults when there is none."""
        from brandsweep.config import load_config

        return load_config(self.config_path)

    def progress(self) -> Any:
        """A brandsweep.progress.Progress: bar on a terminal, log lines when piped, JSON or nothing."""
        from brandsweep.progress import Progress, choose_mode

        return Progress(choose_mode(quiet=self.quiet, as_json=self.as_json))

    def result(self, text: str, **data: Any) -> None:
        """The command's one-line result: text, or a JSON object with ``--json``."""
        if self.as_json:
            import json

            click.echo(json.dumps({"event": "result", **data}, ensure_ascii=False, default=str))
        else:
            click.echo(text)


pass_ctx = click.make_pass_decorator(Ctx)


@click.group(cls=BrandsweepGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--db", "db_path", envvar="BRANDSWEEP_DB", default=None,
              help=f"Store: a SQLite file or a postgresql://user@host/dbname URL (env BRANDSWEEP_DB; default: "
                   f"[store] url in the configuration, else ./{DEFAULT_DB}).")
@click.option("--config", "config_path", envvar="BRANDSWEEP_CONFIG", type=click.Path(dir_okay=False),
              help="Configuration file (env BRANDSWEEP_CONFIG; default ./brandsweep.toml if it exists).")
@click.option("--quiet", is_flag=True, help="No progress output, only results and errors.")
@click.option("--json", "as_json", is_flag=True, help="Progress and results as JSON lines on stdout, for scripts.")
@click.version_option(__version__, prog_name="brandsweep")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None, config_path: str | None, quiet: bool, as_json: bool) -> None:
    """Find trademark-infringing and counterfeit listings on online marketplaces.

    \b
    Example:
      brandsweep catalog import rightsholder_catalog/sample/catalog.json
      brandsweep crawl shopfront --base-url http://127.0.0.1:8000
      brandsweep leads export -o out/leads.csv
    """
    ctx.obj = Ctx(db_path, config_path, quiet=quiet, as_json=as_json)


FORMAT_OPTION = click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv",
                             show_default=True, help="CSV (UTF-8 with BOM) or JSON Lines.")
OUTPUT_OPTION = click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
                             help="File to write (replaced atomically).")
