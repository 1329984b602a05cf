"""Compiled templates are kept on disk for every worker and restart (cctv/web/__init__._keep_compiled_templates)."""

from pathlib import Path

from cctv.app import create_app


def _app(folder: Path):
    return create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": f"sqlite:///{folder}/a.sqlite3",
                       "TEMPLATE_CACHE_DIR": str(folder / "compiled")})


def test_a_second_worker_loads_what_the_first_compiled(tmp_path: Path) -> None:
    first = _app(tmp_path)
    first.jinja_env.get_template("error.html")
    files = sorted((tmp_path / "compiled").iterdir())
    assert len(files) == 1 and files[0].stat().st_size > 0  # error.html, compiled (its layout loads when rendered)
    assert (tmp_path / "compiled").stat().st_mode & 0o077 == 0  # compiled code: no one else may write it

    second = _app(tmp_path)
    compiled = []
    loader = second.jinja_env.bytecode_cache
    original = loader.load_bytecode

    def load(bucket):
        original(bucket)
        compiled.append(bucket.code is not None)

    loader.load_bytecode = load
    second.jinja_env.get_template("error.html")
    assert compiled and all(compiled)  # every template came from the disk, none compiled again


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    app = _app(tmp_path)
    source = tmp_path / "page.html"
    source.write_text("one")
    from jinja2 import FileSystemLoader

    app.jinja_env.loader = FileSystemLoader(str(tmp_path))
    assert app.jinja_env.get_template("page.html").render() == "one"
    source.write_text("two, edited")
    again = _app(tmp_path)
    again.jinja_env.loader = FileSystemLoader(str(tmp_path))
    assert again.jinja_env.get_template("page.html").render() == "two, edited"


def test_a_folder_that_cannot_be_written_still_serves_the_page(tmp_path: Path) -> None:
    app = _app(tmp_path)
    folder = tmp_path / "compiled"
    folder.rmdir()
    folder.write_text("not a folder")  # as unwritable as it gets for root, who runs the tests
    client = app.test_client()
    response = client.get("/login")
    assert response.status_code == 200 and b"<form" in response.data
