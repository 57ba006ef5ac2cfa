"""Runs the extraction stages over articles: build_record, stages, deadlines."""
