"""committee-papers: a council's committee papers kept as data, published as a website."""

__version__ = "0.1.0"
