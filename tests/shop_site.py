"""A static shop served by a real child process: the corpus of real-shop pages (tests/pages/shop_*)
laid out at their own paths, each with the Content-Type its case names; every request path is
logged in order, so tests can tell what was fetched when."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

PAGES = Path(__file__).parent / "pages"

SERVE_SCRIPT = r"""
import functools, http.server, json, os, sys
root, host, log = sys.argv[1], sys.argv[2], sys.argv[3]
types = json.load(open(os.path.join(root, "_types.json"))) if os.path.exists(os.path.join(root, "_types.json")) else {}
class H(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        with open(log, "a") as fh:
            fh.write(self.path + "\n")
        super().do_GET()
    def guess_type(self, path):
        rel = "/" + os.path.relpath(path, root).replace(os.sep, "/")
        return types.get(rel) or super().guess_type(path)
srv = http.server.ThreadingHTTPServer((host, 0), functools.partial(H, directory=root))
print(f"http://{host}:{srv.server_address[1]}", flush=True)
srv.serve_forever()
"""


@contextmanager
def serve(folder: Path, host: str = "127.0.0.1") -> Iterator[tuple[str, Path]]:
    """Serve ``folder`` on ``host`` port 0; yields the base URL and the request log's path."""
    log = folder.parent / f"{folder.name}-{host}.log"
    log.write_text("")
    proc = subprocess.Popen([sys.executable, "-c", SERVE_SCRIPT, str(folder), host, str(log)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        yield proc.stdout.readline().strip(), log
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def sitemap(paths: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{p}</loc></url>" for p in paths)
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


@contextmanager
def serve_routes(routes: Mapping[str, tuple[bytes, str]], hits: Counter[str] | None = None) -> Iterator[str]:
    """Serve ``path -> (body, content type)`` from a thread of this process (404 for the rest);
    yields the base URL. ``hits`` counts the requests per path."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if hits is not None:
                hits[self.path] += 1
            body, ctype = routes.get(self.path, (b"", ""))
            self.send_response(200 if self.path in routes else 404)
            if ctype:
                self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a: object) -> None:
            return

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}/"
    finally:
        srv.shutdown()
        srv.server_close()


def shop_cases() -> list[Path]:
    return sorted(p for p in PAGES.iterdir() if p.is_dir()
                  and json.loads((p / "meta.json").read_text(encoding="utf-8"))["page"] == "schemaorg.page")


def site_path(url: str) -> str:
    """Where a case's page is served: its URL's path (``index.html`` for a folder)."""
    path = urlsplit(url).path or "/"
    return path + "index.html" if path.endswith("/") else path


def write_corpus_site(folder: Path) -> list[dict]:
    """Every corpus page at its own path, a sitemap naming them all, robots.txt naming the sitemap.
    Returns each case's meta.json plus ``path`` (where it is served) and ``case`` (its folder)."""
    cases, types = [], {}
    for case in shop_cases():
        meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
        served = site_path(meta["url"])
        target = folder / served.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(case / meta["body"], target)
        types[served] = meta["content_type"]
        cases.append({**meta, "path": urlsplit(meta["url"]).path, "case": case})
    urls = "".join(f"<url><loc>{c['path']}</loc></url>" for c in cases)
    (folder / "sitemap.xml").write_text('<?xml version="1.0" encoding="UTF-8"?>'
                                        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')
    (folder / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    (folder / "_types.json").write_text(json.dumps(types))
    if not (folder / "index.html").exists():
        (folder / "index.html").write_text("<!DOCTYPE html><html><body><h1>Shops</h1></body></html>")
    return cases
