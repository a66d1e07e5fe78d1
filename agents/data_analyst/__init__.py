"""The data_analyst worker: describes, filters, sorts and aggregates tables given as CSV or JSON."""
