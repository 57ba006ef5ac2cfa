"""The ingest drivers write into stores: the store suite's fixtures, one per backend."""

from tests.store.conftest import downgrade, ingest_process, make, open_fresh, store

__all__ = ["downgrade", "ingest_process", "make", "open_fresh", "store"]
