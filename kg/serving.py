"""Run the web browser under gunicorn. Imported only by ``kg serve``: the library itself
never imports Flask; this module is the command's bridge to the ``web`` package."""

from __future__ import annotations

from typing import Any


def run_server(host: str, port: int, workers: int, settings: dict[str, Any]) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            # threads, so a worker keeps serving while one of its SPARQL queries runs
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", 8)
            self.cfg.set("timeout", 60)
            self.cfg.set("graceful_timeout", 10)
            self.cfg.set("accesslog", "-")

        def load(self):
            from web import create_app  # each worker builds its own app and store
            from web.views.sparql import pool

            app = create_app(settings)
            with app.test_request_context("/sparql"):
                pool()  # start the query workers now, not on the first query
            return app

    Server().run()
