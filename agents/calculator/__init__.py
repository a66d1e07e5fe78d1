"""The calculator worker: safe arithmetic, unit conversion and descriptive statistics."""
