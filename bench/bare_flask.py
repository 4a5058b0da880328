"""The ceiling: a one-line Flask view, served by the same gunicorn settings as Broadsheet."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
