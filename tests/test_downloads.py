"""What a publisher downloads from /dumps checks out: every file SHA256SUMS names is there,
byte for byte (`sha256sum -c`, the tool a reader runs), and says its charset once."""

from __future__ import annotations

import subprocess


def _get(client, path: str) -> tuple[int, dict, bytes]:
    """A download, read and closed (a file response holds its file open until then)."""
    response = client.get(path)
    try:
        return response.status_code, dict(response.headers), response.data
    finally:
        response.close()


def _listed(client) -> list[str]:
    return [
        line.split("  ", 1)[1]
        for line in _get(client, "/dumps/SHA256SUMS")[2].decode().splitlines()
    ]


def test_every_file_sha256sums_lists_downloads_and_checks_out(client, tmp_path):
    status, _, sums = _get(client, "/dumps/SHA256SUMS")
    assert status == 200
    (tmp_path / "SHA256SUMS").write_bytes(sums)
    names = [line.split("  ", 1)[1] for line in sums.decode().splitlines()]
    assert "search-index.json" in names and any(n.endswith(".gz") for n in names)
    for name in names:
        status, headers, body = _get(client, f"/dumps/{name}")
        assert status == 200, name
        assert "Content-Encoding" not in headers, name
        (tmp_path / name).write_bytes(body)
    checked = subprocess.run(
        ["sha256sum", "--check", "--strict", "SHA256SUMS"], cwd=tmp_path, capture_output=True
    )
    assert checked.returncode == 0, checked.stdout.decode()[-2000:]


def test_the_dumps_page_lists_every_file_of_the_release(client):
    listed = {f["name"] for f in client.get("/dumps.json").get_json()["files"]}
    assert set(_listed(client)) <= listed


def test_a_text_download_names_its_charset_once(client):
    names = _listed(client)
    for name in [n for n in names if n.endswith((".txt", ".csv"))] + ["SHA256SUMS"]:
        content_type = _get(client, f"/dumps/{name}")[1]["Content-Type"]
        assert content_type.count("charset") == 1, (name, content_type)


def test_a_table_downloads_for_a_latvian_spreadsheet_too(client):
    """`sep=;`: the same rows and cells, separated by semicolons, decimals with a comma (as
    a spreadsheet in Latvian opens a CSV); the page links it beside the plain CSV."""
    import csv
    import io

    def rows(path: str, delimiter: str) -> list[list[str]]:
        text = client.get(path).get_data(as_text=True).lstrip("\ufeff")
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))

    plain = rows("/figures?lang=en&csv=figures", ",")
    semicolon = rows("/figures?lang=en&csv=figures&sep=%3B", ";")
    assert len(semicolon) == len(plain) > 1
    assert [len(r) for r in semicolon] == [len(r) for r in plain]
    value = plain[0].index("Value")
    for a, b in zip(plain[1:], semicolon[1:], strict=True):
        assert b[value] == a[value].replace(".", ",")
        assert [c for i, c in enumerate(a) if i != value] == [
            c for i, c in enumerate(b) if i != value
        ]
    response = client.get("/figures?lang=lv&csv=figures&sep=%3B")
    assert "figures-semicolon.csv" in response.headers["Content-Disposition"]
    page = client.get("/figures?lang=lv").get_data(as_text=True)
    assert "sep=%3B" in page and "CSV ar semikoliem" in page


def test_dumps_and_catalogue_name_their_licence_and_release(client):
    listed = client.get("/releases.json").get_json()["releases"][0]
    for path in ("/dumps?lang=en", "/catalog?lang=en"):
        html = client.get(path).get_data(as_text=True)
        block = html.split('<dl class="facts release">', 1)[1].split("</dl>", 1)[0]
        assert '<a rel="license" href="https://creativecommons.org/licenses/by/4.0/">' in block
        assert f'<time datetime="{listed["published"]}">' in block, path
        assert f"Version {listed['version']}" in block and 'href="/releases"' in block
