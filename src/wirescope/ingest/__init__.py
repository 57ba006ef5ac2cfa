"""Files into a store: the local worker pool and the Dask cluster drivers."""
